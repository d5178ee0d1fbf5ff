package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/**
 * No secret in any log line: a started server's logs (ours at DEBUG, the access log, everything else
 * at INFO), captured while it serves signed S3 requests, failed signatures and admin operations that
 * create, rotate and refuse secrets, hold neither the root secret (old or rotated) nor a user's
 * secret. The banner shows the root secret only when it was generated on this start.
 */
class SecretsNotLoggedTest {

    @TempDir
    Path dir;

    /** Collects every log event as text (message, logger, MDC, stack trace). */
    static final class Capture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        private final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        private final Map<String, Level> saved = new LinkedHashMap<>();

        Capture() {
            setContext(ctx);
            start();
            level(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.INFO);
            level("org.eclipse.jetty", Level.INFO);
            level("org.mictlanx", Level.DEBUG);
            level("mictlanx.access", Level.INFO);
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(this);
        }

        private void level(String logger, Level level) {
            saved.put(logger, ctx.getLogger(logger).getLevel());
            ctx.getLogger(logger).setLevel(level);
        }

        @Override
        protected void append(ILoggingEvent e) {
            String trace = e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy());
            lines.add(e.getLoggerName() + " " + e.getFormattedMessage() + " " + e.getMDCPropertyMap() + " " + trace);
        }

        @Override
        public void close() {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
            saved.forEach((name, level) -> ctx.getLogger(name).setLevel(level));
            stop();
        }
    }

    @Test
    void aServerDoingSignedRequestsAndAdminOperationsLogsNoSecret() throws Exception {
        List<String> secrets = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        List<String> logged;
        try (Capture capture = new Capture();
             MictlanXServer server = MictlanXServer.allInOne(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                     "--data", dir.toString()}, Map.of()))) {
            URI ep = server.endpoint();
            String ak = server.rootCredentials().accessKeyId(), sk = server.rootCredentials().secretKey();
            secrets.add(sk);
            assertTrue(server.banner().contains(sk) && server.banner().contains("root-credentials.properties"),
                    "generated on this start: shown once, with where it is kept");
            Map<String, String> root = Map.of("MICTLANX_ACCESS_KEY", ak, "MICTLANX_SECRET_KEY", sk);

            assertEquals(200, MictlanXServerTest.s3(http, ep, ak, sk, "PUT", "/logs", "").statusCode());
            assertEquals(200, MictlanXServerTest.s3(http, ep, ak, sk, "PUT", "/logs/k", "body").statusCode());
            assertEquals(403, MictlanXServerTest.s3(http, ep, ak, sk + "x", "GET", "/logs/k", "").statusCode());

            AdminLifecycleTest.Run alice = AdminLifecycleTest.cli(root, "user", "add", "alice", "--endpoint", ep.toString());
            secrets.add(alice.field("secret key"));
            AdminLifecycleTest.Run key = AdminLifecycleTest.cli(root, "key", "add", "alice", "--endpoint", ep.toString());
            secrets.add(key.field("secret key"));
            assertEquals(200, MictlanXServerTest.s3(http, ep, alice.field("access key"), alice.field("secret key"), "PUT", "/alices", "").statusCode());
            assertEquals(403, MictlanXServerTest.s3(http, ep, alice.field("access key"), key.field("secret key"), "GET", "/", "").statusCode());
            assertEquals(0, AdminLifecycleTest.cli(root, "user", "disable", "alice", "--endpoint", ep.toString()).code());
            assertEquals(403, MictlanXServerTest.s3(http, ep, alice.field("access key"), alice.field("secret key"), "GET", "/", "").statusCode());
            assertEquals(1, AdminLifecycleTest.cli(Map.of("MICTLANX_ACCESS_KEY", ak, "MICTLANX_SECRET_KEY", "not-" + sk),
                    "user", "list", "--endpoint", ep.toString()).code());
            AdminLifecycleTest.Run rotated = AdminLifecycleTest.cli(root, "root", "rotate", "--endpoint", ep.toString());
            assertEquals(0, rotated.code(), rotated.err());
            secrets.add(rotated.field("secret key"));
            assertEquals(200, MictlanXServerTest.s3(http, ep, ak, rotated.field("secret key"), "GET", "/logs/k", "").statusCode());
            // A presigned URL's signature is a bearer credential until it expires: the access log redacts it.
            org.mictlanx.xolo.sigv4.SigV4Request presigned = new org.mictlanx.xolo.sigv4.SigV4Signer(ak, rotated.field("secret key"), "us-east-1")
                    .presign("GET", "/logs/k", "", ep.getHost() + ":" + ep.getPort(), java.time.Instant.now(), 300);
            secrets.add(presigned.rawQuery().replaceAll(".*X-Amz-Signature=", ""));
            assertEquals("body", http.send(java.net.http.HttpRequest.newBuilder(ep.resolve("/logs/k?" + presigned.rawQuery())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            // The access log line is written after the answer is sent: wait for it, with a deadline.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (capture.lines.stream().noneMatch(l -> l.startsWith("mictlanx.access") && l.contains("X-Amz-Signature"))
                    && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
            logged = List.copyOf(capture.lines);
        }
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("mictlanx.access") && l.contains("/logs/k")),
                "the access log was captured: " + logged.size() + " lines");
        assertTrue(logged.stream().anyMatch(l -> l.contains("admin: added user alice")), "admin operations are logged");
        assertTrue(logged.stream().anyMatch(l -> l.contains("X-Amz-Signature=REDACTED")), "the presigned GET is in the access log, redacted: "
                + logged.stream().filter(l -> l.startsWith("mictlanx.access")).toList());
        assertTrue(logged.stream().anyMatch(l -> l.contains("rotated the root secret")), "root rotation is logged");
        for (String line : logged) {
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a secret in the log: " + line);
            }
        }
        // Started again from the kept file, and from the settings: the secret is not shown.
        try (MictlanXServer again = MictlanXServer.allInOne(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--data", dir.toString()}, Map.of()))) {
            assertFalse(again.banner().contains(again.rootCredentials().secretKey()), again.banner());
            assertTrue(again.banner().contains("kept in " + dir.resolve("root-credentials.properties")), again.banner());
        }
        try (MictlanXServer fromSettings = MictlanXServer.allInOne(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--data", dir.resolve("other").toString(), "--access-key", MictlanXServerTest.AK, "--secret-key", MictlanXServerTest.SK}, Map.of()))) {
            assertFalse(fromSettings.banner().contains(MictlanXServerTest.SK), fromSettings.banner());
            assertTrue(fromSettings.banner().contains("MictlanX ready at "), fromSettings.banner());
        }
    }
}
