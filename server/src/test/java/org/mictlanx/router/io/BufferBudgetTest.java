package org.mictlanx.router.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The request buffer budget's contract: bounded, waits briefly, refuses, returns everything on close. */
class BufferBudgetTest {

    @Test
    void reservationsNeverExceedTheCapacityAndCloseReturnsEverything() {
        BufferBudget budget = new BufferBudget(1000, Duration.ZERO);
        BufferBudget.Lease a = budget.open();
        BufferBudget.Lease b = budget.open();
        a.reserve(600);
        b.reserve(400);
        assertEquals(1000, budget.used());
        assertThrows(BufferBudget.Exhausted.class, () -> b.reserve(1));
        assertEquals(1, budget.refused());
        a.release(100);
        assertEquals(500, a.held());
        b.reserve(100);
        a.release(10_000); // more than held: returns only what it holds
        assertEquals(0, a.held());
        assertEquals(500, budget.used());
        b.close();
        b.close(); // idempotent
        assertEquals(0, budget.used());
        assertThrows(BufferBudget.Exhausted.class, () -> b.reserve(1), "a closed lease reserves nothing");
        assertEquals(0, budget.used());
    }

    @Test
    void aReservationLargerThanTheWholeBudgetFailsAtOnce() {
        BufferBudget budget = new BufferBudget(1000, Duration.ofHours(1));
        try (BufferBudget.Lease lease = budget.open()) {
            assertThrows(BufferBudget.Exhausted.class, () -> lease.reserve(1001));
        }
        assertEquals(0, budget.used());
    }

    @Test
    void aWaitingReservationIsGrantedWhenAnotherLeaseReturnsBytes() throws Exception {
        BufferBudget budget = new BufferBudget(1000, Duration.ofSeconds(30));
        BufferBudget.Lease holder = budget.open();
        holder.reserve(1000);
        BufferBudget.Lease waiter = budget.open();
        CompletableFuture<Void> granted = CompletableFuture.runAsync(() -> waiter.reserve(700));
        assertTrue(!granted.isDone());
        holder.close();
        granted.get(30, TimeUnit.SECONDS);
        assertEquals(700, budget.used());
        waiter.close();
        assertEquals(0, budget.used());
    }

    @Test
    void aWaitingReservationGivesUpAfterTheWaitBound() {
        BufferBudget budget = new BufferBudget(1000, Duration.ofMillis(50));
        try (BufferBudget.Lease holder = budget.open(); BufferBudget.Lease waiter = budget.open()) {
            holder.reserve(1000);
            long start = System.nanoTime();
            assertThrows(BufferBudget.Exhausted.class, () -> waiter.reserve(1));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "it waited for room first");
            assertEquals(0, waiter.held());
        }
        assertEquals(0, budget.used());
        assertEquals(1, budget.refused());
    }

    @Test
    void theUnlimitedBudgetNeverRefuses() {
        BufferBudget budget = BufferBudget.unlimited();
        try (BufferBudget.Lease lease = budget.open()) {
            lease.reserve(Long.MAX_VALUE / 2);
            lease.reserve(Long.MAX_VALUE / 4);
        }
        assertEquals(0, budget.used());
    }
}
