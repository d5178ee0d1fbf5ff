package org.mictlanx.s3.handler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.meta.VersionIds;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Response;

/**
 * How the front door finds the ball a request names, with or without {@code versionId}, and the
 * version headers S3 answers: {@code x-amz-version-id} on every answer about a versioned ball (none
 * for balls written while the bucket was unversioned, as S3), a latest delete marker as 404 NoSuchKey
 * with {@code x-amz-delete-marker: true}, a delete marker asked for by id as 405 MethodNotAllowed.
 * The unversioned path costs exactly the lookup it cost before: the delete-marker lookup only runs
 * for a missing key in a bucket that has versioning set.
 */
final class Versions {

    private Versions() {
    }

    /** A version id that cannot be one of ours (nor {@code null}) is InvalidArgument, as S3 answers. */
    static void checkId(String versionId) {
        if (versionId != null && !versionId.equals(VersionIds.NULL) && !VersionIds.wellFormed(versionId)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid version id specified");
        }
    }

    /** The ball or version a read names; throws NoSuchKey, NoSuchVersion or MethodNotAllowed (delete marker). */
    static BallInfo resolve(BallStore store, BucketInfo bucket, String key, String versionId) {
        checkId(versionId);
        if (versionId == null) {
            Optional<BallInfo> latest = store.headBall(bucket, key);
            if (latest.isPresent()) return latest.get();
            if (bucket.versioning().versioned()) {
                Optional<BallInfo> newest = store.newestVersion(bucket.name(), key);
                if (newest.isPresent() && newest.get().deleteMarker()) {
                    throw new S3Exception(S3ErrorCode.NO_SUCH_KEY, S3ErrorCode.NO_SUCH_KEY.defaultMessage(),
                            markerHeaders(newest.get(), false), null);
                }
            }
            throw new S3Exception(S3ErrorCode.NO_SUCH_KEY);
        }
        BallInfo v = store.headBallVersion(bucket, key, versionId)
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_VERSION));
        if (v.deleteMarker()) {
            throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED, S3ErrorCode.METHOD_NOT_ALLOWED.defaultMessage(),
                    markerHeaders(v, true), null);
        }
        return v;
    }

    private static Map<String, String> markerHeaders(BallInfo marker, boolean allow) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-amz-delete-marker", "true");
        h.put("x-amz-version-id", marker.versionId());
        h.put("Last-Modified", HttpFormats.httpDate(marker.lastModified()));
        if (allow) h.put("Allow", "DELETE");
        return h;
    }

    /** Adds {@code x-amz-version-id} when the ball is versioned (written while versioning was set). */
    static S3Response.Builder header(S3Response.Builder out, BallInfo ball) {
        if (ball.layout() != null && ball.layout().versionId() != null) out.header("x-amz-version-id", ball.versionId());
        return out;
    }

    /** Adds {@code x-amz-copy-source-version-id} when the copy source is versioned. */
    static S3Response.Builder sourceHeader(S3Response.Builder out, BallInfo source) {
        if (source.layout() != null && source.layout().versionId() != null) {
            out.header("x-amz-copy-source-version-id", source.versionId());
        }
        return out;
    }
}
