package org.mictlanx.router.meta;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.quorum.Fanout;
import org.mictlanx.router.quorum.QuorumTracker;

/**
 * A cluster-wide lease for background work that one router at a time may do (e.g. the lifecycle
 * worker), built like {@link KeyGuard} on the peers' compare-and-set: record ({@value #PARTITION},
 * name) on the N replicas of that partition, value = expiry (epoch millis, 8 bytes) + holder id.
 * A replica is free for a holder when its record is absent, a tombstone, expired, or already that
 * holder's. {@link #acquire} CASes every reachable free replica from the version read; the lease is
 * held when a majority took it, so two holders never hold it at once (two majorities intersect and
 * a replica holds one unexpired holder). The holder renews by calling {@link #acquire} again before
 * the lease ends and must stop working once {@link #heldFor} says it has too little left; when it
 * dies its lease simply expires and another router takes over. Lease records are never
 * read-repaired or synced, so a loser's partial CAS never spreads.
 */
public final class ClusterLease {

    /** The partition of lease records (not a service partition: never synced). */
    public static final String PARTITION = "_mx.lease";

    private final ReplicatedTable table;
    private final Fanout fanout;
    private final String name;
    private final byte[] holder;
    private final long leaseMillis;
    private final LongSupplier nowMillis;
    private volatile long expires;
    private volatile java.util.function.Consumer<String> onTakeover = previous -> { };

    /**
     * @param name        the lease's name (one lease per name and cluster)
     * @param holder      this holder's id, unique per router process
     * @param leaseMillis how long an acquisition lasts unless renewed
     */
    public ClusterLease(ReplicatedTable table, Fanout fanout, String name, String holder, long leaseMillis,
                        LongSupplier nowMillis) {
        this.table = table;
        this.fanout = fanout;
        this.name = name;
        this.holder = holder.getBytes(StandardCharsets.UTF_8);
        this.leaseMillis = leaseMillis;
        this.nowMillis = nowMillis;
    }

    /**
     * Sets what to do when an {@link #acquire} takes the lease over from another holder whose lease ran
     * out: called, once the lease is held, with each such previous holder's id. Returns this.
     */
    public ClusterLease onTakeover(java.util.function.Consumer<String> action) {
        this.onTakeover = action;
        return this;
    }

    /**
     * Takes or renews the lease; returns whether this holder now holds it (until
     * {@code now + leaseMillis}). Never throws for unreachable replicas: they count as not taken.
     */
    public boolean acquire() {
        List<PeerNode> targets = table.replicas(PARTITION);
        int w = QuorumTracker.majority(targets.size());
        long until = nowMillis.getAsLong() + leaseMillis;
        byte[] value = ByteBuffer.allocate(8 + holder.length).putLong(until).put(holder).array();
        List<Long> held = new ArrayList<>();
        List<PeerNode> heldNodes = new ArrayList<>();
        java.util.Set<String> previous = new java.util.LinkedHashSet<>();
        long up = targets.stream().filter(PeerNode::up).count();
        for (PeerNode n : targets) {
            if (!n.up() && up >= w) continue;
            try {
                Optional<Long> v = tryTake(n, value, previous);
                if (v.isPresent()) {
                    held.add(v.get());
                    heldNodes.add(n);
                }
            } catch (RuntimeException e) {
                // unreachable: not taken
            }
        }
        if (held.size() >= w) {
            expires = until;
            for (String p : previous) {
                try {
                    onTakeover.accept(p);
                } catch (RuntimeException e) {
                    // the takeover action is best effort
                }
            }
            return true;
        }
        expires = 0;
        for (int i = 0; i < heldNodes.size(); i++) free(heldNodes.get(i), held.get(i));
        return false;
    }

    /** Milliseconds this holder still holds the lease (0 when it does not). */
    public long heldFor() {
        return Math.max(0, expires - nowMillis.getAsLong());
    }

    /** The holder of the lease as replica {@code n} knows it (for stats and tests); empty when free. */
    public Optional<String> holderSeen() {
        for (PeerNode n : table.replicas(PARTITION)) {
            try {
                Optional<MetaRecord> cur = fanout.callOne(() -> n.call(p -> p.getRecord(PARTITION, name)));
                if (cur.isPresent() && !cur.get().tombstone() && cur.get().value().length > 8
                        && ByteBuffer.wrap(cur.get().value()).getLong() >= nowMillis.getAsLong()) {
                    byte[] v = cur.get().value();
                    return Optional.of(new String(v, 8, v.length - 8, StandardCharsets.UTF_8));
                }
            } catch (RuntimeException e) {
                // try the next replica
            }
        }
        return Optional.empty();
    }

    /** Gives the lease up at once (best effort: a replica that misses it frees itself at expiry). */
    public void release() {
        expires = 0;
        for (PeerNode n : table.replicas(PARTITION)) {
            try {
                Optional<MetaRecord> cur = fanout.callOne(() -> n.call(p -> p.getRecord(PARTITION, name)));
                if (cur.isPresent() && !cur.get().tombstone() && mine(cur.get().value())) free(n, cur.get().version());
            } catch (RuntimeException e) {
                // expires by itself
            }
        }
    }

    /** Takes replica {@code n} if free; adds to {@code previous} the holder of an expired record it replaces. */
    private Optional<Long> tryTake(PeerNode n, byte[] value, java.util.Set<String> previous) {
        Optional<MetaRecord> cur = fanout.callOne(() -> n.call(p -> p.getRecord(PARTITION, name)));
        long expected = PeerApi.ABSENT;
        long version = table.nextVersion();
        if (cur.isPresent()) {
            MetaRecord c = cur.get();
            boolean free = c.tombstone() || c.value().length < 8 || mine(c.value())
                    || ByteBuffer.wrap(c.value()).getLong() < nowMillis.getAsLong();
            if (!free) return Optional.empty();
            if (!c.tombstone() && c.value().length > 8 && !mine(c.value())) {
                previous.add(new String(c.value(), 8, c.value().length - 8, StandardCharsets.UTF_8));
            }
            expected = c.version();
            version = Math.max(version, c.version() + 1);
        }
        MetaRecord next = new MetaRecord(PARTITION, name, version, false, value);
        long exp = expected;
        boolean ok = fanout.callOne(() -> n.call(p -> p.putRecordIf(next, exp)));
        return ok ? Optional.of(version) : Optional.empty();
    }

    private boolean mine(byte[] value) {
        return value.length == 8 + holder.length && Arrays.equals(value, 8, value.length, holder, 0, holder.length);
    }

    private void free(PeerNode n, long version) {
        try {
            MetaRecord t = MetaRecord.tombstone(PARTITION, name, version + 1);
            fanout.callOne(() -> n.call(p -> p.putRecordIf(t, version)));
        } catch (RuntimeException e) {
            // expires by itself
        }
    }
}
