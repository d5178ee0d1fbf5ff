package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The trace publisher: bounded per-subscriber queues (a subscriber that never reads costs a full queue and a
 * drop count, never a blocked publisher), filters applied before queueing, inactive with no subscriber,
 * a bound on subscribers, and close ending every subscription.
 */
class TracePublisherTest {

    static TraceEvent event(String bucket, String user, String operation, int status) {
        return new TraceEvent(Instant.now(), "RID", "AK-" + user, user, operation, bucket, "k", status, null, 1.5, 0, 0, "127.0.0.1");
    }

    @Test
    void aStalledSubscriberDropsAndCountsNeverBlocks() throws Exception {
        TracePublisher p = new TracePublisher();
        assertFalse(p.active(), "nobody listens: the request path builds no event");
        try (TracePublisher.Subscription stalled = p.subscribe(TraceFilter.ALL, 10);
             TracePublisher.Subscription reader = p.subscribe(TraceFilter.ALL, 1_000)) {
            assertTrue(p.active());
            for (int i = 0; i < 10_000; i++) {
                p.publish(event("b", "alice", "GetObject", 200));
                if (i % 10 == 9) { // the reader keeps up
                    for (int j = 0; j < 10; j++) assertTrue(reader.poll(Duration.ZERO) != null);
                }
            }
            assertEquals(9_990, stalled.takeDropped());
            assertEquals(0, stalled.takeDropped(), "the count restarts after it was taken");
            assertEquals(0, reader.takeDropped());
            int queued = 0;
            while (stalled.poll(Duration.ZERO) != null) queued++;
            assertEquals(10, queued);
        }
        assertFalse(p.active(), "closed subscriptions leave");
    }

    @Test
    void filtersApplyBeforeTheQueue() throws Exception {
        TracePublisher p = new TracePublisher();
        try (var s = p.subscribe(TraceFilter.parse("photos", "4xx,500", null, null), 100);
             var u = p.subscribe(TraceFilter.parse(null, null, "AK-bob", "putobject"), 100)) {
            p.publish(event("photos", "alice", "GetObject", 200));
            p.publish(event("photos", "alice", "GetObject", 403));
            p.publish(event("logs", "alice", "GetObject", 404));
            p.publish(event("photos", "bob", "PutObject", 500));
            p.publish(event("photos", "bob", "PutObject", 503));
            p.publish(event(null, "bob", "ListBuckets", 200));
            List<Integer> statuses = new ArrayList<>();
            for (TraceEvent e; (e = s.poll(Duration.ZERO)) != null; ) statuses.add(e.status());
            assertEquals(List.of(403, 500), statuses);
            List<Integer> bobs = new ArrayList<>();
            for (TraceEvent e; (e = u.poll(Duration.ZERO)) != null; ) bobs.add(e.status());
            assertEquals(List.of(500, 503), bobs, "user by access key id, operation ignoring case");
        }
        assertThrows(IllegalArgumentException.class, () -> TraceFilter.parse(null, "40x", null, null));
        assertThrows(IllegalArgumentException.class, () -> TraceFilter.parse(null, "abc", null, null));
        assertTrue(TraceFilter.parse(null, "5XX", null, null).matches(event("b", "u", "GetObject", 502)));
    }

    @Test
    void subscribersAreBoundedAndCloseEndsThem() throws Exception {
        TracePublisher p = new TracePublisher();
        List<TracePublisher.Subscription> subs = new ArrayList<>();
        for (int i = 0; i < TracePublisher.MAX_SUBSCRIBERS; i++) subs.add(p.subscribe(TraceFilter.ALL, 1));
        assertThrows(IllegalStateException.class, () -> p.subscribe(TraceFilter.ALL, 1));
        assertThrows(IllegalArgumentException.class, () -> p.subscribe(TraceFilter.ALL, TracePublisher.MAX_QUEUE + 1));
        subs.get(0).close();
        subs.set(0, p.subscribe(TraceFilter.ALL, 1));
        p.close();
        assertFalse(p.active());
        for (var s : subs) {
            assertTrue(s.ended());
            assertNull(s.poll(Duration.ofSeconds(30)), "an ended subscription does not wait");
        }
        assertThrows(IllegalStateException.class, () -> p.subscribe(TraceFilter.ALL, 1));
    }
}
