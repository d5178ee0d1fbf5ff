package org.mictlanx.router;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mictlanx.peer.api.PeerStats;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.io.BallService;
import org.mictlanx.router.io.BucketService;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.router.io.MultipartService;
import org.mictlanx.router.io.VersionService;
import org.mictlanx.router.maint.MasterRewrap;
import org.mictlanx.router.meta.ClusterLease;
import org.mictlanx.router.usage.Reservation;

/**
 * The router: a {@link BallStore} over a pool of peers, with its background health probing,
 * layout refresh, repair and GC. Build it with {@link #builder()}; {@link #close()} stops every
 * background thread (and closes the peer clients it opened itself).
 *
 * <p>This class is the facade: the data path is delegated to the bucket, ball, version and upload
 * services, cluster administration to {@link ClusterAdmin}, the background schedule to
 * {@link RouterTimers}, KMS and usage to {@link KeysAndUsage}; {@link RouterWiring} builds them all.
 */
public final class Router implements BallStore, AutoCloseable {

    private final BucketService buckets;
    private final BallService balls;
    private final VersionService versions;
    private final MultipartService uploads;
    private final BufferBudget budget;
    private final RouterVersions versionOps;
    private final KeysAndUsage keys;
    private final ClusterAdmin admin;
    private final RouterTimers timers;

    Router(RouterWiring w) {
        this.buckets = w.buckets;
        this.balls = w.balls;
        this.versions = w.versions;
        this.uploads = w.uploads;
        this.budget = w.budget;
        this.versionOps = new RouterVersions(w.buckets, w.balls, w.versions);
        this.keys = w.keysAndUsage;
        this.admin = new ClusterAdmin(w.pool, w.layouts, w.repair, w.gc, w.io, w.maintenance, w.repairQueue, w.hints,
                w.rebuild);
        this.timers = new RouterTimers(w);
        admin.bootstrap(w.layout);
        timers.start(w.settings.background, w.settings.usage);
    }

    public static RouterBuilder builder() {
        return new RouterBuilder();
    }

    /** The request buffer budget this router's puts reserve their chunk buffers from (share it with the front door). */
    public BufferBudget bufferBudget() {
        return budget;
    }

    // ---- BallStore ----

    @Override
    public BucketInfo createBucket(String name, String owner, String region) {
        BucketInfo created = buckets.create(name, owner, region);
        keys.ledger().reset(name); // figures of an earlier bucket of that name do not carry over
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
        keys.ledger().reset(name);
    }

    @Override
    public BallInfo putBall(PutBall request, InputStream body) {
        try (Reservation r = keys.ledger().admit(request.bucket(), request.length())) {
            return balls.put(request, request.length() < 0 ? r.watch(body) : body);
        }
    }

    @Override
    public Optional<BallInfo> headBall(String bucket, String key) {
        return balls.head(bucket, key);
    }

    @Override
    public Optional<BallInfo> headBall(BucketInfo bucket, String key) {
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
        keys.ledger().reset(name); // figures of an earlier bucket of that name do not carry over
        return created;
    }

    @Override
    public BucketInfo setBucketObjectLock(String name, ObjectLockConfig config) {
        return buckets.setObjectLock(name, config);
    }

    @Override
    public Optional<BallInfo> changeBallLock(String bucket, String key, @Nullable String versionId,
                                             java.util.function.UnaryOperator<Map<String, String>> change) {
        return versionOps.changeLock(bucket, key, versionId, change);
    }

    @Override
    public Optional<BallInfo> replaceVersionTags(String bucket, String key, String versionId, Map<String, String> tags) {
        return versionOps.replaceTags(bucket, key, versionId, tags);
    }

    @Override
    public Optional<BallInfo> headBallVersion(String bucket, String key, String versionId) {
        return versionOps.head(bucket, key, versionId);
    }

    @Override
    public Optional<BallInfo> headBallVersion(BucketInfo bucket, String key, String versionId) {
        return versionOps.head(bucket, key, versionId);
    }

    @Override
    public Optional<BallInfo> newestVersion(String bucket, String key) {
        return versions.newest(bucket, key);
    }

    @Override
    public Optional<DeletedVersion> deleteBallVersion(String bucket, String key, @Nullable String versionId,
                                                      boolean bypassGovernance) {
        return balls.delete(bucket, key, versionId, bypassGovernance).map(d -> new DeletedVersion(d.versionId(), d.deleteMarker()));
    }

    @Override
    public Optional<DeletedVersion> expireBallVersion(String bucket, String key, String versionId) {
        return balls.expireVersion(bucket, key, versionId).map(d -> new DeletedVersion(d.versionId(), d.deleteMarker()));
    }

