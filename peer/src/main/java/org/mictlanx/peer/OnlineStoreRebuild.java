package org.mictlanx.peer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.api.PeerHealth;
import org.mictlanx.peer.api.StoreRebuildStatus;
import org.mictlanx.peer.cli.Preflight;
import org.mictlanx.peer.store.DiskGuard;
import org.mictlanx.peer.store.OwnerOnly;
import org.mictlanx.peer.store.RocksDatabase;
import org.mictlanx.peer.store.StoreRebuild;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state and the salvage step of a {@link LocalPeer}'s online store rebuild
 * ({@link org.mictlanx.peer.api.PeerApi#rebuildStore}): whether one runs (data calls are refused
 * meanwhile), its status, and the salvage itself ({@link StoreRebuild}: the damaged store's files
 * set aside, what reads copied into a fresh store). The peer closes and reopens its store around
 * {@link #salvage} under its own write lock; at most one rebuild runs at a time (the peer serializes
 * {@link #begin}).
 */
final class OnlineStoreRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(OnlineStoreRebuild.class);

    /** Calls refused while the store is damaged or rebuilt (the router asks another replica). */
    private static final Set<String> DATA_OPS = Set.of("getChunk", "headChunk", "listChunks", "putChunk",
            "deleteChunk", "putRecord", "putRecordIf", "putRecords", "getRecord", "scanRecords");

    private final String peerId;
    private final Path dataDir;
    private final long diskReserveBytes;
    private final Clock clock;
    private volatile boolean running;
    private volatile StoreRebuildStatus status;

    OnlineStoreRebuild(String peerId, Path dataDir, long diskReserveBytes, Clock clock) {
        this.peerId = peerId;
        this.dataDir = dataDir;
        this.diskReserveBytes = diskReserveBytes;
        this.clock = clock;
    }

    /** Whether a rebuild runs now (the store is closed or being replaced: data calls are refused). */
    boolean running() {
        return running;
    }

    /** The running or last rebuild's status; null when none ran. */
    StoreRebuildStatus status() {
        return status;
    }

    /**
     * Refuses call {@code op} while a rebuild runs, and a data call while store {@code db} (null for an
     * in-memory peer) reports damage it could not locate to a table file's key range: then the whole
     * store is quarantined, as what a damaged RocksDB still answers cannot be trusted to be complete;
     * the router asks another replica, and the store is rebuilt. A located damage quarantines only its
     * ranges (the stores refuse those keys, {@link RocksDatabase#damagedRanges()}). Throws UNAVAILABLE.
     */
    void checkServing(String op, RocksDatabase db) {
        if (running) throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + peerId + ": " + PeerHealth.STORE_REBUILDING);
        if (db == null || !DATA_OPS.contains(op)) return;
        Optional<String> d = db.wholeStoreDamage();
        if (d.isPresent()) {
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "peer " + peerId + " quarantined: "
                    + PeerHealth.STORE_DAMAGED + d.get() + " (rebuild it: docs/operations.md, \"A damaged peer\")");
        }
    }

    /** Why the peer is not ready as far as its store's damage or rebuild go (store {@code db}, null in memory); null when not. */
    String problem(RocksDatabase db) {
        if (running) return PeerHealth.STORE_REBUILDING;
        if (db == null) return null;
        Optional<String> damaged = db.storeDamage();
        return damaged.map(d -> PeerHealth.STORE_DAMAGED + d).orElse(null);
    }

    /**
     * Begins a rebuild of the store of identity {@code incarnation} reporting {@code damage} (or of an
     * undamaged one when {@code force}): returns the running status (then {@link #running} is true and
     * the caller runs {@link #salvage}), or {@code not-needed} when the store reports no damage.
     * Returns the running rebuild's status when one runs already.
     */
    StoreRebuildStatus begin(Optional<String> damage, boolean force, String incarnation) {
        if (running) return status;
        long now = clock.millis();
        if (damage.isEmpty() && !force) {
            return new StoreRebuildStatus(peerId, "not-needed", "the store reports no damage", null, List.of(), incarnation,
                    now, now);
        }
        String reason = damage.orElse("forced by an operator");
        status = new StoreRebuildStatus(peerId, "running", reason, null, List.of(), incarnation, now, 0);
        running = true;
        LOG.warn("peer {}: online store rebuild started ({}); data calls are refused until it ends", peerId, reason);
        return status;
    }

    /**
     * The salvage of the closed store of rebuild {@code start}, then {@code reopen} (opens a store in its
     * place, salvaged or not, and returns its identity; what it throws propagates). Returns the end status.
     */
    StoreRebuildStatus salvage(StoreRebuildStatus start, Supplier<String> reopen) {
        StoreRebuild.Report report = null;
        String error = null;
        try {
            report = StoreRebuild.rebuild(dataDir, Preflight.LOCK_FILE, diskReserveBytes);
        } catch (IOException | RuntimeException e) {
            error = e.toString();
            LOG.error("peer {}: store salvage failed ({}); opening a store in place of it", peerId, error);
        }
        String incarnation = reopen.get();
        List<String> families = report == null ? List.of() : report.families().stream()
                .map(f -> f.name() + ": " + f.copied() + " copied (" + f.bytes() + " bytes)"
                        + (f.damage().isEmpty() ? "" : ", damage skipped: " + String.join("; ", f.damage())))
                .toList();
        if (report != null && report.openError() != null) error = "damaged store unreadable: " + report.openError();
        String reason = start.reason();
        StoreRebuildStatus end = new StoreRebuildStatus(peerId, error == null ? "done" : "failed",
                error == null ? reason : reason + "; " + error,
                report == null ? null : report.setAside().toString(), families, incarnation, start.startedMillis(),
                clock.millis());
        LOG.warn("peer {}: online store rebuild {}: {}; new store {} (routers refill it)", peerId, end.state(), families,
                incarnation);
        return end;
    }

    /** Opens the store under the data directory (after {@link #salvage}), its files restricted to their owner. */
    RocksDatabase openStore(DiskGuard diskGuard) {
        RocksDatabase db = new RocksDatabase(dataDir, diskGuard);
        try {
            OwnerOnly.files(dataDir);
        } catch (IOException e) {
            LOG.warn("peer {}: cannot restrict the rebuilt store's files to their owner: {}", peerId, e.toString());
        }
        return db;
    }

    /** The end status of rebuild {@code start} when no store could be opened ({@code e}). */
    StoreRebuildStatus failed(StoreRebuildStatus start, RuntimeException e, String incarnation) {
        LOG.error("peer {}: online store rebuild failed; no store could be opened, the peer closes", peerId, e);
        return new StoreRebuildStatus(peerId, "failed", start.reason() + "; " + e, null, List.of(), incarnation,
                start.startedMillis(), clock.millis());
    }

    /** Ends the rebuild with status {@code end}: data calls are served again (from the new store). */
    void finish(StoreRebuildStatus end) {
        status = end;
        running = false;
    }
}
