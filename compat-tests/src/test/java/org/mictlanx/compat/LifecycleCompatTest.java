package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * Lifecycle rules through the AWS SDK for Java v2 and the aws CLI against a real all-in-one whose
 * lifecycle day lasts one second ({@code --lifecycle-seconds-per-day 1}) and whose worker scans every
 * second, so expirations happen within seconds. Every wait is on a condition with a deadline.
 */
class LifecycleCompatTest {

    static AllInOne store;
    static S3Client s3;
    static AwsCli cli;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path scratch;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start("--lifecycle-seconds-per-day", "1", "--lifecycle-scan-interval-seconds", "1");
        s3 = store.rootClient();
        cli = new AwsCli(store, scratch);
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static String bucket(String prefix) {
        String b = prefix + "-" + System.nanoTime();
        s3.createBucket(r -> r.bucket(b));
        return b;
    }

    static void await(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
        }
    }

    static String metrics() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    store.endpoint().resolve("/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static boolean exists(String b, String key) {
        try {
            s3.headObject(r -> r.bucket(b).key(key));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return false;
            throw e;
        }
    }

    static String code(Runnable call) {
        return assertThrows(S3Exception.class, call::run).awsErrorDetails().errorCode();
    }

    static void put(String b, String key, String body) {
        s3.putObject(r -> r.bucket(b).key(key), RequestBody.fromString(body));
    }

    static void rules(String b, LifecycleRule... rules) {
        s3.putBucketLifecycleConfiguration(r -> r.bucket(b).lifecycleConfiguration(c -> c.rules(rules)));
    }

    static LifecycleRule.Builder rule(String id) {
        return LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED);
    }

    @Test
    void configurationRoundTripAndS3sErrors() {
        String b = bucket("lc-conf");
        assertEquals("NoSuchLifecycleConfiguration", code(() -> s3.getBucketLifecycleConfiguration(r -> r.bucket(b))));
        LifecycleRule tagged = rule("tagged").filter(f -> f.and(a -> a.prefix("logs/").tags(Tag.builder().key("tier").value("tmp").build())
                .objectSizeGreaterThan(10L))).expiration(e -> e.days(7)).build();
        LifecycleRule versions = rule("versions").filter(LifecycleRuleFilter.builder().prefix("").build())
                .noncurrentVersionExpiration(n -> n.noncurrentDays(3).newerNoncurrentVersions(2))
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(2)).build();
        rules(b, tagged, versions);
        List<LifecycleRule> back = s3.getBucketLifecycleConfiguration(r -> r.bucket(b)).rules();
        assertEquals(List.of(tagged, versions), back);
        assertEquals("InvalidStorageClass", code(() -> rules(b, rule("t").filter(f -> f.prefix("a/"))
                .transitions(t -> t.days(30).storageClass(TransitionStorageClass.GLACIER)).build())));
        assertEquals("InvalidArgument", code(() -> rules(b, rule("d").filter(f -> f.prefix("a/")).expiration(e -> e.days(0)).build())));
        assertEquals("InvalidArgument", code(() -> rules(b, rule("same").filter(f -> f.prefix("a/")).expiration(e -> e.days(1)).build(),
                rule("same").filter(f -> f.prefix("b/")).expiration(e -> e.days(1)).build())));
        assertEquals(List.of(tagged, versions), s3.getBucketLifecycleConfiguration(r -> r.bucket(b)).rules(),
                "a refused configuration changes nothing");
        s3.deleteBucketLifecycle(r -> r.bucket(b));
        assertEquals("NoSuchLifecycleConfiguration", code(() -> s3.getBucketLifecycleConfiguration(r -> r.bucket(b))));
    }

    @Test
    void expirationHeaderOnPutGetAndHead() {
        String b = bucket("lc-header");
        rules(b, rule("thousand-days").filter(f -> f.prefix("docs/")).expiration(e -> e.days(1000)).build());
        String put = s3.putObject(r -> r.bucket(b).key("docs/a"), RequestBody.fromString("a")).expiration();
        assertNotNull(put);
        assertTrue(put.matches("expiry-date=\"[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\", rule-id=\"thousand-days\""), put);
        assertEquals(put, s3.headObject(r -> r.bucket(b).key("docs/a")).expiration());
        try (var in = s3.getObject(r -> r.bucket(b).key("docs/a"))) {
            assertEquals(put, in.response().expiration());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        put(b, "other/x", "x");
        assertNull(s3.headObject(r -> r.bucket(b).key("other/x")).expiration(), "no rule covers other/");
    }

    @Test
    void expirationByDaysDateTagsAndSize() throws Exception {
        String b = bucket("lc-exp");
        String today = LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        rules(b, rule("tmp").filter(f -> f.prefix("tmp/")).expiration(e -> e.days(1)).build(),
                rule("dated").filter(f -> f.prefix("dated/")).expiration(e -> e.date(Instant.parse(today))).build(),
                rule("tagged").filter(f -> f.tag(Tag.builder().key("expire").value("yes").build())).expiration(e -> e.days(1)).build(),
                rule("big").filter(f -> f.and(a -> a.prefix("size/").objectSizeGreaterThan(100L))).expiration(e -> e.days(1)).build());
        put(b, "tmp/a", "a");
        put(b, "dated/b", "b");
        s3.putObject(r -> r.bucket(b).key("t/yes").tagging("expire=yes"), RequestBody.fromString("t"));
        s3.putObject(r -> r.bucket(b).key("t/no").tagging("expire=no"), RequestBody.fromString("t"));
        put(b, "size/large", "x".repeat(200));
        put(b, "size/small", "x".repeat(50));
        put(b, "keep/c", "c");
        await("tmp/, dated/, the tagged and the large ball to expire", () -> !exists(b, "tmp/a") && !exists(b, "dated/b")
                && !exists(b, "t/yes") && !exists(b, "size/large"));
        assertTrue(exists(b, "t/no") && exists(b, "size/small") && exists(b, "keep/c"), "balls no rule covers stay");
        // progress on the router's /metrics: the worker counts an expiry once its delete has returned, a moment
        // after the ball is gone: wait for the count
        await("four expirations counted on /metrics", () -> AccessLogsCompatTest.metric(metrics(), "mictlanx_lifecycle_expired_total") >= 4);
        String metrics = metrics();
        var expired = java.util.regex.Pattern.compile("(?m)^mictlanx_lifecycle_expired_total (\\S+)$").matcher(metrics);
        assertTrue(expired.find(), metrics);
        assertTrue(Double.parseDouble(expired.group(1)) >= 4, expired.group());
        assertTrue(metrics.contains("mictlanx_lifecycle_lease_held 1.0"), "the only router holds the lease");
    }

    @Test
    void versionedBucketGetsDeleteMarkersAndNoncurrentVersionsExpire() {
        String b = bucket("lc-ver");
        s3.putBucketVersioning(r -> r.bucket(b).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        for (int i = 0; i < 4; i++) put(b, "k", "v" + i);
        String newest = s3.headObject(r -> r.bucket(b).key("k")).versionId();
        rules(b, rule("all").filter(f -> f.prefix("")).expiration(e -> e.days(1))
                .noncurrentVersionExpiration(n -> n.noncurrentDays(1).newerNoncurrentVersions(1)).build());
        await("a delete marker and one noncurrent version left", () -> {
            var listed = s3.listObjectVersions(r -> r.bucket(b));
            return listed.deleteMarkers().size() == 1 && listed.versions().size() == 1;
        });
        var listed = s3.listObjectVersions(r -> r.bucket(b));
        assertTrue(listed.deleteMarkers().get(0).isLatest());
        assertEquals(newest, listed.versions().get(0).versionId(), "the newest noncurrent version is kept (NewerNoncurrentVersions 1)");
        assertTrue(!exists(b, "k"));
        // expired delete markers: once their key has no other version, the marker goes too
        String m = bucket("lc-marker");
        s3.putBucketVersioning(r -> r.bucket(m).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        put(m, "gone", "x");
        s3.deleteObject(r -> r.bucket(m).key("gone"));
        rules(m, rule("markers").filter(f -> f.prefix("")).expiration(e -> e.expiredObjectDeleteMarker(true))
                .noncurrentVersionExpiration(n -> n.noncurrentDays(1)).build());
        await("the key's versions and then its lone delete marker to be removed", () -> {
            var l = s3.listObjectVersions(r -> r.bucket(m));
            return l.versions().isEmpty() && l.deleteMarkers().isEmpty();
        });
    }

    @Test
    void lockedVersionsSurvive() {
        String b = "lc-lock-" + System.nanoTime();
        s3.createBucket(r -> r.bucket(b).objectLockEnabledForBucket(true));
        String held = s3.putObject(r -> r.bucket(b).key("held").objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)
                .checksumAlgorithm("CRC32"), RequestBody.fromString("v1")).versionId();
        put(b, "held", "v2");
        put(b, "witness", "v1"); // sorts after "held": once its old version is gone, the worker has judged "held"
        put(b, "witness", "v2");
        rules(b, rule("noncurrent").filter(f -> f.prefix("")).noncurrentVersionExpiration(n -> n.noncurrentDays(1)).build());
        await("the unlocked noncurrent version to expire", () -> s3.listObjectVersions(r -> r.bucket(b).prefix("witness"))
                .versions().size() == 1);
        // the noncurrent version of "held" is under legal hold: kept
        List<ObjectVersion> heldVersions = s3.listObjectVersions(r -> r.bucket(b).prefix("held")).versions();
        assertEquals(2, heldVersions.size());
        assertTrue(heldVersions.stream().anyMatch(v -> v.versionId().equals(held)));
    }

    @Test
    void incompleteMultipartUploadsAreAborted() {
        String b = bucket("lc-mpu");
        rules(b, rule("abort").filter(f -> f.prefix("mp/")).abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build());
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("mp/big")).uploadId();
        s3.uploadPart(r -> r.bucket(b).key("mp/big").uploadId(id).partNumber(1), RequestBody.fromString("part"));
        String kept = s3.createMultipartUpload(r -> r.bucket(b).key("other/big")).uploadId();
        await("the upload under mp/ to be aborted", () -> s3.listMultipartUploads(r -> r.bucket(b).prefix("mp/")).uploads().isEmpty());
        assertEquals("NoSuchUpload", code(() -> s3.uploadPart(r -> r.bucket(b).key("mp/big").uploadId(id).partNumber(2),
                RequestBody.fromString("late"))));
        assertEquals(kept, s3.listMultipartUploads(r -> r.bucket(b)).uploads().get(0).uploadId(), "other/ is not covered");
    }

    @Test
    void awsCliPutAndGetBucketLifecycleConfiguration() throws Exception {
        String b = bucket("lc-cli");
        Path config = cli.file("lifecycle.json", """
                {"Rules": [{"ID": "cli-rule", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
                            "Expiration": {"Days": 30},
                            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        cli.run("s3api", "put-bucket-lifecycle-configuration", "--bucket", b, "--lifecycle-configuration", "file://" + config);
        JsonNode got = JSON.readTree(cli.run("s3api", "get-bucket-lifecycle-configuration", "--bucket", b));
        JsonNode r = got.path("Rules").get(0);
        assertEquals("cli-rule", r.path("ID").asText());
        assertEquals("logs/", r.path("Filter").path("Prefix").asText());
        assertEquals(30, r.path("Expiration").path("Days").asInt());
        assertEquals(7, r.path("AbortIncompleteMultipartUpload").path("DaysAfterInitiation").asInt());
        cli.run("s3api", "delete-bucket-lifecycle", "--bucket", b);
        assertEquals("NoSuchLifecycleConfiguration", code(() -> s3.getBucketLifecycleConfiguration(x -> x.bucket(b))));
    }
}
