package org.mictlanx.sdk;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The routers a client talks to, chosen by least outstanding requests. A router that refused a
 * connection is skipped for {@code downMillis} unless every router is down. Thread-safe.
 */
final class RouterPool {

    /** One router: its base URI, requests in flight, and until when it is considered down. */
    static final class Router {
        final URI uri;
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicLong downUntilNanos = new AtomicLong(Long.MIN_VALUE);

        Router(URI uri) {
            this.uri = uri;
        }

        boolean up(long now) {
            return now - downUntilNanos.get() >= 0 || downUntilNanos.get() == Long.MIN_VALUE;
        }
    }

    private final List<Router> routers;
    private final long downNanos;

    RouterPool(List<URI> uris, long downMillis) {
        this.routers = uris.stream().map(Router::new).toList();
        this.downNanos = downMillis * 1_000_000L;
    }

    /**
     * The up router with the fewest outstanding requests, not in {@code avoid} if possible; its
     * outstanding count is incremented (call {@link #release}).
     */
    Router acquire(Set<Router> avoid) {
        long now = System.nanoTime();
        Router best = pick(now, avoid, true);
        if (best == null) {
            best = pick(now, avoid, false);
        }
        if (best == null) {
            best = pick(now, Set.of(), false);
        }
        if (best == null) {
            throw new IllegalStateException("no routers"); // the config requires at least one
        }
        best.outstanding.incrementAndGet();
        return best;
    }

    private @Nullable Router pick(long now, Set<Router> avoid, boolean onlyUp) {
        Router best = null;
        for (Router r : routers) {
            if (avoid.contains(r) || (onlyUp && !r.up(now))) {
                continue;
            }
            if (best == null || r.outstanding.get() < best.outstanding.get()) {
                best = r;
            }
        }
        return best;
    }

    void release(Router r) {
        r.outstanding.decrementAndGet();
    }

    /** Marks {@code r} down after a connection failure. */
    void markDown(Router r) {
        r.downUntilNanos.set(System.nanoTime() + downNanos);
    }

    int size() {
        return routers.size();
    }
}
