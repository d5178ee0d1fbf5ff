package org.mictlanx.router;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.LayoutStore;
import org.mictlanx.router.cluster.PeerConnector;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.cluster.PeerNode;
import org.mictlanx.router.cluster.PeerPool;
import org.mictlanx.router.crypto.ChunkCipher;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.io.BallService;
import org.mictlanx.router.io.BucketService;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.router.io.ChunkIo;
import org.mictlanx.router.io.Committer;
import org.mictlanx.router.io.MultipartService;
import org.mictlanx.router.io.References;
import org.mictlanx.router.io.VersionService;
import org.mictlanx.router.meta.VersionIds;
import org.mictlanx.router.meta.KeyGuard;
import org.mictlanx.router.maint.GcService;
import org.mictlanx.router.maint.MaintenanceStats;
import org.mictlanx.router.maint.PeerWatch;
import org.mictlanx.router.maint.RepairHints;
import org.mictlanx.router.maint.RepairQueue;
import org.mictlanx.router.maint.RepairService;
import org.mictlanx.router.meta.HybridClock;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.ServiceMetaTable;
import org.mictlanx.router.quorum.Fanout;
import org.mictlanx.router.usage.Reservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router: a {@link BallStore} over a pool of peers, with its background health probing,
 * layout refresh, repair and GC. Build it with {@link #builder()}; {@link #close()} stops every
 * background thread (and closes the peer clients it opened itself).
 */
public final class Router implements BallStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final RouterConfig config;
    private final PeerPool pool;
    private final ExecutorService io;
    private final ScheduledExecutorService timers;
    private final ReplicatedTable table;
    private final LayoutStore layouts;
    private final BucketService buckets;
    private final BallService balls;
    private final VersionService versions;
    private final MultipartService uploads;
    private final ServiceMetaTable metaTable;
    private final org.mictlanx.router.crypto.KeyService keyService;
    private final org.mictlanx.router.maint.MasterRewrap masterRewrap;
    private final RepairQueue repairQueue;
    private final RepairService repair;
    private final org.mictlanx.router.maint.PeerRebuild rebuild;
    private final RepairHints hints;
    private final GcService gc;
    private final MaintenanceStats maintenance = new MaintenanceStats();
    private final Fanout fanout;
    private final BufferBudget budget;
    /** Workers draining the repair queue: several, so a peer's return is caught up in parallel (copies stay rate-limited). */
    private final List<Thread> repairWorkers = new ArrayList<>();
    static final int REPAIR_WORKERS = 4;
    private final PeerWatch peerWatch;
    private final org.mictlanx.router.usage.UsageLedger usageLedger;
    private final org.mictlanx.router.usage.UsageService usage;
    /** A full pass has been requested and not started yet (requests coalesce). */
    private final java.util.concurrent.atomic.AtomicBoolean passRequested = new java.util.concurrent.atomic.AtomicBoolean();

    private Router(Builder b) {
        this.config = b.config;
        this.pool = new PeerPool(b.layout, b.connector, b.ownsClients);
        this.io = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("router-io-", 0).factory());
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("router-timer").factory());
        this.fanout = new Fanout(io, config.callTimeout());
        HybridClock clock = new HybridClock(b.clock);
        this.table = new ReplicatedTable(pool, fanout, io, clock);
        this.layouts = new LayoutStore(pool, fanout, clock);
        this.hints = new RepairHints(table, io, b.clock);
        this.repairQueue = new RepairQueue(100_000, hints::record);
        this.budget = b.budget != null ? b.budget
                : new BufferBudget(BufferBudget.defaultCapacity(), BufferBudget.DEFAULT_WAIT);
        ChunkIo chunkIo = new ChunkIo(pool, fanout, io, new ChunkCipher(), b.masterKeys, repairQueue, config, budget,
                maintenance::isUnrepairable);
        KeyGuard guard = new KeyGuard(table, fanout, Math.max(10_000, config.callTimeout().toMillis() * 10), 12);
        this.buckets = new BucketService(table, guard, pool, config, () -> b.clock.millis() * 1_000_000L);
        References refs = new References(table, b.clock);
        this.usageLedger = new org.mictlanx.router.usage.UsageLedger(table, b.clock, b.usage);
        this.usage = new org.mictlanx.router.usage.UsageService(usageLedger,
                new org.mictlanx.router.usage.UsageScanner(table), buckets);
        VersionService versions = new VersionService(chunkIo, table, refs, guard, b.clock);
        Committer committer = new Committer(chunkIo, table, refs, guard, versions, usageLedger);
        this.versions = versions;
        this.balls = new BallService(chunkIo, table, buckets, committer, b.clock, usageLedger);
        this.uploads = new MultipartService(chunkIo, table, buckets, balls, committer, b.clock, usageLedger);
        this.metaTable = new ServiceMetaTable(table);
        this.keyService = b.keyService != null ? b.keyService
                : new org.mictlanx.router.crypto.BuiltInKeyService(metaTable, b.masterKeys, new ChunkCipher(), b.clock);
        this.masterRewrap = new org.mictlanx.router.maint.MasterRewrap(table, metaTable, buckets, chunkIo.segmentKeys(),
                b.masterKeys, keyService, b.clock);
        this.repair = new RepairService(chunkIo, table, maintenance);
        this.rebuild = new org.mictlanx.router.maint.PeerRebuild(chunkIo, table, repair, b.clock);
        this.peerWatch = new PeerWatch(repairQueue, this::requestFullPass,
                id -> background(() -> rebuild.start(id, "the peer reports a damaged store")));
        this.gc = new GcService(chunkIo, table, maintenance, config.gcGrace(), refs, uploads);
        bootstrapLayout(b.layout);
        for (int i = 0; i < REPAIR_WORKERS; i++) {
            repairWorkers.add(Thread.ofVirtual().name("router-repair-" + i).start(repair::drainQueue));
        }
        long flush = b.usage.flushInterval().toMillis();
        timers.scheduleWithFixedDelay(() -> background(usageLedger::flush), flush, flush, TimeUnit.MILLISECONDS);
        if (b.background && !b.usage.recountInterval().isZero()) {
            long recount = b.usage.recountInterval().toMillis();
            timers.scheduleWithFixedDelay(() -> background(usage::recountAll), recount, recount, TimeUnit.MILLISECONDS);
        }
        if (b.background) {
            long probe = config.probeInterval().toMillis();
            timers.scheduleWithFixedDelay(this::probeAndRefresh, probe, probe, TimeUnit.MILLISECONDS);
            timers.scheduleWithFixedDelay(() -> background(() -> repair.fullPass(false)),
                    config.repairInterval().toMillis(), config.repairInterval().toMillis(), TimeUnit.MILLISECONDS);
            timers.scheduleWithFixedDelay(this::requestHintSweep, RepairHints.SWEEP_MILLIS, RepairHints.SWEEP_MILLIS,
                    TimeUnit.MILLISECONDS);
            timers.scheduleWithFixedDelay(() -> {
                background(gc::pass);
                background(this::purgeDeletedKmsKeys);
            }, config.gcInterval().toMillis(), config.gcInterval().toMillis(), TimeUnit.MILLISECONDS);
            io.execute(() -> background(masterRewrap::resumeIfRunning));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The request buffer budget this router's puts reserve their chunk buffers from (share it with the front door). */
    public BufferBudget bufferBudget() {
        return budget;
    }

    // ---- BallStore ----

    @Override
    public BucketInfo createBucket(String name, String owner, String region) {
        BucketInfo created = buckets.create(name, owner, region);
        usageLedger.reset(name); // figures of an earlier bucket of that name do not carry over
        return created;
    }

    @Override
    public Optional<BucketInfo> bucket(String name) {
        return buckets.recent(name);
    }

    @Override
    public List<BucketInfo> listBuckets() {
        return buckets.list();
    }

    @Override
    public BucketInfo replaceBucketTags(String name, Map<String, String> tags) {
        return buckets.replaceTags(name, tags);
    }

    @Override
    public void deleteBucket(String name) {
        buckets.delete(name, balls::isEmpty);
        usageLedger.reset(name);
    }

    @Override
    public BallInfo putBall(PutBall request, InputStream body) {
        try (Reservation r = usageLedger.admit(request.bucket(), request.length())) {
            return balls.put(request, request.length() < 0 ? r.watch(body) : body);
        }
    }

    @Override
    public Optional<BallInfo> headBall(String bucket, String key) {
        return balls.head(bucket, key);
    }

    @Override
    public InputStream openBall(BallInfo ball, long offset, long length) {
        return balls.open(ball, offset, length);
    }

    @Override
    public boolean deleteBall(String bucket, String key) {
        return balls.delete(bucket, key);
    }

    @Override
    public BucketInfo setBucketVersioning(String name, VersioningState state) {
        return buckets.setVersioning(name, state);
    }

    @Override
    public BucketInfo createBucket(String name, String owner, String region, boolean objectLock) {
        BucketInfo created = buckets.create(name, owner, region, objectLock);
        usageLedger.reset(name); // figures of an earlier bucket of that name do not carry over
        return created;
    }

    @Override
    public BucketInfo setBucketObjectLock(String name, ObjectLockConfig config) {
        return buckets.setObjectLock(name, config);
    }

    @Override
    public Optional<BallInfo> changeBallLock(String bucket, String key, String versionId,
                                             java.util.function.UnaryOperator<Map<String, String>> change) {
        if (versionId != null) requireVersionId(versionId);
        buckets.require(bucket);
        return versions.changeLock(bucket, key, versionId, change);
    }

    @Override
    public Optional<BallInfo> replaceVersionTags(String bucket, String key, String versionId, Map<String, String> tags) {
        requireVersionId(versionId);
        buckets.require(bucket);
        return versions.changeTags(bucket, key, versionId, tags);
    }

    @Override
    public Optional<BallInfo> headBallVersion(String bucket, String key, String versionId) {
        requireVersionId(versionId);
        buckets.require(bucket);
        return versions.version(bucket, key, versionId);
    }

    @Override
    public Optional<BallInfo> newestVersion(String bucket, String key) {
        return versions.newest(bucket, key);
    }

    @Override
    public Optional<DeletedVersion> deleteBallVersion(String bucket, String key, String versionId, boolean bypassGovernance) {
        return balls.delete(bucket, key, versionId, bypassGovernance).map(d -> new DeletedVersion(d.versionId(), d.deleteMarker()));
    }

    @Override
    public VersionPage listBallVersions(String bucket, String prefix, String after, int limit) {
        buckets.require(bucket);
        VersionService.Page page = versions.list(bucket, prefix, after, limit);
        return new VersionPage(page.entries().stream().map(e -> new VersionEntry(e.sortKey(), e.ball(), e.latest())).toList(),
                page.more());
    }

    @Override
    public Optional<String> versionPosition(String bucket, String key, String versionId) {
        if (versionId == null) return Optional.of(VersionIds.afterKey(key));
        requireVersionId(versionId);
        if (!VersionIds.NULL.equals(versionId)) return VersionIds.sortKeyOf(key, versionId);
        Optional<BallInfo> legacy = balls.head(bucket, key).filter(b -> b.layout().versionId() == null);
        if (legacy.isPresent()) return Optional.of(VersionIds.keyPrefix(key));
        return versions.locate(bucket, key, versionId).map(org.mictlanx.peer.api.MetaRecord::sortKey);
    }

    private static void requireVersionId(String versionId) {
        if (!VersionIds.NULL.equals(versionId) && !VersionIds.wellFormed(versionId)) {
            throw new RouterException(RouterException.Kind.BAD_REQUEST, "invalid version id");
        }
    }

    @Override
    public BallPage listBalls(String bucket, String prefix, String startAfter, int limit) {
        return balls.list(bucket, prefix, startAfter, limit);
    }

    @Override
    public BallInfo copyBall(BallInfo source, String bucket, String key, Map<String, String> headers,
                             Map<String, String> userMetadata, Map<String, String> tags, WriteCondition condition) {
        try (Reservation r = usageLedger.admit(bucket, source.size())) {
            return balls.copy(source, bucket, key, headers, userMetadata, tags, condition);
        }
    }

    @Override
    public Optional<BallInfo> replaceTags(String bucket, String key, Map<String, String> tags) {
        return balls.replaceTags(bucket, key, tags);
    }

    @Override
    public String createUpload(String bucket, String key, Map<String, String> headers, Map<String, String> userMetadata,
                               Map<String, String> tags, java.util.Set<Digest> checksumAlgorithms,
                               ChecksumType checksumType, Redundancy redundancy) {
        return uploads.create(bucket, key, headers, userMetadata, tags, checksumAlgorithms, checksumType, redundancy);
    }

    @Override
    public PartInfo putPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
                            java.util.Set<Digest> digests, PutBall.Verifier verifier) {
        return putPart(bucket, key, uploadId, partNumber, body, length, digests, verifier, null);
    }

    @Override
    public PartInfo putPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
                            java.util.Set<Digest> digests, PutBall.Verifier verifier,
                            org.mictlanx.router.crypto.CustomerKey customerKey) {
        try (Reservation r = usageLedger.admit(bucket, length)) {
            return uploads.putPart(bucket, key, uploadId, partNumber, length < 0 ? r.watch(body) : body, length, digests,
                    verifier, customerKey);
        }
    }

    @Override
    public BallInfo rewrap(BallInfo ball, org.mictlanx.router.crypto.CustomerKey from,
                           org.mictlanx.router.crypto.CustomerKey to) {
        return balls.rewrap(ball, from, to);
    }

    @Override
    public PartInfo copyPart(String bucket, String key, String uploadId, int partNumber, BallInfo source, long offset,
                             long length) {
        return copyPart(bucket, key, uploadId, partNumber, source, offset, length, null);
    }

    @Override
    public PartInfo copyPart(String bucket, String key, String uploadId, int partNumber, BallInfo source, long offset,
                             long length, org.mictlanx.router.crypto.CustomerKey customerKey) {
        try (Reservation r = usageLedger.admit(bucket, length)) {
            return uploads.copyPart(bucket, key, uploadId, partNumber, source, offset, length, customerKey);
        }
    }

    @Override
    public PartPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int limit) {
        return uploads.listParts(bucket, key, uploadId, partNumberMarker, limit);
    }

    @Override
    public Optional<UploadInfo> upload(String bucket, String key, String uploadId) {
        return uploads.upload(bucket, key, uploadId);
    }

    @Override
    public UploadPage listUploads(String bucket, String prefix, String keyMarker, String uploadIdMarker, int limit) {
        return uploads.listUploads(bucket, prefix, keyMarker, uploadIdMarker, limit);
    }

    @Override
    public void abortUpload(String bucket, String key, String uploadId) {
        uploads.abort(bucket, key, uploadId);
    }

    @Override
    public BallInfo completeUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
                                   WriteCondition condition, PutBall.Verifier verifier) {
        return uploads.complete(bucket, key, uploadId, parts, condition, verifier);
    }

    @Override
    public Optional<org.mictlanx.router.crypto.KeyService> keyService() {
        return Optional.of(keyService);
    }

    @Override
    public MetaTable metaTable() {
        return metaTable;
    }

    /**
     * Per-bucket usage and quotas (read by the admin API, {@code /metrics} and the web console):
     * {@code usage().usage(bucket)} is one bucket's {@link BucketUsage}.
     */
    public BucketUsages usage() {
        return usage;
    }

    /** Usage accounting intervals of this router. */
    public org.mictlanx.router.usage.UsageConfig usageConfig() {
        return usageLedger.config();
    }

    /** Writes this router's unflushed usage changes now (they are written every flush interval anyway). */
    public boolean flushUsage() {
        return usageLedger.flush();
    }

    // ---- administration ----

    /** The layout this router currently uses. */
    public ClusterLayout layout() {
        return pool.view().layout();
    }

    /**
     * Adds a peer (new layout version, stored on every peer), then moves its share of the data to it:
     * a repair pass copies each chunk to its new placement, then a GC pass deletes the replicas left on
     * peers no longer in their placement, each only once every peer of the new placement holds it whole
     * (not at the next periodic GC, up to {@code gcInterval} later).
     */
    public synchronized ClusterLayout addPeer(PeerDescriptor peer) {
        ClusterLayout next = storeAndApply(layout().withPeer(peer));
        io.execute(() -> background(this::moveThenCollect));
        return next;
    }

    /** A repair pass to the current placement, then a GC pass that drops the misplaced replicas it made redundant. */
    private void moveThenCollect() {
        repair.fullPass(false);
        gc.pass();
    }

    /**
     * Drains a peer: it stops receiving replicas, a repair pass copies its data to the new
     * placement, then it is removed from the layout. Blocks until done.
     */
    public synchronized ClusterLayout drainPeer(String id) {
        storeAndApply(layout().withDraining(id));
        repair.fullPass(false);
        return storeAndApply(layout().without(id));
    }

    /**
     * Points a peer id at a new url (or zone, weight), e.g. an empty peer started in place of a
     * dead one; repair then refills it.
     */
    public synchronized ClusterLayout replacePeer(PeerDescriptor peer) {
        ClusterLayout next = storeAndApply(layout().withReplaced(peer));
        io.execute(() -> background(this::moveThenCollect));
        return next;
    }

    /** Removes a dead peer at once; repair then restores the replicas it held from the others. */
    public synchronized ClusterLayout removePeer(String id) {
        ClusterLayout next = storeAndApply(layout().without(id));
        io.execute(() -> background(() -> repair.fullPass(false)));
        return next;
    }

    /**
     * Starts the online rebuild of peer {@code id} ({@link org.mictlanx.router.maint.PeerRebuild}): a
     * peer reporting a damaged store rebuilds it first, then everything it should hold is
     * re-replicated onto it. Returns at once with the rebuild's status (that of the running one when
     * a rebuild is already running). BAD_REQUEST for an id outside the layout.
     */
    public org.mictlanx.router.maint.PeerRebuild.Status rebuildPeer(String id) {
        return rebuild.start(id, "requested by an operator");
    }

    /** Runs a full repair pass now (optionally scrubbing every peer first) and returns when it is done. */
    public void repairNow(boolean scrub) {
        repair.fullPass(scrub);
    }

    /**
     * Starts (or resumes) the background re-wrap of every KMS key version and ball data key still
     * under an older master key ({@link org.mictlanx.router.maint.MasterRewrap}); returns at once.
     */
    public org.mictlanx.router.maint.MasterRewrap.Status startMasterRewrap() {
        return masterRewrap.start();
    }

    /** Progress of the master key re-wrap (last run, or the one running). */
    public org.mictlanx.router.maint.MasterRewrap.Status masterRewrapStatus() {
        return masterRewrap.status();
    }

    /** Waits up to {@code millis} for a running master re-wrap; false if it is still running. */
    public boolean awaitMasterRewrap(long millis) throws InterruptedException {
        return masterRewrap.await(millis);
    }

    /** Deletes built-in KMS keys whose scheduled deletion date has passed (run with GC). */
    private void purgeDeletedKmsKeys() {
        if (keyService instanceof org.mictlanx.router.crypto.BuiltInKeyService kms) {
            int n = kms.purgeExpired();
            if (n > 0) LOG.info("kms: {} keys deleted at the end of their waiting period", n);
        }
    }

    /** Runs a GC pass now and returns when it is done. */
    public void gcNow() {
        gc.pass();
    }

    /** Probes every peer's health now and picks up a newer stored layout. */
    public void probeNow() {
        probeAndRefresh();
    }

    /**
     * A cluster-wide lease named {@code name} taken for {@code holder} (unique per router process),
     * lasting {@code lease} unless renewed: at most one holder at a time across every router over
     * these peers (see {@link org.mictlanx.router.meta.ClusterLease}). Used by background work that
     * must run once per cluster, such as lifecycle rules.
     */
    public org.mictlanx.router.meta.ClusterLease clusterLease(String name, String holder, java.time.Duration lease) {
        return new org.mictlanx.router.meta.ClusterLease(table, fanout, name, holder, lease.toMillis(),
                System::currentTimeMillis);
    }

    /**
     * Each peer's own counters (chunks, chunk bytes, records, free disk: maintained by the peer as it
     * stores and deletes, not by a scan), asked now in parallel; a peer that does not answer within
     * {@code timeout} is left out.
     */
    public Map<String, org.mictlanx.peer.api.PeerStats> peerStats(java.time.Duration timeout) {
        Map<String, java.util.concurrent.CompletableFuture<org.mictlanx.peer.api.PeerStats>> asked = new LinkedHashMap<>();
        for (PeerNode n : pool.view().nodes().values()) {
            asked.put(n.id(), java.util.concurrent.CompletableFuture.supplyAsync(() -> n.api().stats(), io));
        }
        Map<String, org.mictlanx.peer.api.PeerStats> out = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var e : asked.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
                e.getValue().cancel(true);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return out;
    }

    /** Peers as this router sees them, plus repair and GC progress. */
    public RouterStats stats() {
        List<RouterStats.Peer> peers = new ArrayList<>();
        PeerPool.View v = pool.view();
        for (PeerNode n : v.nodes().values()) {
            peers.add(new RouterStats.Peer(n.id(), n.descriptor().url(), n.descriptor().zone(), n.up(),
                    v.layout().draining().contains(n.id()), n.latencyEwmaMicros() / 1000.0));
        }
        return new RouterStats(v.layout().version(), peers, maintenance.snapshot(repairQueue), hints.stats(), rebuild.status());
    }

    @Override
    public void close() {
        masterRewrap.stop();
        timers.shutdownNow();
        try {
            usageLedger.flush(); // the last changes of this writer, so a clean stop leaves no drift
        } catch (RuntimeException e) {
            LOG.debug("final usage flush failed: {}", e.toString());
        }
        repairWorkers.forEach(Thread::interrupt);
        io.shutdownNow();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
            timers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }

    private ClusterLayout storeAndApply(ClusterLayout next) {
        pool.apply(next);
        layouts.store(next, List.copyOf(pool.view().nodes().values()));
        return next;
    }

    private void bootstrapLayout(ClusterLayout configured) {
        Optional<ClusterLayout> stored;
        try {
            stored = layouts.load();
        } catch (RuntimeException e) {
            LOG.warn("could not read the stored layout: {}", e.toString());
            stored = Optional.empty();
        }
        if (stored.isPresent() && stored.get().version() >= configured.version()) {
            pool.apply(stored.get());
        } else {
            ClusterLayout toStore = stored.isPresent() || configured.version() > 0 ? configured
                    : new ClusterLayout(1, configured.peers(), configured.draining());
            pool.apply(toStore);
            try {
                layouts.store(pool.view().layout(), List.copyOf(pool.view().nodes().values()));
            } catch (RuntimeException e) {
                LOG.warn("could not store the layout yet (will use it locally): {}", e.getMessage());
            }
        }
    }

    /** Probes every peer ({@link PeerWatch#probe}), then picks up a newer stored layout. */
    private void probeAndRefresh() {
        peerWatch.probe(List.copyOf(pool.view().nodes().values()), io, probeTimeoutMillis());
        layouts.refresh();
    }

    /** A health probe slower than this counts as failed: twice the probe interval, at least 1 s, at most the call timeout. */
    private long probeTimeoutMillis() {
        long t = Math.max(1000, 2 * config.probeInterval().toMillis());
        return Math.min(t, config.callTimeout().toMillis());
    }

    /**
     * Settles the stored repair hints in the background ({@link RepairHints#sweep}) while some peer is
     * up; each hint is settled as soon as the peers it needs are up (others are deferred).
     */
    private void requestHintSweep() {
        if (pool.view().nodes().values().stream().noneMatch(PeerNode::up)) return;
        try {
            io.execute(() -> background(this::sweepHintsNow));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Settles every stored repair hint old enough (see {@link RepairHints}); returns how many were deleted. */
    public int sweepHintsNow() {
        int n = hints.sweep(repair);
        if (n > 0) LOG.info("settled {} stored repair hints", n);
        return n;
    }

    /** Runs a full repair pass in the background soon; requests made before it starts coalesce. */
    private void requestFullPass() {
        if (!passRequested.compareAndSet(false, true)) return;
        try {
            io.execute(() -> {
                passRequested.set(false);
                background(() -> repair.fullPass(false));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            passRequested.set(false); // closing
        }
    }

    private static void background(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("background task failed: {}", e.toString());
        }
    }

    /** Builds a {@link Router}. Peers come either as embedded clients or as a layout plus a connector. */
    public static final class Builder {
        private RouterConfig config = RouterConfig.defaults();
        private ClusterLayout layout;
        private PeerConnector connector;
        private boolean ownsClients;
        private MasterKeys masterKeys;
        private org.mictlanx.router.crypto.KeyService keyService;
        private boolean background = true;
        private Integer replication;
        private Integer writeQuorum;
        private Integer readQuorum;
        private Integer chunkSize;
        private java.time.Duration gcGrace;
        private Integer inlineMaxBytes;
        private java.time.Clock clock = java.time.Clock.systemUTC();
        private BufferBudget budget;
        private org.mictlanx.router.usage.UsageConfig usage = org.mictlanx.router.usage.UsageConfig.defaults();

        /** Embedded peers (the router does not close them); layout version 0 so a stored layout wins. */
        public Builder peers(List<? extends PeerApi> peers) {
            Map<String, PeerApi> byId = new LinkedHashMap<>();
            for (PeerApi p : peers) byId.put(p.id(), p);
            this.layout = ClusterLayout.of(0, byId.keySet().stream().map(PeerDescriptor::local).toList());
            this.connector = d -> {
                PeerApi p = byId.get(d.id());
                if (p == null) throw new IllegalArgumentException("no embedded peer " + d.id());
                return p;
            };
            this.ownsClients = false;
            return this;
        }

        /** Remote (or mixed) peers: the connector opens a client per descriptor; the router closes them. */
        public Builder layout(ClusterLayout layout, PeerConnector connector) {
            this.layout = layout;
            this.connector = connector;
            this.ownsClients = true;
            return this;
        }

        public Builder config(RouterConfig config) {
            this.config = config;
            return this;
        }

        /**
         * An external key service for SSE-KMS (see {@link org.mictlanx.router.crypto.KeyService});
         * default: the built-in one over the replicated metadata.
         */
        public Builder keyService(org.mictlanx.router.crypto.KeyService service) {
            this.keyService = service;
            return this;
        }

        public Builder masterKeys(MasterKeys keys) {
            this.masterKeys = keys;
            return this;
        }

        public Builder replication(int n) {
            this.replication = n;
            return this;
        }

        public Builder quorums(int w, int r) {
            this.writeQuorum = w;
            this.readQuorum = r;
            return this;
        }

        public Builder chunkSize(int bytes) {
            this.chunkSize = bytes;
            return this;
        }

        /**
         * How long GC keeps the chunks of a released ball or part (readers in flight may still
         * stream them) and of a put that never committed; overrides the config's {@code gcGrace}.
         */
        /** See {@link RouterConfig#inlineMaxBytes()}; 0 disables inline balls. */
        public Builder inlineMaxBytes(int bytes) {
            if (bytes < 0 || bytes > RouterConfig.MAX_INLINE) {
                throw new IllegalArgumentException("inline limit must be 0.." + RouterConfig.MAX_INLINE + " bytes");
            }
            this.inlineMaxBytes = bytes;
            return this;
        }

        public Builder gcGrace(java.time.Duration grace) {
            if (grace.isNegative()) throw new IllegalArgumentException("negative gc grace");
            this.gcGrace = grace;
            return this;
        }

        /**
         * The wall clock of record versions, segment and ball ids, upload initiation and expiry, and
         * GC's grace period (default the system clock; tests inject one to pass periods without sleeping).
         */
        public Builder clock(java.time.Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * The bound on bytes held by in-flight puts' buffers (default: a quarter of the heap, waiting
         * {@link BufferBudget#DEFAULT_WAIT} for room); the front door should reserve from the same one.
         */
        public Builder bufferBudget(BufferBudget budget) {
            this.budget = budget;
            return this;
        }

        /** Usage accounting intervals (flush, quota refresh, periodic recount). */
        public Builder usage(org.mictlanx.router.usage.UsageConfig usage) {
            this.usage = usage;
            return this;
        }

        /** Whether to run periodic probing, repair and GC (default true; tests trigger them by hand). */
        public Builder background(boolean on) {
            this.background = on;
            return this;
        }

        public Router build() {
            if (layout == null) throw new IllegalStateException("no peers configured");
            if (masterKeys == null) throw new IllegalStateException("no master keys configured");
            RouterConfig c = config;
            config = new RouterConfig(chunkSize != null ? chunkSize : c.chunkSize(),
                    replication != null ? replication : c.replication(), writeQuorum != null ? writeQuorum : c.writeQuorum(),
                    readQuorum != null ? readQuorum : c.readQuorum(), c.inFlightChunks(), c.prefetchChunks(),
                    c.callTimeout(), c.probeInterval(), c.repairInterval(), c.gcInterval(), gcGrace != null ? gcGrace : c.gcGrace(),
                    c.repairBytesPerSecond(), c.uploadExpiry(), c.minPartSize(),
                    inlineMaxBytes != null ? inlineMaxBytes : c.inlineMaxBytes());
            return new Router(this);
        }
    }
}
