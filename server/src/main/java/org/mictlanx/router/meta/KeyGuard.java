package org.mictlanx.router.meta;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.quorum.Fanout;
import org.mictlanx.router.quorum.QuorumTracker;

/**
 * Per-key mutual exclusion for conditional writes, built on the peers' compare-and-set
 * ({@link PeerApi#putRecordIf}). The guard of (bucket, key) is record ({@code _mx.cas.<bucket>},
 * key) on the N replicas of that partition; free = absent, a tombstone, or an expired lease.
 *
 * <p>Acquire: on each replica, read the guard and, if free, CAS it from the version read to
 * {@code (token, expiry)}. The holder needs a majority W of the N replicas; since two majorities
 * intersect and a replica's CAS admits one holder per version, at most one writer holds a key's
 * guard at a time, through any number of routers. A writer that got fewer than W releases the
 * replicas it did get (CAS from its own version to a tombstone) and retries after a random
 * backoff; after {@code attempts} it gives up with CONFLICT. Guards are never read-repaired, so a
 * loser's partial CAS never spreads. A holder that crashes blocks the key until its lease
 * expires ({@code leaseMillis}; routers' clocks are assumed to agree within a fraction of it).
 * The holder checks the condition and commits the ball record while holding the guard, and checks
 * that its lease still has time left before the commit.
 */
public final class KeyGuard {

    /** A held guard. */
    public record Lease(String partition, String key, long expiresMillis, List<Held> held) {
        public boolean valid(long marginMillis) {
            return System.currentTimeMillis() + marginMillis < expiresMillis;
        }
    }

    record Held(PeerNode node, long version) {
    }

    private final ReplicatedTable table;
    private final Fanout fanout;
    private final long leaseMillis;
    private final int attempts;
    private final SecureRandom random = new SecureRandom();

    public KeyGuard(ReplicatedTable table, Fanout fanout, long leaseMillis, int attempts) {
        this.table = table;
        this.fanout = fanout;
        this.leaseMillis = leaseMillis;
        this.attempts = attempts;
    }

    public static String partition(String bucket) {
        return "_mx.cas." + bucket;
    }

    /** Acquires the guard of (bucket, key) or throws CONFLICT (held by another writer) / QUORUM_FAILED. */
    public Lease acquire(String bucket, String key) {
        String part = partition(bucket);
        for (int attempt = 0; attempt < attempts; attempt++) {
            List<PeerNode> targets = table.replicas(part);
            int w = QuorumTracker.majority(targets.size());
            long expires = System.currentTimeMillis() + leaseMillis;
            byte[] token = new byte[16];
            random.nextBytes(token);
            byte[] value = ByteBuffer.allocate(24).put(token).putLong(expires).array();
            List<Held> held = new ArrayList<>();
            int reachable = 0;
            long up = targets.stream().filter(PeerNode::up).count();
            for (PeerNode n : targets) {
                // a peer marked down (failed call or probe; possibly frozen) is not waited for while
                // enough others are up to reach the majority without it
                if (!n.up() && up >= w) continue;
                try {
                    Optional<Held> h = tryLock(n, part, key, value);
                    reachable++;
                    h.ifPresent(held::add);
                } catch (RuntimeException e) {
                    // unreachable replica: counts as not acquired
                }
            }
            if (held.size() >= w) return new Lease(part, key, expires, held);
            release(new Lease(part, key, expires, held));
            if (reachable < w) throw new RouterException(RouterException.Kind.QUORUM_FAILED, "guard replicas unreachable");
            LockSupport.parkNanos((1 + random.nextInt(4 << Math.min(attempt, 6))) * 1_000_000L);
        }
        throw new RouterException(RouterException.Kind.CONFLICT, "a concurrent conditional write of this key is in progress");
    }

    private Optional<Held> tryLock(PeerNode n, String part, String key, byte[] value) {
        Optional<MetaRecord> cur = fanout.callOne(() -> n.call(p -> p.getRecord(part, key)));
        long expected = PeerApi.ABSENT;
        long version = table.nextVersion();
        if (cur.isPresent()) {
            MetaRecord c = cur.get();
            boolean free = c.tombstone() || c.value().length != 24
                    || ByteBuffer.wrap(c.value()).getLong(16) < System.currentTimeMillis();
            if (!free) return Optional.empty();
            expected = c.version();
            version = Math.max(version, c.version() + 1);
        }
        MetaRecord mine = new MetaRecord(part, key, version, false, value);
        long exp = expected;
        boolean ok = fanout.callOne(() -> n.call(p -> p.putRecordIf(mine, exp)));
        return ok ? Optional.of(new Held(n, version)) : Optional.empty();
    }

    /** Frees the replicas held (best effort: a replica that misses it frees itself when the lease expires). */
    public void release(Lease lease) {
        for (Held h : lease.held()) {
            try {
                MetaRecord free = MetaRecord.tombstone(lease.partition(), lease.key(), h.version() + 1);
                fanout.callOne(() -> h.node().call(p -> p.putRecordIf(free, h.version())));
            } catch (RuntimeException e) {
                // expires by itself
            }
        }
    }
}
