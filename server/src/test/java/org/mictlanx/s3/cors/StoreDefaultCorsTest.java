package org.mictlanx.s3.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.InMemoryBallStore;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.xml.S3Xml;

/** The store-wide default CORS rule (setting {@code cors-allowed-origins}) and how a bucket's own rules override it. */
class StoreDefaultCorsTest {

    private final InMemoryBallStore store = new InMemoryBallStore(Clock.systemUTC());
    private final BucketConfigurations configs = new BucketConfigurations(store.metaTable(), System::nanoTime);
    private final S3Xml xml = new S3Xml();
    private final CorsResponder cors = new CorsResponder(configs, xml,
            CorsResponder.defaultFor("https://console.example.com, http://*.local:8080"));

    private static String header(S3Response r, String name) {
        return r.headers().stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    @Test
    void theDefaultCoversServiceLevelRequestsAndBucketsWithoutRules() {
        S3Response service = cors.preflight(Optional.empty(), Optional.empty(), "https://console.example.com", "GET",
                "authorization, x-amz-date, x-amz-content-sha256");
        assertEquals(200, service.status());
        assertEquals("https://console.example.com", header(service, "Access-Control-Allow-Origin"));
        assertEquals("authorization, x-amz-date, x-amz-content-sha256", header(service, "Access-Control-Allow-Headers"));
        assertEquals("3600", header(service, "Access-Control-Max-Age"));
        BucketInfo plain = store.createBucket("plain", "alice", "us-east-1");
        var actual = cors.actual(Optional.of(plain), "http://dev.local:8080", "PUT");
        assertTrue(actual.contains(Map.entry("Access-Control-Allow-Origin", "http://dev.local:8080")), actual.toString());
        assertTrue(actual.stream().anyMatch(e -> e.getKey().equals("Access-Control-Expose-Headers")
                && e.getValue().contains("ETag")), actual.toString());
        assertEquals(S3ErrorCode.ACCESS_FORBIDDEN, assertThrows(S3Exception.class, () -> cors.preflight(Optional.of("plain"),
                Optional.of(plain), "https://evil.example.org", "GET", null)).code());
    }

    @Test
    void aBucketsOwnRulesReplaceTheDefault() {
        BucketInfo own = store.createBucket("own", "alice", "us-east-1");
        CorsRules rules = CorsRules.of(new CorsConfiguration(null, List.of(new CorsConfiguration.Rule(null, null,
                List.of("GET"), List.of("https://app.example.com"), null, null))));
        configs.put(own, BucketConfigurations.Kind.CORS, xml.write(rules.toDocument()));
        assertEquals(S3ErrorCode.ACCESS_FORBIDDEN, assertThrows(S3Exception.class, () -> cors.preflight(Optional.of("own"),
                Optional.of(own), "https://console.example.com", "GET", null)).code());
        assertEquals(200, cors.preflight(Optional.of("own"), Optional.of(own), "https://app.example.com", "GET", null).status());
        assertTrue(new String(configs.get(own, BucketConfigurations.Kind.CORS).orElseThrow(), StandardCharsets.UTF_8)
                .contains("https://app.example.com"));
    }

    @Test
    void noDefaultWithoutTheSetting() {
        assertTrue(CorsResponder.defaultFor(null).isEmpty());
        assertTrue(CorsResponder.defaultFor(" ").isEmpty());
        CorsResponder none = new CorsResponder(configs, xml, Optional.empty());
        assertTrue(none.actual(Optional.empty(), "https://console.example.com", "GET").isEmpty());
    }
}
