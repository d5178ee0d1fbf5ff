package org.mictlanx.router;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The virtual storage space as the S3 front door and other clients see it: buckets holding balls.
 * Implemented by the router over a pool of peers. No S3 types appear here; the front door maps
 * {@link RouterException} kinds to S3 errors in one place.
 *
 * <p>Consistency promised to one client: read-after-write and list-after-write, also across
 * several routers in front of the same peers (quorum writes and quorum reads, R + W > N).
 */
public interface BallStore {

    /**
     * Creates a bucket owned by {@code owner}. Throws {@link RouterException.Kind#BUCKET_EXISTS}
     * when it exists (the exception's {@code detail} is the current owner).
     */
    BucketInfo createBucket(String name, String owner, String region);

    /** As {@link #createBucket(String, String, String)}; with {@code objectLock}, versioned and lock-enabled. */
    default BucketInfo createBucket(String name, String owner, String region, boolean objectLock) {
        if (objectLock) throw new RouterException(RouterException.Kind.BAD_REQUEST, "this store does not keep versions");
        return createBucket(name, owner, region);
    }

    /** Sets a bucket's object lock configuration (see {@code BucketService#setObjectLock}). */
    default BucketInfo setBucketObjectLock(String name, ObjectLockConfig config) {
        throw new RouterException(RouterException.Kind.BAD_REQUEST, "this store does not keep versions");
    }

    /**
     * Replaces the tag set of version {@code versionId} of a key (any version, current or not) and of
     * no other: the version is identified and rewritten under the key's guard (see
     * {@code VersionService#changeTags}). Empty when no such version.
     */
    default Optional<BallInfo> replaceVersionTags(String bucket, String key, String versionId, Map<String, String> tags) {
        throw new RouterException(RouterException.Kind.BAD_REQUEST, "this store does not keep versions");
    }

    /**
     * Changes the lock headers of a version ({@code versionId} null: the latest) atomically with
     * respect to every delete of the key; see {@code VersionService#changeLock}. Empty when no such version.
     */
    default Optional<BallInfo> changeBallLock(String bucket, String key, @Nullable String versionId,
                                              java.util.function.UnaryOperator<Map<String, String>> change) {
        throw new RouterException(RouterException.Kind.BAD_REQUEST, "this store does not keep versions");
    }

    /**
     * The bucket for routing and authorizing a request: possibly as a quorum read saw it up to two
     * seconds ago (a bucket deleted through another router may still be returned that long;
     * creates and this router's own deletes are seen at once). Writes re-check at commit.
     */
    Optional<BucketInfo> bucket(String name);

    /** Every bucket, in name order. */
    List<BucketInfo> listBuckets();

    /**
     * Replaces the bucket's whole tag set (an empty map removes every tag), stored in the bucket
     * record, and returns the bucket as now stored. Throws NO_SUCH_BUCKET, QUORUM_FAILED.
     */
    BucketInfo replaceBucketTags(String name, Map<String, String> tags);

    /** Throws NO_SUCH_BUCKET or BUCKET_NOT_EMPTY. */
    void deleteBucket(String name);

    /**
     * Streams {@code body} into a new ball, replacing any ball under the same key once committed.
     * The body is cut into chunks, each encrypted and written to a write quorum of its peers; the
     * digests in {@link PutBall#digests()} (MD5 always) are computed in the same pass. After the
     * last byte and before the metadata commit, {@link PutBall#verifier()} sees the computed
     * digests and may throw to abort: then no ball becomes visible and the new chunks are released.
     * Throws NO_SUCH_BUCKET, QUORUM_FAILED, or whatever the body stream or verifier throws.
     * With a {@link PutBall#condition()}: PRECONDITION_FAILED (checked before the body is read
     * and again at commit) or CONFLICT (lost a race); either way nothing becomes visible.
     */
    BallInfo putBall(PutBall request, InputStream body);

