package org.mictlanx.router;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mictlanx.router.meta.LayoutStore;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerConnector;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.crypto.ChunkCipher;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.crypto.SegmentKeys;
import org.mictlanx.router.io.BallReaders;
import org.mictlanx.router.io.BallService;
import org.mictlanx.router.io.BucketService;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.router.io.ChunkCensus;
import org.mictlanx.router.io.ChunkIo;
import org.mictlanx.router.io.Committer;
import org.mictlanx.router.io.MultipartService;
import org.mictlanx.router.io.References;
import org.mictlanx.router.io.SegmentOpener;
import org.mictlanx.router.io.SegmentRewrap;
import org.mictlanx.router.io.VersionService;
import org.mictlanx.router.maint.GcService;
import org.mictlanx.router.maint.MaintenanceStats;
import org.mictlanx.router.maint.PeerRebuild;
import org.mictlanx.router.maint.RepairHints;
import org.mictlanx.router.maint.RepairQueue;
import org.mictlanx.router.maint.RepairService;
import org.mictlanx.router.meta.HybridClock;
import org.mictlanx.router.meta.KeyGuard;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.quorum.Fanout;

/**
 * The composition root of one {@link Router}: builds every component from a {@link RouterBuilder}'s
 * settings in dependency order and hands each one what it uses. No behaviour of its own; the
 * {@link Router} facade, {@link ClusterAdmin} and {@link RouterTimers} take their parts from here.
 */
final class RouterWiring {
    final RouterBuilder settings;
    /** The layout the router starts from. */
    final ClusterLayout layout;
    final RouterConfig config;
    final PeerPool pool;
    /** Virtual threads for peer calls and short background jobs. */
    final ExecutorService io;
    final Fanout fanout;
    final ReplicatedTable table;
    final LayoutStore layouts;
    final RepairHints hints;
    final RepairQueue repairQueue;
    final BufferBudget budget;
    final BucketService buckets;
    final KeysAndUsage keysAndUsage;
    final VersionService versions;
    final BallService balls;
    final MultipartService uploads;
    final MaintenanceStats maintenance = new MaintenanceStats();
    final RepairService repair;
    final GcService gc;
    final PeerRebuild rebuild;

    /** {@code layout}, {@code connector} and {@code masterKeys}: the builder's, checked present. */
    RouterWiring(RouterBuilder b, ClusterLayout layout, PeerConnector connector, MasterKeys masterKeys) {
        this.settings = b;
        this.layout = layout;
        this.config = b.config;
        this.pool = new PeerPool(layout, connector, b.ownsClients);
        this.io = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("router-io-", 0).factory());
        this.fanout = new Fanout(io, config.callTimeout());
        HybridClock clock = new HybridClock(b.clock);
        this.table = new ReplicatedTable(pool, fanout, io, clock);
        this.layouts = new LayoutStore(pool, fanout, clock);
        this.hints = new RepairHints(table, io, b.clock);
        this.repairQueue = new RepairQueue(100_000, hints::record);
        BufferBudget given = b.budget;
        this.budget = given != null ? given : new BufferBudget(BufferBudget.defaultCapacity(), BufferBudget.DEFAULT_WAIT);
        ChunkCipher cipher = new ChunkCipher();
        SegmentKeys segmentKeys = new SegmentKeys(cipher, masterKeys);
        ChunkIo chunkIo = new ChunkIo(pool, fanout, io, cipher, segmentKeys, repairQueue, maintenance::isUnrepairable);
        ChunkCensus census = new ChunkCensus(chunkIo, fanout, io);
        KeyGuard guard = new KeyGuard(table, fanout, Math.max(10_000, config.callTimeout().toMillis() * 10), 12);
        this.buckets = new BucketService(table, guard, pool, config, () -> b.clock.millis() * 1_000_000L);
        References refs = new References(table, b.clock);
        this.keysAndUsage = new KeysAndUsage(table, fanout, buckets, segmentKeys, masterKeys, b.keyService,
                b.clock, b.usage, guard);
        this.versions = new VersionService(io, config, table, refs, guard, b.clock, keysAndUsage.ledger());
        Committer committer = new Committer(io, config, table, refs, guard, versions, keysAndUsage.ledger());
        SegmentOpener segments = new SegmentOpener(pool, config, cipher, segmentKeys, b.clock, chunkIo, budget, repairQueue,
                io);
        SegmentRewrap rewrap = new SegmentRewrap(masterKeys, segmentKeys);
        this.balls = new BallService(segments, new BallReaders(chunkIo, census, fanout, io, config.prefetchChunks(), config.verifyAheadBytes()), rewrap, table,
                buckets, committer, versions, guard, io, config, budget, b.clock, keysAndUsage.ledger());
        this.uploads = new MultipartService(rewrap, refs, segments, config, io, table, buckets, balls, committer, b.clock,
                keysAndUsage.ledger());
        this.repair = new RepairService(chunkIo, pool, fanout, io, cipher, table, maintenance, repairQueue,
                config.repairBytesPerSecond());
        this.rebuild = new PeerRebuild(chunkIo, census, pool, io, table, repair, b.clock);
        this.gc = new GcService(chunkIo, pool, fanout, maintenance, config.gcGrace(), refs, uploads);
    }
}
