package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.server.AdminCliFixture.allInOne;
import static org.mictlanx.server.AdminCliFixture.assertOneLineError;
import static org.mictlanx.server.AdminCliFixture.at;
import static org.mictlanx.server.AdminLifecycleTest.ROOT_ENV;
import static org.mictlanx.server.AdminLifecycleTest.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mictlanx admin notify target add|list|remove} against a started all-in-one: an added webhook
 * is listed beside the settings' one and can be named by a bucket's notification configuration at
 * once; a target in use, a settings target and an unknown id cannot be removed; bad ids and URLs are
 * refused with one line.
 */
class NotifyTargetsCliTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    /** A signed S3 call; {@code pathAndQuery} may carry a query (signed as such). */
    private int s3(URI ep, String method, String pathAndQuery, String body) throws Exception {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        var signed = new org.mictlanx.xolo.sigv4.SigV4Signer(AdminLifecycleTest.AK, AdminLifecycleTest.SK, "us-east-1")
                .sign(method, path, query, Map.of("host", ep.getHost() + ":" + ep.getPort()),
                        org.mictlanx.xolo.sigv4.SigV4Crypto.sha256Hex(bytes), java.time.Instant.now()).request();
        var b = java.net.http.HttpRequest.newBuilder(ep.resolve(pathAndQuery)).method(method,
                java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.headers().forEach((k, v) -> {
            if (!k.equals("host")) b.header(k, v.get(0));
        });
        return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String config(String arn) {
        return "<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><QueueConfiguration>"
                + "<Id>c</Id><Queue>" + arn + "</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>";
    }

    @Test
    void targetsAreAddedListedAndRemovedUnlessInUse() throws Exception {
        try (MictlanXServer server = allInOne(dir, "--notify-webhooks", "fixed=http://127.0.0.1:9/fixed")) {
            URI ep = server.endpoint();
            var list = cli(ROOT_ENV, at(ep, "notify", "target", "list"));
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().contains("arn:mictlanx:sqs::fixed:webhook") && list.out().contains("settings"), list.out());

            String arn = "arn:mictlanx:sqs::audit:webhook";
            assertEquals(200, s3(ep, "PUT", "/watched", ""));
            assertEquals(400, s3(ep, "PUT", "/watched?notification", config(arn)), "an unknown target is refused");
            var added = cli(ROOT_ENV, at(ep, "notify", "target", "add", "audit", "http://127.0.0.1:9/audit"));
            assertEquals(0, added.code(), added.err());
            assertTrue(added.out().contains("target audit added: " + arn), added.out());
            list = cli(ROOT_ENV, at(ep, "notify", "target", "list"));
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("audit") && l.contains(arn) && l.contains("admin")
                    && l.contains("http://127.0.0.1:9/audit")), list.out());
            var json = cli(ROOT_ENV, at(ep, "--json", "notify", "target", "list"));
            assertTrue(json.out().contains("\"source\" : \"admin\""), json.out());
            assertEquals(200, s3(ep, "PUT", "/watched?notification", config(arn)), "the added target is known at once");

            assertOneLineError(cli(ROOT_ENV, at(ep, "notify", "target", "remove", "audit")), "TargetInUse");
            assertOneLineError(cli(ROOT_ENV, at(ep, "notify", "target", "remove", "fixed")), "TargetFromSettings");
            assertOneLineError(cli(ROOT_ENV, at(ep, "notify", "target", "remove", "nope")), "NoSuchTarget");
            assertOneLineError(cli(ROOT_ENV, at(ep, "notify", "target", "add", "fixed", "http://127.0.0.1:9/x")), "TargetFromSettings");
            assertOneLineError(cli(ROOT_ENV, at(ep, "notify", "target", "add", "bad:id", "http://127.0.0.1:9/x")), "InvalidArgument");
            assertOneLineError(cli(ROOT_ENV, at(ep, "notify", "target", "add", "ftp", "ftp://127.0.0.1/x")), "InvalidArgument");
            assertEquals(2, cli(ROOT_ENV, at(ep, "notify", "target", "add", "only-id")).code(), "usage");

            assertEquals(200, s3(ep, "PUT", "/watched?notification",
                    "<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"));
            var removed = cli(ROOT_ENV, at(ep, "notify", "target", "remove", "audit"));
            assertEquals(0, removed.code(), removed.err());
            assertFalse(cli(ROOT_ENV, at(ep, "notify", "target", "list")).out().contains(arn));
            assertEquals(400, s3(ep, "PUT", "/watched?notification", config(arn)), "a removed target is refused again");
        }
    }
}