    @Override
    public Optional<DeletedVersion> deleteBallIfCurrent(String bucket, String key, BallInfo expected) {
        return balls.deleteIfCurrent(bucket, key, expected).map(d -> new DeletedVersion(d.versionId(), d.deleteMarker()));
    }

    @Override
    public VersionPage listBallVersions(String bucket, @Nullable String prefix, @Nullable String after, int limit) {
        return versionOps.list(bucket, prefix, after, limit);
    }

    @Override
    public VersionPage listBallVersions(BucketInfo bucket, @Nullable String prefix, @Nullable String after, int limit) {
        return versionOps.list(bucket, prefix, after, limit);
    }

    @Override
    public Optional<String> versionPosition(BucketInfo bucket, String key, @Nullable String versionId) {
        return versionOps.position(bucket, key, versionId);
    }

    @Override
    public Optional<String> versionPosition(String bucket, String key, @Nullable String versionId) {
        return versionOps.position(bucket, key, versionId);
    }

    @Override
    public BallPage listBalls(String bucket, @Nullable String prefix, @Nullable String startAfter, int limit) {
        return balls.list(bucket, prefix, startAfter, limit);
    }

    @Override
    public BallPage listBalls(BucketInfo bucket, @Nullable String prefix, @Nullable String startAfter, int limit) {
        return balls.list(bucket, prefix, startAfter, limit);
    }

    @Override
    public BallInfo copyBall(BallInfo source, String bucket, String key, Map<String, String> headers,
                             Map<String, String> userMetadata, Map<String, String> tags, WriteCondition condition) {
        try (Reservation r = keys.ledger().admit(bucket, source.size())) {
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
                               @Nullable ChecksumType checksumType, Redundancy redundancy) {
        return uploads.create(bucket, key, headers, userMetadata, tags, checksumAlgorithms, checksumType, redundancy);
    }

    @Override
    public PartInfo putPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
                            java.util.Set<Digest> digests, PutBall.@Nullable Verifier verifier) {
        return putPart(bucket, key, uploadId, partNumber, body, length, digests, verifier, null);
    }

