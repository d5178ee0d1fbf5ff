package org.mictlanx.s3.post;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.S3Harness;

/** POST object (browser form uploads) over HTTP against the real router. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostObjectTest {

    private static final String B = "postbucket";
    private S3Harness s3;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        assertEquals(200, s3.as(ALICE).put("/" + B, new byte[0]).status());
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
    }

    /** A signed form for ALICE: the given fields, a policy of the given extra conditions plus every field's eq. */
    private Map<String, String> form(Map<String, String> fields, List<String> extraConditions, String accessKey) {
        return form(B, fields, extraConditions, accessKey);
    }

    /** The same for another bucket. */
    private Map<String, String> form(String bucket, Map<String, String> fields, List<String> extraConditions, String accessKey) {
        Instant now = Instant.now();
        Map<String, String> v4 = PostForms.v4Fields(accessKey, now);
        List<String> conditions = new ArrayList<>(PostForms.v4Conditions(v4));
        conditions.add("{\"bucket\": \"" + bucket + "\"}");
        fields.forEach((k, v) -> conditions.add("[\"eq\", \"$" + k + "\", \"" + v + "\"]"));
        conditions.addAll(extraConditions);
        String policy = PostForms.policy(now.plusSeconds(3600), conditions);
        Map<String, String> out = new LinkedHashMap<>(fields);
        out.putAll(v4);
        out.put("policy", policy);
        out.put("x-amz-signature", PostForms.v4Signature(S3Harness.secret(accessKey), now, policy));
        return out;
    }

    private HttpResponse<String> post(byte[] body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + s3.host + "/" + B))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Map<String, String> fields, byte[] file) throws Exception {
        return post(PostForms.form(fields, "photo.jpg", "image/jpeg", file), PostForms.contentType());
    }

    @Test
    void aSignedFormUploadsTheFileWithItsFields() throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("key", "uploads/${filename}");
        f.put("Content-Type", "image/jpeg");
        f.put("x-amz-meta-owner", "alice");
        var r = post(form(f, List.of(), ALICE), "jpeg bytes".getBytes(StandardCharsets.UTF_8));
        assertEquals(204, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("etag").isPresent());
        var get = s3.as(ALICE).get("/" + B + "/uploads/photo.jpg");
        assertEquals(200, get.status());
        assertEquals("jpeg bytes", get.text());
        assertEquals("image/jpeg", get.header("content-type"));
        assertEquals("alice", get.header("x-amz-meta-owner"));
        assertEquals(r.headers().firstValue("etag").get(), get.header("etag"));
    }

    @Test
    void serverSideEncryptionFieldsAreHonouredOrRefusedAsPutObject() throws Exception {
        var sse = post(form(Map.of("key", "sse-s3", "x-amz-server-side-encryption", "AES256"), List.of(), ALICE),
                new byte[] {1});
        assertEquals(204, sse.statusCode(), sse.body());
        assertEquals("AES256", sse.headers().firstValue("x-amz-server-side-encryption").orElse(""));
        assertEquals("AES256", s3.as(ALICE).head("/" + B + "/sse-s3").header("x-amz-server-side-encryption"));
        var unknown = post(form(Map.of("key", "sse-bad", "x-amz-server-side-encryption", "AES128"), List.of(), ALICE),
                new byte[] {1});
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("<Code>InvalidArgument</Code>"), unknown.body());
        var dsse = post(form(Map.of("key", "sse-dsse", "x-amz-server-side-encryption", "aws:kms:dsse"), List.of(), ALICE),
                new byte[] {1});
        assertEquals(501, dsse.statusCode());
        // SSE-C form fields over plain HTTP: refused before the file is stored, as S3 requires TLS for customer keys
        byte[] key = new byte[32];
        String b64 = java.util.Base64.getEncoder().encodeToString(key);
        String md5 = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(key));
        Map<String, String> ssec = new LinkedHashMap<>();
        ssec.put("key", "sse-c");
        ssec.put("x-amz-server-side-encryption-customer-algorithm", "AES256");
        ssec.put("x-amz-server-side-encryption-customer-key", b64);
        ssec.put("x-amz-server-side-encryption-customer-key-MD5", md5);
        var overHttp = post(form(ssec, List.of(), ALICE), new byte[] {1});
        assertEquals(400, overHttp.statusCode());
        assertTrue(overHttp.body().contains("<Code>InvalidRequest</Code>") && overHttp.body().contains("secure"),
                overHttp.body());
        for (String k : List.of("sse-bad", "sse-dsse", "sse-c")) {
            assertEquals(404, s3.as(ALICE).head("/" + B + "/" + k).status(), k);
        }
    }

    @Test
    void theWebsiteRedirectLocationFieldIsStoredAndValidated() throws Exception {
        var stored = post(form(Map.of("key", "redirected", "x-amz-website-redirect-location", "/target.html"), List.of(),
                ALICE), new byte[] {1});
        assertEquals(204, stored.statusCode(), stored.body());
        assertEquals("/target.html", s3.as(ALICE).head("/" + B + "/redirected").header("x-amz-website-redirect-location"));
        var invalid = post(form(Map.of("key", "misdirected", "x-amz-website-redirect-location", "target.html"), List.of(),
                ALICE), new byte[] {1});
        assertEquals(400, invalid.statusCode());
        assertTrue(invalid.body().contains("<Code>InvalidRedirectLocation</Code>"), invalid.body());
        assertEquals(404, s3.as(ALICE).head("/" + B + "/misdirected").status());
    }

    @Test
    void successActionStatusAndRedirect() throws Exception {
        var created = post(form(Map.of("key", "s201", "success_action_status", "201"), List.of(), ALICE), new byte[] {1, 2});
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().contains("<PostResponse>") && created.body().contains("<Key>s201</Key>")
                && created.body().contains("<Bucket>" + B + "</Bucket>")
                && created.body().contains("<Location>http://" + s3.host + "/" + B + "/s201</Location>"), created.body());
        var ok = post(form(Map.of("key", "s200", "success_action_status", "200"), List.of(), ALICE), new byte[] {1});
        assertEquals(200, ok.statusCode());
        var redirect = post(form(Map.of("key", "a b", "success_action_redirect", "http://app.example.com/done?x=1"),
                List.of(), ALICE), new byte[] {1});
        assertEquals(303, redirect.statusCode(), redirect.body());
        String location = redirect.headers().firstValue("location").orElse("");
        assertTrue(location.startsWith("http://app.example.com/done?x=1&bucket=" + B + "&key=a%20b&etag=%22"), location);
    }

    @Test
    void contentLengthRangeIsEnforcedWhileStreaming() throws Exception {
        var large = post(form(Map.of("key", "big"), List.of("[\"content-length-range\", 1, 10]"), ALICE), new byte[11]);
        assertEquals(400, large.statusCode());
        assertTrue(large.body().contains("<Code>EntityTooLarge</Code>"), large.body());
        var small = post(form(Map.of("key", "small"), List.of("[\"content-length-range\", 5, 10]"), ALICE), new byte[4]);
        assertEquals(400, small.statusCode());
        assertTrue(small.body().contains("<Code>EntityTooSmall</Code>"), small.body());
        assertEquals(404, s3.as(ALICE).head("/" + B + "/big").status());
        assertEquals(404, s3.as(ALICE).head("/" + B + "/small").status());
        assertEquals(204, post(form(Map.of("key", "fits"), List.of("[\"content-length-range\", 1, 10]"), ALICE),
                new byte[10]).statusCode());
    }

    @Test
    void aLargeFileStreamsThrough() throws Exception {
        int size = 24 * 1024 * 1024 + 7;
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        Map<String, String> fields = form(Map.of("key", "large"), List.of("[\"content-length-range\", 0, 33554432]"), ALICE);
        InputStream file = new InputStream() {
            private int sent;

            @Override
            public int read() {
                if (sent == size) {
                    return -1;
                }
                byte b = (byte) (sent++ * 31 + 7);
                md5.update(b);
                return b & 0xff;
            }

            @Override
            public int read(byte[] buf, int off, int len) {
                if (sent == size) {
                    return -1;
                }
                int n = Math.min(len, size - sent);
                for (int i = 0; i < n; i++) {
                    buf[off + i] = (byte) (sent++ * 31 + 7);
                }
                md5.update(buf, off, n);
                return n;
            }
        };
        var r = http.send(HttpRequest.newBuilder(URI.create("http://" + s3.host + "/" + B))
                .header("Content-Type", PostForms.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> PostForms.stream(fields, "large.bin", file))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode(), r.body());
        assertEquals("\"" + HexFormat.of().formatHex(md5.digest()) + "\"", r.headers().firstValue("etag").orElse(null));
        assertEquals(Long.toString(size), s3.as(ALICE).head("/" + B + "/large").header("content-length"));
    }

    @Test
    void anAnonymousFormIsJudgedByTheBucketPolicy() throws Exception {
        assertEquals(200, s3.as(ALICE).put("/dropbox", new byte[0]).status());
        URI dropbox = URI.create("http://" + s3.host + "/dropbox");
        byte[] form = PostForms.form(Map.of("key", "incoming/a.txt"), "a.txt", "text/plain", "drop".getBytes(StandardCharsets.UTF_8));
        var before = http.send(HttpRequest.newBuilder(dropbox).header("Content-Type", PostForms.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, before.statusCode(), before.body());
        assertTrue(before.body().contains("<Code>AccessDenied</Code>"), before.body());
        // Everyone may put under incoming/, through browser forms only (s3:authType POST).
        var policy = s3.as(ALICE).put("/dropbox?policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::dropbox/incoming/*\","
                + "\"Condition\":{\"StringEquals\":{\"s3:authType\":\"POST\"}}}]}");
        assertEquals(204, policy.status(), policy.text());
        var allowed = http.send(HttpRequest.newBuilder(dropbox).header("Content-Type", PostForms.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, allowed.statusCode(), allowed.body());
        assertEquals("drop", s3.as(ALICE).get("/dropbox/incoming/a.txt").text());
        byte[] outside = PostForms.form(Map.of("key", "elsewhere/b.txt"), "b.txt", "text/plain", new byte[1]);
        var denied = http.send(HttpRequest.newBuilder(dropbox).header("Content-Type", PostForms.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(outside)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, denied.statusCode(), denied.body());
        assertEquals(404, s3.as(ALICE).head("/dropbox/elsewhere/b.txt").status());
        // An anonymous PUT of the same key is not a browser form (no s3:authType POST): refused.
        var put = http.send(HttpRequest.newBuilder(URI.create("http://" + s3.host + "/dropbox/incoming/c.txt"))
                .PUT(HttpRequest.BodyPublishers.ofString("c")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, put.statusCode(), put.body());
    }

    @Test
    void theFormsSignerOrTheAnonymousUserOwnsWhatItUploadsAsS3() throws Exception {
        String bob = org.mictlanx.xolo.policy.Caller.canonicalId("bob");
        assertEquals(200, s3.as(ALICE).header("x-amz-object-ownership", "ObjectWriter").put("/postwriters", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).header("x-amz-grant-write", "id=\"" + bob + "\"").header("x-amz-grant-read", "uri=\""
                + org.mictlanx.xolo.policy.Acl.ALL_USERS + "\"").put("/postwriters?acl", new byte[0]).status());
        URI bucket = URI.create("http://" + s3.host + "/postwriters");
        byte[] signed = PostForms.form(form("postwriters", Map.of("key", "by-bob"), List.of(), S3Harness.BOB), "b.txt",
                "text/plain", "bob".getBytes(StandardCharsets.UTF_8));
        var r = http.send(HttpRequest.newBuilder(bucket).header("Content-Type", PostForms.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(signed)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode(), r.body());
        assertTrue(s3.as(BOB).get("/postwriters/by-bob?acl").text().contains("<Owner><ID>" + bob + "</ID>"),
                "the form's signer owns the ball");
        assertEquals("AccessDenied", s3.as(ALICE).get("/postwriters/by-bob").code(), "not the bucket owner");

        assertEquals(204, s3.as(ALICE).put("/postwriters?policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::postwriters/*\"}]}").status());
        byte[] anonymous = PostForms.form(Map.of("key", "by-anyone"), "a.txt", "text/plain", "a".getBytes(StandardCharsets.UTF_8));
        var a = http.send(HttpRequest.newBuilder(bucket).header("Content-Type", PostForms.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(anonymous)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, a.statusCode(), a.body());
        assertTrue(s3.as(ALICE).get("/postwriters?list-type=2&fetch-owner=true&prefix=by-anyone").text()
                .contains("<ID>" + org.mictlanx.xolo.policy.Caller.ANONYMOUS_CANONICAL_ID + "</ID><DisplayName>anonymous</DisplayName>"));

        var signedToEnforced = PostForms.form(form(Map.of("key", "enforced-by-alice"), List.of(), ALICE), "e.txt", "text/plain",
                "e".getBytes(StandardCharsets.UTF_8));
        assertEquals(204, post(signedToEnforced, PostForms.contentType()).statusCode());
        assertTrue(s3.as(ALICE).get("/" + B + "/enforced-by-alice?acl").text()
                .contains("<Owner><ID>" + org.mictlanx.xolo.policy.Caller.canonicalId("alice") + "</ID>"),
                "under BucketOwnerEnforced the bucket owner owns it");
    }

    @Test
    void refusalsAreS3s() throws Exception {
        Map<String, String> bad = form(Map.of("key", "x"), List.of(), ALICE);
        bad.put("x-amz-signature", "0".repeat(64));
        assertTrue(post(bad, new byte[1]).body().contains("<Code>SignatureDoesNotMatch</Code>"));
        // Anonymous (no signature): refused, B has no bucket policy allowing it.
        var anonymous = post(Map.of("key", "x"), new byte[1]);
        assertEquals(403, anonymous.statusCode());
        assertTrue(anonymous.body().contains("<Code>AccessDenied</Code>"), anonymous.body());
        // BOB may not write into ALICE's bucket, however well he signs.
        var bob = post(form(Map.of("key", "x"), List.of(), BOB), new byte[1]);
        assertTrue(bob.body().contains("<Code>AccessDenied</Code>"), bob.body());
        Map<String, String> extra = form(Map.of("key", "x"), List.of(), ALICE);
        extra.put("x-amz-meta-sneaky", "1");
        var uncovered = post(extra, new byte[1]);
        assertTrue(uncovered.body().contains("Extra input fields: x-amz-meta-sneaky"), uncovered.body());
        var notForm = post("key=x".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        assertEquals(412, notForm.statusCode());
        assertTrue(notForm.body().contains("multipart/form-data"), notForm.body());
        byte[] noFile = ("--" + PostForms.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nx\r\n--"
                + PostForms.BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        var missing = post(noFile, PostForms.contentType());
        assertTrue(missing.body().contains("POST requires exactly one file upload per request."), missing.body());
        var truncated = post(PostForms.head(form(Map.of("key", "t"), List.of(), ALICE), "t", null), PostForms.contentType());
        assertTrue(truncated.body().contains("<Code>MalformedPOSTRequest</Code>"), truncated.body());
        // B is BucketOwnerEnforced (S3's default): ACLs other than the owner's are refused.
        var acl = post(form(Map.of("key", "x", "acl", "public-read"), List.of(), ALICE), new byte[1]);
        assertTrue(acl.body().contains("<Code>AccessControlListNotSupported</Code>"), acl.body());
        Map<String, String> huge = form(Map.of("key", "x", "x-amz-meta-pad", "p".repeat(PostObjectHandler.MAX_FIELD_BYTES)),
                List.of(), ALICE);
        assertTrue(post(huge, new byte[1]).body().contains("<Code>MaxPostPreDataLengthExceededError</Code>"));
        assertEquals(404, s3.as(ALICE).head("/" + B + "/x").status());
        assertEquals(404, s3.as(ALICE).head("/" + B + "/t").status());
    }

    @Test
    void aKeyALifecycleRuleCoversIsAnsweredWithItsExpirationAsPutObject() throws Exception {
        String bucket = "postlifecycle";
        assertEquals(200, s3.as(ALICE).put("/" + bucket, new byte[0]).status());
        byte[] rules = ("<LifecycleConfiguration><Rule><ID>tmp-2</ID><Filter><Prefix>tmp/</Prefix></Filter>"
                + "<Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule></LifecycleConfiguration>")
                .getBytes(StandardCharsets.UTF_8);
        String md5 = java.util.Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(rules));
        assertEquals(200, s3.as(ALICE).header("Content-MD5", md5).put("/" + bucket + "?lifecycle", rules).status());
        for (String status : List.of("204", "201")) {
            String key = "tmp/" + status;
            var covered = postTo(bucket, form(bucket, Map.of("key", key, "success_action_status", status), List.of(), ALICE),
                    new byte[] {1, 2, 3});
            assertEquals(Integer.parseInt(status), covered.statusCode(), covered.body());
            String expected = s3.as(ALICE).head("/" + bucket + "/" + key).header("x-amz-expiration");
            assertTrue(expected != null && expected.startsWith("expiry-date=\"") && expected.endsWith("rule-id=\"tmp-2\""),
                    String.valueOf(expected));
            assertEquals(expected, covered.headers().firstValue("x-amz-expiration").orElse(null), "as PutObject answers");
        }
        var uncovered = postTo(bucket, form(bucket, Map.of("key", "data/kept"), List.of(), ALICE), new byte[] {1});
        assertEquals(204, uncovered.statusCode(), uncovered.body());
        assertTrue(uncovered.headers().firstValue("x-amz-expiration").isEmpty(), "no rule covers data/");
    }

    private HttpResponse<String> postTo(String bucket, Map<String, String> fields, byte[] file) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + s3.host + "/" + bucket))
                .header("Content-Type", PostForms.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(PostForms.form(fields, "photo.jpg", "image/jpeg", file))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
