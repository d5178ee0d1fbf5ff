package org.mictlanx.sdk;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterPoolTest {

    final RouterPool pool = new RouterPool(List.of(URI.create("http://a:1"), URI.create("http://b:1")), 60_000);

    @Test
    void picksTheRouterWithFewestOutstandingRequests() {
        RouterPool.Router first = pool.acquire(Set.of());
        RouterPool.Router second = pool.acquire(Set.of());
        assertNotSame(first, second, "the busy router is avoided");
        RouterPool.Router third = pool.acquire(Set.of());
        pool.release(first);
        pool.release(first);
        assertSame(first, pool.acquire(Set.of()));
        pool.release(second);
        pool.release(third);
    }

    @Test
    void aDownRouterIsSkippedUnlessEveryRouterIsDown() {
        RouterPool.Router a = pool.acquire(Set.of());
        pool.release(a);
        pool.markDown(a);
        for (int i = 0; i < 3; i++) {
            RouterPool.Router r = pool.acquire(Set.of());
            assertNotSame(a, r);
            // Outstanding requests pile up on the only up router, yet the down one stays skipped.
        }
        RouterPool.Router b = pool.acquire(Set.of(a));
        pool.markDown(b);
        RouterPool.Router any = pool.acquire(Set.of());
        assertTrue(any == a || any == b, "with every router down one is still tried");
    }
}