    @Override
    public PartInfo putPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
                            java.util.Set<Digest> digests, PutBall.@Nullable Verifier verifier,
                            org.mictlanx.router.crypto.@Nullable CustomerKey customerKey) {
        try (Reservation r = keys.ledger().admit(bucket, length)) {
            return uploads.putPart(bucket, key, uploadId, partNumber, length < 0 ? r.watch(body) : body, length, digests,
                    verifier, customerKey);
        }
    }

    @Override
    public BallInfo rewrap(BallInfo ball, org.mictlanx.router.crypto.@Nullable CustomerKey from,
                           org.mictlanx.router.crypto.@Nullable CustomerKey to) {
        return balls.rewrap(ball, from, to);
    }

    @Override
    public PartInfo copyPart(String bucket, String key, String uploadId, int partNumber, BallInfo source, long offset,
                             long length) {
        return copyPart(bucket, key, uploadId, partNumber, source, offset, length, null);
    }

    @Override
    public PartInfo copyPart(String bucket, String key, String uploadId, int partNumber, BallInfo source, long offset,
                             long length, org.mictlanx.router.crypto.@Nullable CustomerKey customerKey) {
        try (Reservation r = keys.ledger().admit(bucket, length)) {
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
    public UploadPage listUploads(String bucket, @Nullable String prefix, @Nullable String keyMarker,
                                  @Nullable String uploadIdMarker, int limit) {
        return uploads.listUploads(bucket, prefix, keyMarker, uploadIdMarker, limit);
    }

    @Override
    public void abortUpload(String bucket, String key, String uploadId) {
        uploads.abort(bucket, key, uploadId);
    }

    @Override
    public BallInfo completeUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
                                   WriteCondition condition, PutBall.@Nullable Verifier verifier) {
        return uploads.complete(bucket, key, uploadId, parts, condition, verifier);
    }

    @Override
    public Optional<org.mictlanx.router.crypto.KeyService> keyService() {
        return Optional.of(keys.keyService());
    }

    @Override
    public MetaTable metaTable() {
        return keys.metaTable();
    }

    /**
     * Per-bucket usage and quotas (read by the admin API, {@code /metrics} and the web console):
     * {@code usage().usage(bucket)} is one bucket's {@link BucketUsage}.
     */
    public BucketUsages usage() {
        return keys.usage();
    }

    /** Usage accounting intervals of this router. */
    public org.mictlanx.router.usage.UsageConfig usageConfig() {
        return keys.ledger().config();
    }

    /** Writes this router's unflushed usage changes now (they are written every flush interval anyway). */
    public boolean flushUsage() {
        return keys.ledger().flush();
    }

    // ---- administration ----

    /** The layout this router currently uses. */
    public ClusterLayout layout() {
        return admin.layout();
    }

    /**
     * Adds a peer (new layout version, stored on every peer), then moves its share of the data to it:
     * a repair pass copies each chunk to its new placement, then a GC pass deletes the replicas left on
     * peers no longer in their placement, each only once every peer of the new placement holds it whole
     * (not at the next periodic GC, up to {@code gcInterval} later).
     */
    public ClusterLayout addPeer(PeerDescriptor peer) {
        return admin.addPeer(peer);
    }

    /**
     * Drains a peer: it stops receiving replicas, a repair pass copies its data to the new
     * placement, then it is removed from the layout. Blocks until done.
     */
    public ClusterLayout drainPeer(String id) {
        return admin.drainPeer(id);
    }

    /**
     * Points a peer id at a new url (or zone, weight), e.g. an empty peer started in place of a
     * dead one; repair then refills it.
     */
    public ClusterLayout replacePeer(PeerDescriptor peer) {
        return admin.replacePeer(peer);
    }

    /** Removes a dead peer at once; repair then restores the replicas it held from the others. */
    public ClusterLayout removePeer(String id) {
        return admin.removePeer(id);
    }

    /**
     * Starts the online rebuild of peer {@code id} ({@link org.mictlanx.router.maint.PeerRebuild}): a
     * peer reporting a damaged store rebuilds it first, then everything it should hold is
     * re-replicated onto it. Returns at once with the rebuild's status (that of the running one when
     * a rebuild is already running). BAD_REQUEST for an id outside the layout.
     */
    public org.mictlanx.router.maint.PeerRebuild.Status rebuildPeer(String id) {
        return admin.rebuildPeer(id);
    }

    /** Runs a full repair pass now (optionally scrubbing every peer first) and returns when it is done. */
    public void repairNow(boolean scrub) {
        timers.repairNow(scrub);
    }

    /**
     * Starts (or resumes) the background re-wrap of every KMS key version and ball data key still
     * under an older master key ({@link MasterRewrap}); returns at once.
     */
    public MasterRewrap.Status startMasterRewrap() {
        return keys.masterRewrap().start();
    }

    /** Progress of the master key re-wrap (last run, or the one running). */
    public MasterRewrap.Status masterRewrapStatus() {
        return keys.masterRewrap().status();
    }

    /** Waits up to {@code millis} for a running master re-wrap; false if it is still running. */
    public boolean awaitMasterRewrap(long millis) throws InterruptedException {
        return keys.masterRewrap().await(millis);
    }

    /** Runs a GC pass now and returns when it is done. */
    public void gcNow() {
        timers.gcNow();
    }

    /** Probes every peer's health now and picks up a newer stored layout. */
    public void probeNow() {
        timers.probeAndRefresh();
    }

    /** Settles every stored repair hint old enough (see {@link org.mictlanx.router.maint.RepairHints}); returns how many were deleted. */
    public int sweepHintsNow() {
        return timers.sweepHintsNow();
    }

    /**
     * A cluster-wide lease named {@code name} taken for {@code holder} (unique per router process),
     * lasting {@code lease} unless renewed: at most one holder at a time across every router over
     * these peers (see {@link ClusterLease}). Used by background work that must run once per cluster,
     * such as lifecycle rules.
     */
    public ClusterLease clusterLease(String name, String holder, Duration lease) {
        return keys.clusterLease(name, holder, lease);
    }

    /**
     * The cluster lease of the lifecycle worker ({@code name}): its holder id is this router's expiry
     * guard id ({@code KeyGuard#expiryId}) plus {@code holder}, and an {@link ClusterLease#acquire} that
     * takes it over from a holder whose lease ran out breaks the key guards that holder's expiries left
     * ({@code KeyGuard#breakExpiryGuardsOf}), so a due key an expiry was killed on is expired again at
     * once instead of after the guard lease.
     */
    public ClusterLease lifecycleLease(String name, String holder, Duration lease) {
        org.mictlanx.router.meta.KeyGuard guard = keys.guard();
        ClusterLease l = keys.clusterLease(name, guard.expiryId() + "/" + holder, lease);
        return l.onTakeover(previous -> {
            int slash = previous.indexOf('/');
            if (slash > 0) guard.breakExpiryGuardsOf(previous.substring(0, slash));
        });
    }

    /**
     * Each peer's own counters (chunks, chunk bytes, records, free disk: maintained by the peer as it
     * stores and deletes, not by a scan), asked now in parallel; a peer that does not answer within
     * {@code timeout} is left out.
     */
    public Map<String, PeerStats> peerStats(Duration timeout) {
        return admin.peerStats(timeout);
    }

    /** Peers as this router sees them, plus repair and GC progress. */
    public RouterStats stats() {
        return admin.stats();
    }

    @Override
    public void close() {
        timers.close();
    }
}
