package org.mictlanx.router.maint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mictlanx.router.meta.Segment;

/** Hints are kept until delivered: parked under a down peer, released when it is back, bounded with a full pass owed. */
class RepairQueueTest {

    private static RepairTask task(long i) {
        return new RepairTask("b", "k" + i, new Segment("0000000000aa0123456789ab", 100, 64, 3, "k1", new byte[0]), i, null);
    }

    @Test
    void parkedTaskWaitsForItsPeerThenBecomesReady() throws Exception {
        RepairQueue q = new RepairQueue(10);
        RepairTask t = task(1);
        q.park("p2", t, 60_000);
        assertEquals(1, q.size());
        assertEquals(1, q.parked());
        assertNull(q.poll(10), "parked, not ready");
        assertEquals(0, q.release("p1"));
        assertEquals(1, q.release("p2"));
        assertEquals(0, q.parked());
        assertSame(t, q.poll(1000));
        assertEquals(0, q.size());
    }

    @Test
    void parkedTaskIsRetriedAfterItsDelayEvenWithoutAProbe() throws Exception {
        RepairQueue q = new RepairQueue(10);
        q.park("p2", task(2), 20);
        assertNotNull(q.poll(10_000));
        assertEquals(0, q.parked());
        assertEquals(0, q.release("p2"), "released once only");
    }

    @Test
    void overflowDropsAndOwesAFullPass() throws Exception {
        RepairQueue q = new RepairQueue(2);
        q.offer(task(1));
        q.park("p0", task(2), 60_000);
        q.offer(task(3));
        q.retryLater(task(4), 10);
        assertEquals(2, q.size());
        assertEquals(2, q.dropped());
        assertTrue(q.takeOverflow());
        assertFalse(q.takeOverflow(), "cleared once taken");
    }
}