    /**
     * Stores a new ball under (bucket, key) that refers to the same chunks as {@code source}: no
     * data is read or written, only metadata. The new ball keeps the source's size, ETag, digests,
     * parts and checksum type, with the given headers and user metadata (the caller implements
     * S3's COPY/REPLACE directive by passing the source's or new ones). Copying a ball onto its
     * own key is allowed. Throws NO_SUCH_BUCKET, PRECONDITION_FAILED, CONFLICT, QUORUM_FAILED, and
     * CHUNK_UNAVAILABLE when the source was deleted (and its chunks released) before the copy
     * committed.
     */
    default BallInfo copyBall(BallInfo source, String bucket, String key, Map<String, String> headers,
                              Map<String, String> userMetadata, WriteCondition condition) {
        return copyBall(source, bucket, key, headers, userMetadata, source.tags(), condition);
    }

    /**
     * As {@link #copyBall(BallInfo, String, String, Map, Map, WriteCondition)} (which keeps the
     * source's tags), with {@code tags} as the new ball's tag set (S3's tagging directive REPLACE).
     */
    BallInfo copyBall(BallInfo source, String bucket, String key, Map<String, String> headers,
                      Map<String, String> userMetadata, Map<String, String> tags, WriteCondition condition);

    /**
     * Replaces the whole tag set of the ball currently under (bucket, key) (an empty map removes
     * every tag) and returns the ball as now stored; empty when no ball is there. Only metadata
     * changes: no chunk is read or written, the ball keeps its ETag, size, last-modified time and
     * record version, and a reader streaming it is not disturbed. Never undoes a concurrent write
     * of the key: the new record carries the version of the record it was derived from, so a put,
     * copy, completion or delete that commits concurrently (always with a higher version) wins on
     * every replica, and the tag change then simply applied to the ball that write replaced.
     * Throws NO_SUCH_BUCKET, QUORUM_FAILED.
     */
    Optional<BallInfo> replaceTags(String bucket, String key, Map<String, String> tags);

    // ---- multipart uploads ----

    /**
     * Opens a multipart upload and returns its id. {@code checksumType} null picks S3's default
     * (FULL_OBJECT for CRC64NVME, COMPOSITE otherwise). Throws NO_SUCH_BUCKET; BAD_REQUEST for
     * more than one checksum algorithm, FULL_OBJECT with SHA1/SHA256, or COMPOSITE with CRC64NVME.
     */
    default String createUpload(String bucket, String key, Map<String, String> headers, Map<String, String> userMetadata,
                                Set<Digest> checksumAlgorithms, @Nullable ChecksumType checksumType) {
        return createUpload(bucket, key, headers, userMetadata, Map.of(), checksumAlgorithms, checksumType);
    }

    /** As the six-argument form; the ball completed from this upload gets {@code tags} as its tag set. */
    default String createUpload(String bucket, String key, Map<String, String> headers, Map<String, String> userMetadata,
                                Map<String, String> tags, Set<Digest> checksumAlgorithms, @Nullable ChecksumType checksumType) {
        return createUpload(bucket, key, headers, userMetadata, tags, checksumAlgorithms, checksumType,
                Redundancy.STANDARD);
    }

    /**
     * As the seven-argument form; every part uploaded to it is written with {@code redundancy}'s
     * replica count (copied parts keep their source's chunks).
     */
    String createUpload(String bucket, String key, Map<String, String> headers, Map<String, String> userMetadata,
                        Map<String, String> tags, Set<Digest> checksumAlgorithms, @Nullable ChecksumType checksumType,
                        Redundancy redundancy);

