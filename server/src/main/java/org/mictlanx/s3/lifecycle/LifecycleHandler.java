package org.mictlanx.s3.lifecycle;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.handler.SmallBodies;
import org.mictlanx.s3.xml.S3Xml;

/**
 * PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration and DeleteBucketLifecycle. The
 * document is validated ({@link LifecycleRules}) before anything is stored; a bucket without one
 * answers GET with NoSuchLifecycleConfiguration (404), as S3. The rules are carried out by the
 * {@link LifecycleWorker}.
 */
public final class LifecycleHandler {

    /** S3's answer header on Put/Get: transitions are not built, so the default applies. */
    static final String MIN_SIZE_HEADER = "x-amz-transition-default-minimum-object-size";
    private static final String MIN_SIZE_DEFAULT = "all_storage_classes_128K";

    private final LifecycleConfigs configs;
    private final S3Xml xml;

    public LifecycleHandler(LifecycleConfigs configs, S3Xml xml) {
        this.configs = configs;
        this.xml = xml;
    }

    /** Replaces the bucket's lifecycle configuration with the body's (digests checked when sent). */
    public S3Response putBucketLifecycleConfiguration(S3Request req) {
        BucketInfo bucket = req.requireBucket();
        String minSize = req.header(MIN_SIZE_HEADER);
        if (minSize != null && !minSize.equals(MIN_SIZE_DEFAULT) && !minSize.equals("varies_by_storage_class")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid value for " + MIN_SIZE_HEADER);
        }
        byte[] body = SmallBodies.read(req, LifecycleRules.MAX_DOCUMENT_BYTES);
        configs.put(bucket, xml.read(body, LifecycleConfiguration.class));
        return S3Response.status(200).header(MIN_SIZE_HEADER, MIN_SIZE_DEFAULT).header("Content-Length", "0").empty();
    }

    /** The stored configuration; NoSuchLifecycleConfiguration when there is none. */
    public S3Response getBucketLifecycleConfiguration(S3Request req) {
        LifecycleConfiguration doc = configs.document(req.requireBucket())
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_LIFECYCLE_CONFIGURATION));
        return S3Response.status(200).header(MIN_SIZE_HEADER, MIN_SIZE_DEFAULT)
                .xml(new LifecycleConfiguration(S3Xml.NS, doc.rules()));
    }

    /** Removes the configuration; 204 whether or not there was one, as S3. */
    public S3Response deleteBucketLifecycle(S3Request req) {
        configs.delete(req.requireBucket());
        return S3Response.status(204).empty();
    }
}
