package org.mictlanx.s3.cors;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.handler.SmallBodies;
import org.mictlanx.s3.xml.S3Xml;

/**
 * PutBucketCors, GetBucketCors and DeleteBucketCors. The configuration is validated
 * ({@link CorsRules#of}) before anything is stored, and stored as its own record beside the bucket
 * ({@link BucketConfigurations}); a bucket without one answers GetBucketCors with
 * NoSuchCORSConfiguration (404), as S3.
 */
public final class CorsHandler {

    private final BucketConfigurations configs;
    private final S3Xml xml;

    public CorsHandler(BucketConfigurations configs, S3Xml xml) {
        this.configs = configs;
        this.xml = xml;
    }

    /** Replaces the bucket's CORS configuration with the body's (at most 64 KB, digests checked). */
    public S3Response putBucketCors(S3Request req) {
        BucketInfo bucket = req.requireBucket();
        byte[] body = SmallBodies.read(req, CorsRules.MAX_DOCUMENT_BYTES);
        CorsRules rules = CorsRules.of(xml.read(body, CorsConfiguration.class));
        configs.put(bucket, BucketConfigurations.Kind.CORS, xml.write(rules.toDocument()));
        return S3Response.status(200).header("Content-Length", "0").empty();
    }

    /** The stored configuration; NoSuchCORSConfiguration when there is none. */
    public S3Response getBucketCors(S3Request req) {
        byte[] doc = configs.get(req.requireBucket(), BucketConfigurations.Kind.CORS)
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_CORS_CONFIGURATION));
        return S3Response.status(200).xml(xml.read(doc, CorsConfiguration.class));
    }

    /** Removes the configuration; 204 whether or not there was one, as S3. */
    public S3Response deleteBucketCors(S3Request req) {
        configs.delete(req.requireBucket(), BucketConfigurations.Kind.CORS);
        return S3Response.status(204).empty();
    }
}
