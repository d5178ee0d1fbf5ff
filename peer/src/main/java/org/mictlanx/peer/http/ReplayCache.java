package org.mictlanx.peer.http;

import org.mictlanx.peer.api.PeerException;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The nonces a peer has accepted, so a captured request cannot be played again while its date is
 * still inside the clock window. Memory is bounded.
 *
 * <p>Nonces are kept in buckets by the signed date of their request ({@link #BUCKET} wide); a replay
 * carries the same signed date, so it is looked up in one bucket. A bucket is dropped once every date
 * in it is older than {@code window} (such requests fail the date check anyway). When
 * {@code maxEntries} nonces are held, the oldest bucket is evicted and the dates it covered are
 * refused from then on ("older than the replay window"): under extreme load the accepted window
 * shrinks, it never forgets a nonce whose request would still be accepted. When the only bucket left
 * is the request's own, the request is refused UNAVAILABLE (retryable). Each nonce costs 16–32 bytes
 * (a 64-bit key in an open-addressing table at most half full), so the default 1M entries hold at
 * most 32 MiB. The cache lives in memory, so requests dated before it was created (before the peer
 * started) are refused: a request captured before a restart cannot be replayed after it. Thread-safe (one lock; each admission is a hash probe).
 */
public final class ReplayCache {
    public static final int DEFAULT_MAX_ENTRIES = 1 << 20;
    static final long BUCKET = 5_000;

    private final Clock clock;
    private final long windowMillis;
    private final int maxEntries;
    private final TreeMap<Long, LongSet> buckets = new TreeMap<>();
    private long size;
    /** Buckets below this index were evicted under load: their requests are refused. */
    private long floor = Long.MIN_VALUE;
    /** Requests dated before the cache existed are refused: the nonces of a previous run are not known. */
    private final long notBefore;

    public ReplayCache(Clock clock, Duration window, int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("bad replay cache size");
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.maxEntries = maxEntries;
        this.notBefore = clock.millis();
    }

    /**
     * Records the nonce of an authenticated request dated {@code dateMillis}; FORBIDDEN when it was
     * seen before (or its date was evicted under load), UNAVAILABLE when the cache cannot hold it.
     */
    public void admit(long dateMillis, String nonce) {
        long key = RequestSigner.nonceKey(nonce);
        long bucket = Math.floorDiv(dateMillis, BUCKET);
        synchronized (this) {
            expire(clock.millis());
            if (dateMillis < notBefore) {
                throw new PeerException(PeerException.Kind.FORBIDDEN, "request is dated before this peer started");
            }
            if (bucket < floor) {
                throw new PeerException(PeerException.Kind.FORBIDDEN, "request is older than the replay window kept under load");
            }
            LongSet set = buckets.get(bucket);
            if (set != null && set.contains(key)) throw new PeerException(PeerException.Kind.FORBIDDEN, "replayed request (nonce already seen)");
            while (size >= maxEntries) {
                Map.Entry<Long, LongSet> oldest = buckets.firstEntry();
                if (oldest.getKey() >= bucket) throw new PeerException(PeerException.Kind.UNAVAILABLE, "replay cache full");
                buckets.pollFirstEntry();
                size -= oldest.getValue().size();
                floor = oldest.getKey() + 1;
            }
            if (set == null) {
                set = new LongSet();
                buckets.put(bucket, set);
            }
            set.add(key);
            size++;
        }
    }

    /** Nonces currently held. */
    public synchronized long size() {
        return size;
    }

    private void expire(long now) {
        while (!buckets.isEmpty()) {
            long first = buckets.firstKey();
            if ((first + 1) * BUCKET + windowMillis >= now) return;
            size -= buckets.pollFirstEntry().getValue().size();
        }
    }

    /** Open-addressing set of longs (0 stored aside); grows at half full. */
    private static final class LongSet {
        private long[] table = new long[16];
        private int count;
        private boolean hasZero;

        int size() {
            return count + (hasZero ? 1 : 0);
        }

        boolean contains(long k) {
            if (k == 0) return hasZero;
            int mask = table.length - 1;
            for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
                long v = table[i];
                if (v == 0) return false;
                if (v == k) return true;
            }
        }

        void add(long k) {
            if (k == 0) {
                hasZero = true;
                return;
            }
            if ((count + 1) * 2 > table.length) grow();
            if (insert(table, k)) count++;
        }

        private void grow() {
            long[] bigger = new long[table.length * 2];
            for (long v : table) if (v != 0) insert(bigger, v);
            table = bigger;
        }

        /** Whether {@code k} was absent. */
        private static boolean insert(long[] t, long k) {
            int mask = t.length - 1;
            int i = mix(k) & mask;
            while (t[i] != 0 && t[i] != k) i = (i + 1) & mask;
            boolean added = t[i] == 0;
            t[i] = k;
            return added;
        }

        private static int mix(long k) {
            long h = k * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }
}
