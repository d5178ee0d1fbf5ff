package org.mictlanx.s3.handler;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;

/**
 * Resolves the source of CopyObject and UploadPartCopy: the source bucket must exist and the caller
 * must be allowed to read it (the pipeline only authorized the destination), the source ball must
 * exist, and the {@code x-amz-copy-source-if-*} conditions must hold (412 PreconditionFailed
 * otherwise, with S3's precedence: a true if-match overrides a false if-unmodified-since, a false
 * if-none-match decides alone over if-modified-since).
 */
final class CopySources {

    private final BallStore store;
    private final Authorizer authorizer;

    CopySources(BallStore store, Authorizer authorizer) {
        this.store = store;
        this.authorizer = authorizer;
    }

    BallInfo resolve(S3Request req, S3Operation.CopySource source, Instant now) {
        if (source.versionId() != null && !source.versionId().equals("null")
                && !org.mictlanx.router.meta.VersionIds.wellFormed(source.versionId())) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_VERSION);
        }
        Optional<BucketInfo> bucket = store.bucket(source.bucket());
        if (bucket.isEmpty()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
        }
        S3Operation read = new S3Operation.GetObject(source.bucket(), source.key(), source.versionId(),
                new S3Operation.ResponseOverrides(java.util.Map.of()), null);
        BallInfo ball;
        S3Exception missing = null;
        try {
            ball = Versions.resolve(store, bucket.get(), source.key(), source.versionId());
        } catch (S3Exception e) {
            ball = null;
            missing = e;
        }
        // authorized before the answer about the source reveals whether it exists
        authorizer.authorize(req.caller(), read, bucket, req.conditionKeys().forOperation(read, Optional.ofNullable(ball)));
        if (missing != null) {
            throw missing;
        }
        checkConditions(req, ball, now);
        return ball;
    }

    private static void checkConditions(S3Request req, BallInfo ball, Instant now) {
        Instant modified = ball.lastModified().truncatedTo(ChronoUnit.SECONDS);
        String ifMatch = req.header("x-amz-copy-source-if-match");
        if (ifMatch != null) {
            if (!Conditionals.matches(ifMatch, ball.etag())) {
                throw failed();
            }
        } else {
            Optional<Instant> ius = HttpFormats.parseHttpDate(req.header("x-amz-copy-source-if-unmodified-since"));
            if (ius.isPresent() && modified.isAfter(ius.get())) {
                throw failed();
            }
        }
        String ifNoneMatch = req.header("x-amz-copy-source-if-none-match");
        if (ifNoneMatch != null) {
            if (Conditionals.matches(ifNoneMatch, ball.etag())) {
                throw failed();
            }
        } else {
            Optional<Instant> ims = HttpFormats.parseHttpDate(req.header("x-amz-copy-source-if-modified-since"));
            if (ims.isPresent() && !ims.get().isAfter(now) && !modified.isAfter(ims.get())) {
                throw failed();
            }
        }
    }

    private static S3Exception failed() {
        return new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
    }
}
