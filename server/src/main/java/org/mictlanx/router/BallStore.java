package org.mictlanx.router;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

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

    Optional<BucketInfo> bucket(String name);

    /** Every bucket, in name order. */
    List<BucketInfo> listBuckets();

    /** Throws NO_SUCH_BUCKET or BUCKET_NOT_EMPTY. */
    void deleteBucket(String name);

    /**
     * Streams {@code body} into a new ball, replacing any ball under the same key once committed.
     * The body is cut into chunks, each encrypted and written to a write quorum of its peers; the
     * digests in {@link PutBall#digests()} (MD5 always) are computed in the same pass. After the
     * last byte and before the metadata commit, {@link PutBall#verifier()} sees the computed
     * digests and may throw to abort: then no ball becomes visible and the new chunks are released.
     * Throws NO_SUCH_BUCKET, QUORUM_FAILED, or whatever the body stream or verifier throws.
     */
    BallInfo putBall(PutBall request, InputStream body);

    /** The committed ball under the key, if any (quorum read). */
    Optional<BallInfo> headBall(String bucket, String key);

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
    BallPage listBalls(String bucket, String prefix, String startAfter, int limit);

    /** The replicated metadata table, for other services' records (users, keys, layout). */
    MetaTable metaTable();
}
