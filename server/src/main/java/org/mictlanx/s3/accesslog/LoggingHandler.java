package org.mictlanx.s3.accesslog;

import java.util.Optional;

import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.handler.SmallBodies;
import org.mictlanx.s3.xml.S3Xml;

/**
 * PutBucketLogging and GetBucketLogging. PUT with {@code LoggingEnabled} turns server access logging on
 * (the target bucket must exist and have the logged bucket's owner, else InvalidTargetBucketForLogging,
 * as S3); PUT with an empty {@code BucketLoggingStatus} turns it off. Records are written by
 * {@link AccessLogs}.
 */
public final class LoggingHandler {

    /** S3 answers GetBucketLogging in this namespace (not the usual {@code s3.amazonaws.com/doc}). */
    static final String LOGGING_NS = "http://doc.s3.amazonaws.com/2006-03-01";

    private final BallStore store;
    private final BucketConfigurations configs;
    private final S3Xml xml;

    public LoggingHandler(BallStore store, BucketConfigurations configs, S3Xml xml) {
        this.store = store;
        this.configs = configs;
        this.xml = xml;
    }

    public S3Response putBucketLogging(S3Request req) {
        BucketInfo bucket = req.requireBucket();
        byte[] body = SmallBodies.read(req, 64 * 1024);
        BucketLoggingStatus doc = xml.read(body, BucketLoggingStatus.class);
        BucketLoggingStatus.LoggingEnabled on = doc.loggingEnabled();
        if (on == null) {
            configs.delete(bucket, BucketConfigurations.Kind.LOGGING);
            return S3Response.status(200).header("Content-Length", "0").empty();
        }
        if (on.targetBucket() == null || on.targetBucket().isBlank() || on.targetPrefix() == null) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        if (on.targetGrants() != null && !(on.targetGrants() instanceof String s && s.isBlank())) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "TargetGrants are not implemented");
        }
        if (on.targetObjectKeyFormat() != null && on.targetObjectKeyFormat().partitionedPrefix() != null) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "PartitionedPrefix is not implemented");
        }
        Optional<BucketInfo> target = store.bucket(on.targetBucket());
        if (target.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_TARGET_BUCKET_FOR_LOGGING, "The target bucket for logging does not exist");
        }
        if (!target.get().owner().equals(bucket.owner())) {
            throw new S3Exception(S3ErrorCode.INVALID_TARGET_BUCKET_FOR_LOGGING,
                    "The owner for the bucket to be logged and the target bucket must be the same.");
        }
        if (on.targetPrefix().length() > 512) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The TargetPrefix is too long");
        }
        configs.put(bucket, BucketConfigurations.Kind.LOGGING, xml.write(new BucketLoggingStatus(S3Xml.NS,
                new BucketLoggingStatus.LoggingEnabled(on.targetBucket(), on.targetPrefix(), null, null))));
        return S3Response.status(200).header("Content-Length", "0").empty();
    }

    public S3Response getBucketLogging(S3Request req) {
        BucketLoggingStatus doc = configs.get(req.requireBucket(), BucketConfigurations.Kind.LOGGING)
                .map(d -> xml.read(d, BucketLoggingStatus.class)).orElse(new BucketLoggingStatus(S3Xml.NS, null));
        return S3Response.status(200).xml(new BucketLoggingStatus(LOGGING_NS, doc.loggingEnabled()));
    }
}