    /**
     * Streams a part (1..10000) into its own chunks. MD5, the upload's checksum algorithms and
     * {@code digests} are computed in the same pass; {@code verifier} sees them before the part is
     * recorded and may throw to abort (nothing recorded, chunks released). A part number uploaded
     * again replaces the earlier part (last upload wins; the replaced part's chunks are released).
     * Throws NO_SUCH_UPLOAD, BAD_REQUEST (part number), INCOMPLETE_BODY, QUORUM_FAILED.
     */
    PartInfo putPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
                     Set<Digest> digests, PutBall.@Nullable Verifier verifier);

    /**
     * Makes bytes {@code [offset, offset + length)} of {@code source} ({@code length < 0}: to the
     * end) part {@code partNumber} of the upload without writing any chunk: the part refers to
     * the source's chunks. The part's MD5 and checksums are taken from the source when the range
     * is a whole single-put source, else computed by reading the range (peers → router only).
     * Throws NO_SUCH_UPLOAD, BAD_REQUEST (range outside the source), CHUNK_UNAVAILABLE.
     */
    PartInfo copyPart(String bucket, String key, String uploadId, int partNumber, BallInfo source,
                      long offset, long length);

    /**
     * As the seven-argument form, with the part's data keys wrapped under {@code customerKey}
     * (S3 SSE-C; null: the master key). {@code source} must be readable with the master key: a
     * customer-keyed source is passed through {@link #rewrap} first.
     */
    default PartInfo copyPart(String bucket, String key, String uploadId, int partNumber, BallInfo source,
                              long offset, long length, org.mictlanx.router.crypto.@Nullable CustomerKey customerKey) {
        if (customerKey != null) {
            throw new UnsupportedOperationException("this store does not support customer keys");
        }
        return copyPart(bucket, key, uploadId, partNumber, source, offset, length);
    }

    /**
     * As {@link #putPart(String, String, String, int, InputStream, long, Set, PutBall.Verifier)}, with
     * the part's data key wrapped under {@code customerKey} (S3 SSE-C; null: the master key).
     */
    default PartInfo putPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
                             Set<Digest> digests, PutBall.@Nullable Verifier verifier,
                             org.mictlanx.router.crypto.@Nullable CustomerKey customerKey) {
        if (customerKey != null) {
            throw new UnsupportedOperationException("this store does not support customer keys");
        }
        return putPart(bucket, key, uploadId, partNumber, body, length, digests, verifier);
    }

    /**
     * The ball with every segment's data key unwrapped with {@code from} (a customer's key, S3
     * SSE-C; null: the master key) and wrapped again under {@code to} (null: the current master
     * key). Nothing is stored: the result is read with {@link #openBall} (to = null), or passed as a
     * copy source ({@link #copyBall}, {@link #copyPart}), whose new record then keeps the
     * re-wrapped keys: a copy that changes the encryption key re-wraps only the data keys, and the
     * chunks stay shared. Costs one unwrap and one wrap per segment. Throws CHUNK_UNAVAILABLE when
     * {@code from} does not unwrap a segment (the caller checks the key first).
     */
    default BallInfo rewrap(BallInfo ball, org.mictlanx.router.crypto.@Nullable CustomerKey from,
                            org.mictlanx.router.crypto.@Nullable CustomerKey to) {
        throw new UnsupportedOperationException("this store does not support customer keys");
    }

    /** Parts with number greater than {@code partNumberMarker}, ascending, at most {@code limit}. Throws NO_SUCH_UPLOAD. */
    PartPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int limit);

    /** The open upload, if it exists for that bucket and key. */
    Optional<UploadInfo> upload(String bucket, String key, String uploadId);

    /**
     * Open uploads of the bucket with keys starting with {@code prefix} (null: any), ordered by key
     * then initiation, strictly after ({@code keyMarker}, {@code uploadIdMarker}): with a null
     * upload-id marker, strictly after every upload of {@code keyMarker} (S3 semantics).
     */
    UploadPage listUploads(String bucket, @Nullable String prefix, @Nullable String keyMarker, @Nullable String uploadIdMarker,
                           int limit);

    /**
     * Aborts the upload: it disappears at once and its parts' chunks are released in the
     * background (chunks a completed ball or copy shares are kept). Throws NO_SUCH_UPLOAD.
     */
    void abortUpload(String bucket, String key, String uploadId);

    /**
     * Commits the listed parts, in that order, as the ball under the key, and closes the upload.
     * No data is copied: the ball refers to the parts' chunks. Validation, atomic with the commit:
     * part numbers strictly ascending (INVALID_PART_ORDER), each part uploaded and matching its
     * given ETag and checksums (INVALID_PART, detail = part number), every part but the last at
     * least {@link RouterConfig#minPartSize()} (ENTITY_TOO_SMALL, detail = part number), at least
     * one part (BAD_REQUEST); then the condition (PRECONDITION_FAILED / CONFLICT). Parts uploaded
     * but not listed are released. Throws NO_SUCH_UPLOAD when the upload is unknown.
     *
     * <p>Idempotent, as S3: a completion retried after the upload was completed (its answer lost)
     * returns the ball it committed, as long as that ball is still the one under the key and the
     * retry lists the same parts (numbers and, where given, ETags); otherwise NO_SUCH_UPLOAD.
     */
    default BallInfo completeUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
                                    WriteCondition condition) {
        return completeUpload(bucket, key, uploadId, parts, condition, null);
    }

    /**
     * As the five-argument form; {@code verifier} (null: none) sees the ball's final digests (the
     * upload's checksum algorithms, combined as its checksum type says) before the commit and may
     * throw to refuse it (nothing committed, the upload stays open). On a retried completion it
     * sees the committed ball's digests.
     */
    BallInfo completeUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
                            WriteCondition condition, PutBall.@Nullable Verifier verifier);

    /** The committed ball under the key, if any (quorum read); NO_SUCH_BUCKET when the bucket does not exist. */
    Optional<BallInfo> headBall(String bucket, String key);

    /**
     * As {@link #headBall(String, String)} in a bucket the caller has already resolved (e.g. from
     * {@link #bucket}): the bucket is not read again, only the ball record is (quorum read).
     */
    default Optional<BallInfo> headBall(BucketInfo bucket, String key) {
        return headBall(bucket.name(), key);
    }

    /**
     * A stream of bytes {@code [offset, offset + length)} of the ball ({@code length < 0}: to the
     * end). Chunks are fetched lazily, a few ahead, each authenticated before any byte of it is
     * returned; a failing replica is skipped for the next one. If no replica of a chunk can be read
     * the stream throws {@link RouterException} of kind CHUNK_UNAVAILABLE.
     */
    InputStream openBall(BallInfo ball, long offset, long length);

    /** Deletes the ball; returns whether one existed. Its chunks are released afterwards. */
    boolean deleteBall(String bucket, String key);

    /**
     * Committed balls of the bucket in ascending key order (UTF-8 byte order), keys starting with
     * {@code prefix} (null: any), strictly after {@code startAfter} (null: from the start), at most
     * {@code limit}. Merged from a read quorum; never loads the whole bucket.
     */
    BallPage listBalls(String bucket, @Nullable String prefix, @Nullable String startAfter, int limit);

    /** As {@link #listBalls(String, String, String, int)} in a bucket the caller has already resolved (not read again). */
    default BallPage listBalls(BucketInfo bucket, @Nullable String prefix, @Nullable String startAfter, int limit) {
        return listBalls(bucket.name(), prefix, startAfter, limit);
    }

    /**
     * The key service of SSE-KMS (the built-in one unless an external one was configured); empty
     * when this store has none (then {@code aws:kms} is refused).
     */
    default Optional<org.mictlanx.router.crypto.KeyService> keyService() {
        return Optional.empty();
    }

    /** The replicated metadata table, for other services' records (users, keys, layout). */
    MetaTable metaTable();

    /**
     * Sets a bucket's versioning state: ENABLED or SUSPENDED (never back to OFF). Throws
     * NO_SUCH_BUCKET, or BAD_REQUEST for OFF.
     */
    default BucketInfo setBucketVersioning(String name, VersioningState state) {
        throw new RouterException(RouterException.Kind.BAD_REQUEST, "this store does not keep versions");
    }

    /**
     * Version {@code versionId} ({@code "null"} included) of a ball, delete markers included (see
     * {@link BallInfo#deleteMarker}); empty when there is no such version. Throws BAD_REQUEST for an
     * id that cannot be one of this store's.
     */
    default Optional<BallInfo> headBallVersion(String bucket, String key, String versionId) {
        return "null".equals(versionId) ? headBall(bucket, key).filter(b -> b.layout() == null || b.layout().versionId() == null)
                : Optional.empty();
    }

    /** As {@link #headBallVersion(String, String, String)} in a bucket the caller has already resolved (not read again). */
    default Optional<BallInfo> headBallVersion(BucketInfo bucket, String key, String versionId) {
        return headBallVersion(bucket.name(), key, versionId);
    }

    /**
     * The newest version of a key in a versioned bucket (a delete marker included): answers whether
     * a key without a latest ball is hidden by a delete marker. Empty in unversioned buckets.
     */
    default Optional<BallInfo> newestVersion(String bucket, String key) {
        return Optional.empty();
    }

    /**
     * DeleteObject: without {@code versionId}, removes the ball (unversioned bucket) or adds a
     * delete marker (versioned); with one, removes that version for good. The result names the
     * version removed or the marker added; empty when there was nothing to remove. The bucket's
     * versioning state that decides this is read by quorum during the call, as a put's commit reads it
     * (which is why the deletes take no resolved {@link BucketInfo}).
     */
    default Optional<DeletedVersion> deleteBallVersion(String bucket, String key, @Nullable String versionId) {
        return deleteBallVersion(bucket, key, versionId, false);
    }

    /** As above; {@code bypassGovernance} lets the delete through GOVERNANCE retention (never COMPLIANCE or a legal hold). */
    default Optional<DeletedVersion> deleteBallVersion(String bucket, String key, @Nullable String versionId,
                                                       boolean bypassGovernance) {
        if (versionId != null && !"null".equals(versionId)) return Optional.empty();
        return deleteBall(bucket, key) ? Optional.of(new DeletedVersion(null, false)) : Optional.empty();
    }

    /**
     * Lifecycle expiration of a current version: as {@link #deleteBallVersion(String, String, String)}
     * without a version id (unversioned bucket: the ball goes; versioned: a delete marker is added), but
     * only if the ball under the key is still {@code expected} (same record version, ball id, ETag and
     * tag set; a master-key re-wrap does not count as a change), checked under the key's guard. Empty
     * when it is not (replaced, re-tagged, deleted, or hidden by a delete marker since {@code expected}
     * was read): nothing is changed. A write of the key that commits after the check is never undone
     * by this delete: in a versioned bucket every write takes the key's guard; in an unversioned one
     * the delete is recorded with the version just after {@code expected}'s, so any write that
     * replaced {@code expected} (always with a higher version) wins over it on every replica.
     */
    Optional<DeletedVersion> deleteBallIfCurrent(String bucket, String key, BallInfo expected);

    /**
     * The lifecycle worker's removal of version {@code versionId} (a noncurrent version, or an expired
     * delete marker): as {@link #deleteBallVersion(String, String, String)}, with the key's guard (where
     * the store has one) taken as a lifecycle expiry's, which the router that takes the lifecycle lease
     * over from a dead holder may break ({@code KeyGuard}).
     */
    default Optional<DeletedVersion> expireBallVersion(String bucket, String key, String versionId) {
        return deleteBallVersion(bucket, key, versionId);
    }

    /** What a DeleteObject removed or added: the version id (null in unversioned buckets), and whether it is a delete marker. */
    record DeletedVersion(@Nullable String versionId, boolean deleteMarker) {
    }

    /**
     * Versions (delete markers included) in S3's order (key ascending, newest first) whose keys start
     * with {@code prefix}, strictly after position {@code after} ({@link VersionEntry#position}; null
     * from the start), at most {@code limit}.
     */
    default VersionPage listBallVersions(String bucket, @Nullable String prefix, @Nullable String after, int limit) {
        BallPage page = listBalls(bucket, prefix, after == null ? null : after.substring(0, Math.max(0, after.length() - 1)), limit);
        return new VersionPage(page.balls().stream().map(b -> new VersionEntry(b.key() + "\0", b, true)).toList(), page.truncated());
    }

    /** As {@link #listBallVersions(String, String, String, int)} in a bucket the caller has already resolved (not read again). */
    default VersionPage listBallVersions(BucketInfo bucket, @Nullable String prefix, @Nullable String after, int limit) {
        return listBallVersions(bucket.name(), prefix, after, limit);
    }

    /** One listed version: its position (an opaque string; later entries compare greater in UTF-8 order), the ball, IsLatest. */
    record VersionEntry(String position, BallInfo ball, boolean latest) {
    }

    /** A page of {@link #listBallVersions}. */
    record VersionPage(List<VersionEntry> entries, boolean more) {
    }

    /**
     * The position just after every version of {@code key} (a key-marker without version-id-marker),
     * or just after version {@code versionId} of it; empty when that version does not exist.
     */
    default Optional<String> versionPosition(String bucket, String key, @Nullable String versionId) {
        return Optional.of(versionId == null ? key + "\0\uffff" : key + "\0");
    }

    /** As {@link #versionPosition(String, String, String)} in a bucket the caller has already resolved (not read again). */
    default Optional<String> versionPosition(BucketInfo bucket, String key, @Nullable String versionId) {
        return versionPosition(bucket.name(), key, versionId);
    }
}
