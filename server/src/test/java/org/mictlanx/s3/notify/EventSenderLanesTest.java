package org.mictlanx.s3.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.mictlanx.xolo.identity.InMemoryMetaTable;

/**
 * One delivery lane per target: a target that never answers holds only its own lane; the other
 * target's events are all delivered meanwhile, and the stalled one's arrive in order once it answers.
 */
class EventSenderLanesTest {

    /** A target that records deliveries; while {@code stall} is closed each delivery waits on it. */
    static final class Target implements EventTarget {
        final String arn;
        final List<String> got = new ArrayList<>();
        final AtomicInteger waiting = new AtomicInteger();
        volatile CountDownLatch stall;

        Target(String id) {
            this.arn = NotificationTargets.webhookArn(id);
        }

        @Override
        public String arn() {
            return arn;
        }

        @Override
        public void deliver(byte[] eventJson) throws java.io.IOException {
            CountDownLatch s = stall;
            if (s != null) {
                waiting.incrementAndGet();
                try {
                    s.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.IOException("interrupted");
                } finally {
                    waiting.decrementAndGet();
                }
            }
            synchronized (got) {
                got.add(new String(eventJson, StandardCharsets.UTF_8));
            }
        }

        List<String> got() {
            synchronized (got) {
                return List.copyOf(got);
            }
        }
    }

    static void await(String what, EventSender sender, BooleanSupplier cond) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            sender.tick();
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }

    @Test
    void aStalledTargetHoldsOnlyItsOwnLane() {
        Target slow = new Target("slow");
        Target fast = new Target("fast");
        slow.stall = new CountDownLatch(1);
        TargetRegistry targets = TargetRegistry.fixed(NotificationTargets.none().with(slow).with(fast));
        EventOutbox outbox = new EventOutbox(new InMemoryMetaTable(), System::currentTimeMillis);
        for (int i = 0; i < 5; i++) {
            outbox.append(outbox.nextSequence(), slow.arn(), ("s" + i).getBytes(StandardCharsets.UTF_8));
            outbox.append(outbox.nextSequence(), fast.arn(), ("f" + i).getBytes(StandardCharsets.UTF_8));
        }
        try (EventSender sender = new EventSender(outbox, targets, NotifyCrashWindowTest.HELD, new EventSender.Settings(
                Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(1), 1000, Duration.ofMinutes(10), 3),
                System::currentTimeMillis, p -> { })) {
            await("the fast target's five events while the slow one holds a delivery", sender,
                    () -> fast.got().size() == 5 && slow.waiting.get() == 1);
            assertEquals(List.of("f0", "f1", "f2", "f3", "f4"), fast.got(), "in order, in lane batches of 3");
            assertTrue(slow.got().isEmpty());
            assertTrue(sender.stats().lanesBusy() >= 1, "the slow lane is busy");
            sender.tick();
            assertEquals(1, slow.waiting.get(), "a busy lane is not started twice");
            CountDownLatch held = slow.stall;
            slow.stall = null;
            held.countDown();
            await("the slow target's five events", sender, () -> slow.got().size() == 5);
            assertEquals(List.of("s0", "s1", "s2", "s3", "s4"), slow.got());
            await("an empty queue", sender, () -> outbox.pageAll("", 100).isEmpty() && sender.idle());
            assertEquals(10, sender.stats().delivered());
        }
    }

    @Test
    void theSweepDropsEventsPastTheirAgeAndCountsTheQueue() {
        long[] now = {System.currentTimeMillis()};
        Target gone = new Target("gone");
        EventOutbox outbox = new EventOutbox(new InMemoryMetaTable(), () -> now[0]);
        for (int i = 0; i < 3; i++) outbox.append(outbox.nextSequence(), gone.arn(), "x".getBytes(StandardCharsets.UTF_8));
        // the target is no longer defined: its events wait, counted, until they age out
        try (EventSender sender = new EventSender(outbox, TargetRegistry.fixed(NotificationTargets.none()),
                NotifyCrashWindowTest.HELD, new EventSender.Settings(Duration.ofSeconds(1), Duration.ofHours(1),
                Duration.ofSeconds(1), 1000, Duration.ofMinutes(10), 100), () -> now[0], p -> { })) {
            sender.tick();
            assertEquals(3, sender.stats().queued());
            assertEquals(0, sender.stats().dropped());
            now[0] += Duration.ofHours(2).toMillis();
            sender.tick();
            assertEquals(3, sender.stats().dropped());
            assertTrue(outbox.pageAll("", 100).isEmpty());
            sender.tick();
            assertEquals(0, sender.stats().queued());
        }
    }
}
