package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.GetBucketCorsResponse;
import software.amazon.awssdk.services.s3.model.GetBucketWebsiteResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Bucket CORS and website configurations with the AWS SDK for Java v2 against a real all-in-one. */
class BucketConfigurationsCompatTest {

    private static AllInOne store;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        s3 = store.rootClient();
        s3.createBucket(r -> r.bucket("configs"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    @Test
    void corsRoundTrips() {
        assertEquals("NoSuchCORSConfiguration", assertThrows(S3Exception.class,
                () -> s3.getBucketCors(r -> r.bucket("configs"))).awsErrorDetails().errorCode());
        s3.putBucketCors(r -> r.bucket("configs").corsConfiguration(c -> c.corsRules(
                CORSRule.builder().id("web").allowedOrigins("https://app.example.com").allowedMethods("GET", "PUT")
                        .allowedHeaders("*").exposeHeaders("ETag").maxAgeSeconds(300).build(),
                CORSRule.builder().allowedOrigins("*").allowedMethods("HEAD").build())));
        GetBucketCorsResponse cors = s3.getBucketCors(r -> r.bucket("configs"));
        assertEquals(2, cors.corsRules().size());
        CORSRule first = cors.corsRules().get(0);
        assertEquals("web", first.id());
        assertEquals(List.of("https://app.example.com"), first.allowedOrigins());
        assertEquals(List.of("GET", "PUT"), first.allowedMethods());
        assertEquals(List.of("ETag"), first.exposeHeaders());
        assertEquals(300, first.maxAgeSeconds());
        S3Exception bad = assertThrows(S3Exception.class, () -> s3.putBucketCors(r -> r.bucket("configs")
                .corsConfiguration(c -> c.corsRules(CORSRule.builder().allowedOrigins("*").allowedMethods("PATCH").build()))));
        assertEquals("InvalidRequest", bad.awsErrorDetails().errorCode());
        s3.deleteBucketCors(r -> r.bucket("configs"));
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.getBucketCors(r -> r.bucket("configs"))).statusCode());
    }

    @Test
    void websiteRoundTrips() {
        assertEquals("NoSuchWebsiteConfiguration", assertThrows(S3Exception.class,
                () -> s3.getBucketWebsite(r -> r.bucket("configs"))).awsErrorDetails().errorCode());
        s3.putBucketWebsite(r -> r.bucket("configs").websiteConfiguration(w -> w
                .indexDocument(i -> i.suffix("index.html")).errorDocument(e -> e.key("404.html"))
                .routingRules(software.amazon.awssdk.services.s3.model.RoutingRule.builder()
                        .condition(c -> c.keyPrefixEquals("docs/")).redirect(d -> d.replaceKeyPrefixWith("documents/")).build())));
        GetBucketWebsiteResponse website = s3.getBucketWebsite(r -> r.bucket("configs"));
        assertEquals("index.html", website.indexDocument().suffix());
        assertEquals("404.html", website.errorDocument().key());
        assertEquals("documents/", website.routingRules().get(0).redirect().replaceKeyPrefixWith());
        s3.deleteBucketWebsite(r -> r.bucket("configs"));
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.getBucketWebsite(r -> r.bucket("configs"))).statusCode());
    }
}
