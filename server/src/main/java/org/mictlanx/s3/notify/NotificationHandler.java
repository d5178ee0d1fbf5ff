package org.mictlanx.s3.notify;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.handler.SmallBodies;
import org.mictlanx.s3.xml.S3Xml;

/**
 * PutBucketNotificationConfiguration and GetBucketNotificationConfiguration. PUT validates the
 * document ({@link NotificationRules}) before storing it; an empty {@code NotificationConfiguration}
 * turns notifications off. GET answers the stored document, or an empty one, as S3.
 */
public final class NotificationHandler {

    private final NotificationConfigs configs;
    private final S3Xml xml;

    public NotificationHandler(NotificationConfigs configs, S3Xml xml) {
        this.configs = configs;
        this.xml = xml;
    }

    public S3Response putBucketNotificationConfiguration(S3Request req) {
        BucketInfo bucket = req.requireBucket();
        String skip = req.header("x-amz-skip-destination-validation");
        if (skip != null && !skip.equalsIgnoreCase("false")) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "x-amz-skip-destination-validation is not implemented");
        }
        byte[] body = SmallBodies.read(req, NotificationRules.MAX_DOCUMENT_BYTES);
        NotificationConfiguration doc = body.length == 0 ? new NotificationConfiguration(S3Xml.NS, null, null, null, null)
                : xml.read(body, NotificationConfiguration.class);
        configs.put(bucket, doc);
        return S3Response.status(200).header("Content-Length", "0").empty();
    }

    public S3Response getBucketNotificationConfiguration(S3Request req) {
        NotificationConfiguration doc = configs.document(req.requireBucket())
                .orElse(new NotificationConfiguration(S3Xml.NS, null, null, null, null));
        return S3Response.status(200).xml(new NotificationConfiguration(S3Xml.NS, doc.topics(), doc.queues(),
                doc.functions(), null));
    }
}
