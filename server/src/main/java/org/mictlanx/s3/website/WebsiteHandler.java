package org.mictlanx.s3.website;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.handler.SmallBodies;
import org.mictlanx.s3.xml.S3Xml;

/**
 * PutBucketWebsite, GetBucketWebsite and DeleteBucketWebsite. The configuration is validated
 * ({@link WebsiteRules#of}) and stored as its own record beside the bucket
 * ({@link BucketConfigurations}); {@link WebsiteServlet} serves it on the website endpoint.
 */
public final class WebsiteHandler {

    /** S3's bound on a website configuration document. */
    static final int MAX_DOCUMENT_BYTES = 128 * 1024;

    private final BucketConfigurations configs;
    private final S3Xml xml;

    public WebsiteHandler(BucketConfigurations configs, S3Xml xml) {
        this.configs = configs;
        this.xml = xml;
    }

    public S3Response putBucketWebsite(S3Request req) {
        BucketInfo bucket = req.requireBucket();
        WebsiteConfiguration doc = xml.read(SmallBodies.read(req, MAX_DOCUMENT_BYTES), WebsiteConfiguration.class);
        WebsiteRules rules = WebsiteRules.of(doc);
        WebsiteConfiguration c = rules.config();
        configs.put(bucket, BucketConfigurations.Kind.WEBSITE, xml.write(new WebsiteConfiguration(S3Xml.NS,
                c.redirectAll(), c.indexDocument(), c.errorDocument(), c.routingRules())));
        return S3Response.status(200).header("Content-Length", "0").empty();
    }

    /** The stored configuration; NoSuchWebsiteConfiguration when there is none. */
    public S3Response getBucketWebsite(S3Request req) {
        byte[] doc = configs.get(req.requireBucket(), BucketConfigurations.Kind.WEBSITE)
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_WEBSITE_CONFIGURATION));
        return S3Response.status(200).xml(xml.read(doc, WebsiteConfiguration.class));
    }

    /** Removes the configuration; 204 whether or not there was one, as S3. */
    public S3Response deleteBucketWebsite(S3Request req) {
        configs.delete(req.requireBucket(), BucketConfigurations.Kind.WEBSITE);
        return S3Response.status(204).empty();
    }
}
