package org.mictlanx.router.meta;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *
 * <p>A guard's token starts with this guard's (this router's) random id. A vote this router cast
 * in a round it abandoned (the replica answered after the call timeout, so the vote was neither
 * counted nor freed) is recognised as its own: a token with this router's id that belongs to no
 * round in progress and no held lease is free to this router. So a slow replica never makes a
 * router's own retry (a client retrying CreateBucket after a timeout) read as a concurrent writer;
 * another router still sees it held until it expires.
 *
 * <p>Lifecycle expiries take their guards with a second id of this guard ({@link #expiryId},
 * {@link #acquireForExpiry}), which the router names in its lifecycle lease. When another router takes
 * the lifecycle lease over from a holder whose lease ran out, it may {@link #breakExpiryGuardsOf break}
 * the guards that holder's expiries left (a holder killed mid-expiry would otherwise block that key
 * for the whole guard lease): a guard whose token carries a broken id is free to this guard. Only
 * expiry guards carry that id, so no other writer's guard (a PUT of the same dead router included)
 * is ever broken; and a holder whose lease ran out stops expiring before it does.
 */
public final class KeyGuard {

    /**
     * A held guard. {@code held} grows when a replica's vote arrives after the decision (a slow
     * replica): such a late vote is kept with the lease and freed with it, or freed at once when the
     * lease was already released.
     */
    public record Lease(String partition, String key, long expiresMillis, List<Held> held, AtomicBoolean released, String token) {
        public Lease(String partition, String key, long expiresMillis, List<Held> held) {
            this(partition, key, expiresMillis, held, null);
        }

        Lease(String partition, String key, long expiresMillis, List<Held> held, String token) {
            this(partition, key, expiresMillis, new CopyOnWriteArrayList<>(held), new AtomicBoolean(), token);
        }

        public boolean valid(long marginMillis) {
            return System.currentTimeMillis() + marginMillis < expiresMillis;
        }
    }

    record Held(PeerNode node, long version) {
    }

    /** A replica that answered but holds the guard for someone else (reachable, not acquired). */
    private static final class Busy extends RuntimeException {
        Busy() {
            super("guard held by another writer", null, false, false);
        }
    }

    /**
     * How often an undecided acquire looks at the votes: once a replica said "held by another" and
     * the decision still waits on a slow replica (a split vote), the writer steps back and retries
     * instead of waiting for that replica's call timeout.
     */
    static final long SPLIT_CHECK_NANOS = 100_000_000L;

    /**
     * Rounds in which a majority of the replicas did not answer before the acquire fails with
     * QUORUM_FAILED (a round costs at most one call timeout: replicas that are starting or overloaded
     * get a second and third chance, a majority that is really gone fails within three timeouts).
     */
    static final int UNREACHABLE_ROUNDS = 3;

    private final ReplicatedTable table;
    private final Fanout fanout;
    private final long leaseMillis;
    private final int attempts;
    private final SecureRandom random = new SecureRandom();
    /** This guard's id: the first bytes of every token it writes. */
    private final byte[] guardId = new byte[8];
    /** The id of this guard's lifecycle expiry tokens ({@link #acquireForExpiry}). */
    private final byte[] expiryGuardId = new byte[8];
    /** Expiry ids (hex) of lifecycle holders whose lease was taken over: their guards are free here. */
    private final java.util.Set<String> broken = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Tokens (hex) of this guard's rounds in progress and leases held; any other token with its id is abandoned. */
    private final java.util.Set<String> active = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** {@code fanout} runs the per-replica votes in parallel. */
    public KeyGuard(ReplicatedTable table, Fanout fanout, long leaseMillis, int attempts) {
        this.table = table;
        this.fanout = fanout;
        this.leaseMillis = leaseMillis;
        this.attempts = attempts;
        random.nextBytes(guardId);
        random.nextBytes(expiryGuardId);
    }

    /** The id (16 hex digits) the tokens of this guard's lifecycle expiries start with. */
    public String expiryId() {
        return java.util.HexFormat.of().formatHex(expiryGuardId);
    }

    /**
     * From now on, guards left by lifecycle expiries of the guard whose {@link #expiryId} is
     * {@code expiryId} are free to this guard: called by the router that took the lifecycle lease over
     * from that (dead) holder. Ignores a malformed id.
     */
    public void breakExpiryGuardsOf(String expiryId) {
        if (expiryId != null && expiryId.matches("[0-9a-f]{16}") && !expiryId.equals(expiryId())) broken.add(expiryId);
    }

    /** As {@link #acquire}, with a token carrying {@link #expiryId}: for the lifecycle worker's expiries. */
    public Lease acquireForExpiry(String bucket, String key) {
        return acquire(bucket, key, expiryGuardId, Duration.ZERO);
    }

    public static String partition(String bucket) {
        return "_mx.cas." + bucket;
    }

    /**
     * Acquires the guard of (bucket, key) or throws CONFLICT (held by another writer) / QUORUM_FAILED.
     * The replicas vote in parallel and the acquire returns as soon as W granted it (or W can no
     * longer grant it): a slow or frozen replica is not waited for, and its late vote is freed.
     */
    public Lease acquire(String bucket, String key) {
        return acquire(bucket, key, guardId, Duration.ZERO);
    }

    /**
     * The guard for a write S3 never refuses because of a concurrent one (an unconditional PUT or DELETE of
     * a version, a retention or tag change): while the guard is held by another writer it keeps trying for
     * at least {@code patience} (beyond the attempts; each holder keeps the guard only for its commit); if
     * the key is still busy after it, QUORUM_FAILED (503, which clients retry), never CONFLICT (409
     * ConditionalRequestConflict, which S3 gives only to conditional writes).
     */
    public Lease acquireUnconditional(String bucket, String key, Duration patience) {
        try {
            return acquire(bucket, key, guardId, patience);
        } catch (RouterException e) {
            if (e.kind() != RouterException.Kind.CONFLICT) throw e;
            throw new RouterException(RouterException.Kind.QUORUM_FAILED,
                    "key " + key + " stayed busy with other writers for " + patience.toSeconds() + " s", null, e);
        }
    }

    private Lease acquire(String bucket, String key, byte[] id, Duration patience) {
        String part = partition(bucket);
        int unreachable = 0;
        long deadline = System.nanoTime() + patience.toNanos();
        for (int attempt = 0; attempt < attempts || System.nanoTime() - deadline < 0; attempt++) {
            List<PeerNode> targets = table.replicas(part);
            if (targets.isEmpty()) throw new RouterException(RouterException.Kind.QUORUM_FAILED, "no peers");
            int w = QuorumTracker.majority(targets.size());
            long expires = System.currentTimeMillis() + leaseMillis;
            byte[] token = new byte[16];
            random.nextBytes(token);
            System.arraycopy(id, 0, token, 0, id.length);
            String tokenHex = java.util.HexFormat.of().formatHex(token);
            active.add(tokenHex);
            byte[] value = ByteBuffer.allocate(24).put(token).putLong(expires).array();
            // a peer marked down (failed call or probe; possibly frozen) is not asked while enough
            // others are up to reach the majority without it
            Fanout.Result<PeerNode, Held> res = fanout.start(targets, w,
                    n -> PeerNode.guarded(n, targets, w, () -> tryLock(n, part, key, value)));
            // wait for the decision; a split vote stuck on a slow replica steps back instead
            while (!res.await(SPLIT_CHECK_NANOS) && !contended(res)) {
                // keep waiting: no other writer in sight, only slow replicas (each bounded by the call timeout)
            }
            boolean won;
            Lease lease;
            Map<PeerNode, Held> got;
            synchronized (res) { // one snapshot: votes arriving after it are late votes
                won = res.succeeded();
                got = res.successes();
                lease = new Lease(part, key, expires, List.copyOf(got.values()), tokenHex);
            }
            res.all().thenRun(() -> lateVotes(res, got.keySet(), lease));
            if (won) return lease;
            release(lease);
            long busy = res.failures().values().stream().filter(Busy.class::isInstance).count();
            boolean decided = res.await(0);
            if (decided && got.size() + busy < w && ++unreachable >= UNREACHABLE_ROUNDS) {
                // a majority did not answer (down, or slower than the call timeout) several rounds in a row
                throw new RouterException(RouterException.Kind.QUORUM_FAILED, "guard replicas unreachable");
            }
            LockSupport.parkNanos((1 + random.nextInt(4 << Math.min(attempt, 6))) * 1_000_000L);
        }
        throw new RouterException(RouterException.Kind.CONFLICT, "a concurrent conditional write of this key is in progress");
    }

    private static boolean contended(Fanout.Result<PeerNode, Held> res) {
        return res.failures().values().stream().anyMatch(Busy.class::isInstance);
    }

    /** Votes granted after the decision: kept with a live lease, freed at once when it is released. */
    private void lateVotes(Fanout.Result<PeerNode, Held> res, java.util.Set<PeerNode> decided, Lease lease) {
        res.failures().forEach((n, e) -> {
            if (e instanceof Fanout.CallTimeoutException) n.markDown();
        });
        for (Map.Entry<PeerNode, Held> e : res.successes().entrySet()) {
            if (decided.contains(e.getKey())) continue;
            boolean freeNow;
            synchronized (lease) {
                freeNow = lease.released().get();
                if (!freeNow) lease.held().add(e.getValue());
            }
            if (freeNow) free(lease, e.getValue());
        }
    }

    private Held tryLock(PeerNode n, String part, String key, byte[] value) {
        Optional<MetaRecord> cur = n.call(p -> p.getRecord(part, key));
        long expected = PeerApi.ABSENT;
        long version = table.nextVersion();
        if (cur.isPresent()) {
            MetaRecord c = cur.get();
            boolean free = c.tombstone() || c.value().length != 24
                    || ByteBuffer.wrap(c.value()).getLong(16) < System.currentTimeMillis() || abandoned(c.value())
                    || broken.contains(java.util.HexFormat.of().formatHex(c.value(), 0, 8));
            if (!free) throw new Busy();
            expected = c.version();
            version = Math.max(version, c.version() + 1);
        }
        MetaRecord mine = new MetaRecord(part, key, version, false, value);
        long exp = expected;
        if (!n.call(p -> p.putRecordIf(mine, exp))) throw new Busy();
        return new Held(n, version);
    }

    /** Whether a stored guard value is a vote of a round this guard abandoned (its id, no live round or lease). */
    private boolean abandoned(byte[] value) {
        if (!java.util.Arrays.equals(value, 0, guardId.length, guardId, 0, guardId.length)
                && !java.util.Arrays.equals(value, 0, expiryGuardId.length, expiryGuardId, 0, expiryGuardId.length)) {
            return false;
        }
        return !active.contains(java.util.HexFormat.of().formatHex(value, 0, 16));
    }

    /** Frees the replicas held (best effort: a replica that misses it frees itself when the lease expires). */
    public void release(Lease lease) {
        List<Held> held;
        synchronized (lease) {
            if (lease.released().getAndSet(true)) return;
            held = List.copyOf(lease.held());
        }
        if (lease.token() != null) active.remove(lease.token());
        if (held.size() <= 1) {
            for (Held h : held) free(lease, h);
            return;
        }
        fanout.call(held, held.size(), h -> {
            free(lease, h);
            return true;
        });
    }

    private void free(Lease lease, Held h) {
        try {
            MetaRecord free = MetaRecord.tombstone(lease.partition(), lease.key(), h.version() + 1);
            fanout.callOne(() -> h.node().call(p -> p.putRecordIf(free, h.version())));
        } catch (RuntimeException e) {
            // expires by itself
        }
    }
}
