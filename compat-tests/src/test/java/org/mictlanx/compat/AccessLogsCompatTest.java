package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Server access logging through the AWS SDK for Java v2 against a real all-in-one that writes log
 * objects every second ({@code --access-log-flush-seconds 1}). Waits are on conditions with deadlines.
 */
class AccessLogsCompatTest {

    /** S3's documented line: owner bucket [time] ip requester id operation key "uri" status error bytes size total turnaround "referer" "agent" ... */
    static final Pattern LINE = Pattern.compile(
            "(\\S+) (\\S+) \\[([^]]+)] (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\"[^\"]*\"|-) (\\d{3}) (\\S+) (\\S+) (\\S+) (\\d+) (\\d+)"
                    + " (\"[^\"]*\"|-) (\"[^\"]*\"|-) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)");

    static AllInOne store;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start("--access-log-flush-seconds", "1");
        s3 = store.rootClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static void await(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
        }
    }

    static String bucket(String prefix) {
        String b = prefix + "-" + System.nanoTime();
        s3.createBucket(r -> r.bucket(b));
        return b;
    }

    @Test
    void configurationRoundTripAndS3sErrors() {
        String b = bucket("al-conf");
        String target = bucket("al-target");
        assertEquals(null, s3.getBucketLogging(r -> r.bucket(b)).loggingEnabled());
        s3.putBucketLogging(r -> r.bucket(b).bucketLoggingStatus(st -> st.loggingEnabled(l -> l.targetBucket(target).targetPrefix("logs/"))));
        var on = s3.getBucketLogging(r -> r.bucket(b)).loggingEnabled();
        assertEquals(target, on.targetBucket());
        assertEquals("logs/", on.targetPrefix());
        S3Exception missing = assertThrows(S3Exception.class, () -> s3.putBucketLogging(r -> r.bucket(b)
                .bucketLoggingStatus(st -> st.loggingEnabled(l -> l.targetBucket("no-such-target-" + System.nanoTime()).targetPrefix("x/")))));
        assertEquals("InvalidTargetBucketForLogging", missing.awsErrorDetails().errorCode());
        s3.putBucketLogging(r -> r.bucket(b).bucketLoggingStatus(st -> { }));
        assertEquals(null, s3.getBucketLogging(r -> r.bucket(b)).loggingEnabled());
    }

    @Test
    void logObjectsLandInTheTargetAndParse() throws Exception {
        String b = bucket("al-src");
        String target = bucket("al-dst");
        s3.putBucketLogging(r -> r.bucket(b).bucketLoggingStatus(st -> st.loggingEnabled(l -> l.targetBucket(target).targetPrefix("logs/"))));
        s3.putObject(r -> r.bucket(b).key("a b.txt"), RequestBody.fromString("hello"));
        s3.getObjectAsBytes(r -> r.bucket(b).key("a b.txt"));
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(r -> r.bucket(b).key("missing"))).statusCode());

        List<String> lines = new ArrayList<>();
        await("log lines for the three requests", () -> {
            lines.clear();
            for (S3Object o : s3.listObjectsV2(r -> r.bucket(target).prefix("logs/")).contents()) {
                assertTrue(o.key().matches("logs/\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9A-F]{16}"), o.key());
                lines.addAll(s3.getObjectAsBytes(r -> r.bucket(target).key(o.key())).asUtf8String().lines().toList());
            }
            return lines.stream().filter(l -> l.contains(" REST.GET.OBJECT ") || l.contains(" REST.PUT.OBJECT ")).count() >= 3;
        });
        List<Matcher> parsed = new ArrayList<>();
        for (String l : lines) {
            Matcher m = LINE.matcher(l);
            assertTrue(m.matches(), l);
            parsed.add(m);
        }
        Matcher put = parsed.stream().filter(m -> m.group(7).equals("REST.PUT.OBJECT")).findFirst().orElseThrow();
        assertEquals(b, put.group(2));
        assertEquals("a+b.txt", put.group(8));
        assertEquals("200", put.group(10));
        assertTrue(put.group(9).startsWith("\"PUT /" + b + "/a%20b.txt"), put.group(9));
        Matcher get = parsed.stream().filter(m -> m.group(7).equals("REST.GET.OBJECT") && m.group(10).equals("200")).findFirst().orElseThrow();
        assertEquals("5", get.group(12));
        Matcher miss = parsed.stream().filter(m -> m.group(10).equals("404")).findFirst().orElseThrow();
        assertEquals("NoSuchKey", miss.group(11));
        assertEquals("missing", miss.group(8));
        assertTrue(put.group(6).length() > 0 && !put.group(6).equals("-"));
        // the counters on the router's /metrics: lines, objects, and the drop counter (nothing dropped here);
        // the flusher counts a log object once its put has returned, a moment after the object is listed: wait for it
        await("the log object counted on /metrics", () -> metric(scrape(), "mictlanx_access_log_objects_total") >= 1);
        String metrics = scrape();
        assertTrue(metric(metrics, "mictlanx_access_log_lines_total") >= 3, metrics);
        assertTrue(metric(metrics, "mictlanx_access_log_objects_total") >= 1, metrics);
        assertEquals(0.0, metric(metrics, "mictlanx_access_log_dropped_total"), metrics);
    }

    /** The router's /metrics text. */
    static String scrape() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    store.endpoint().resolve("/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        assertTrue(m.find(), name + " in " + metrics);
        return Double.parseDouble(m.group(1));
    }
}
