package org.mictlanx.compat.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.compat.AllInOne;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The web console in a real headless Chromium against a real all-in-one: log in through the login
 * form, create a bucket, upload a small file and a multipart-sized one through the page's file input,
 * see them listed, download byte-identical, delete them; a non-admin user sees no admin pages and its
 * admin calls are refused (403), a user holding {@code consoleAdmin} sees and uses them all, a user
 * granted only {@code admin:ListUsers} sees the users page alone; a multipart upload interrupted and
 * followed by a page reload resumes when the same file is selected again, sending only the missing
 * part; a call without the CSRF token is refused; logout ends the session.
 * With {@code -Dmictlanx.console.screenshots=DIR} it also writes the screenshots kept in
 * {@code docs/console/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static AllInOne store;
    private static Chromium chromium;
    private static String console;
    private static Path shots;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> binary = Chromium.binary();
        if (binary.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("chromium is not installed; .ci/run installs Debian's chromium for this test");
        }
        Assumptions.assumeTrue(binary.isPresent(), "chromium is not installed locally");
        store = AllInOne.start();
        console = store.endpoint().toString().replaceAll("/$", "") + "/console/";
        String dir = System.getProperty("mictlanx.console.screenshots");
        shots = dir == null || dir.isBlank() ? null : Path.of(dir);
        chromium = new Chromium(binary.get());
        chromium.viewport(1280, 760);
        chromium.navigate(console);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) chromium.close();
        if (store != null) store.close();
    }

    private static void shot(String name) throws Exception {
        if (shots != null) {
            chromium.evaluate("new Promise(r => setTimeout(() => r('ok'), 300))", WAIT);
            chromium.screenshot(shots.resolve(name + ".png"));
        }
    }

    private static String js(String expression) throws Exception {
        return chromium.evaluate(expression, WAIT);
    }

    private static String quoted(String s) throws Exception {
        return JSON.writeValueAsString(s);
    }

    private static void login(String accessKey, String secret) throws Exception {
        chromium.waitFor("document.querySelector('#login')", WAIT, "the login form");
        js("document.querySelector('#accessKey').value = " + quoted(accessKey) + ";"
                + "document.querySelector('#secret').value = " + quoted(secret) + ";"
                + "document.querySelector('#loginButton').click(); 'ok'");
    }

    /** A script true once the bucket's row shows {@code size} and {@code count} in its size and object count cells. */
    private static String usageCells(String bucket, String size, String count) throws Exception {
        return "(r => r && r.cells[2].textContent === " + quoted(size) + " && r.cells[3].textContent === " + quoted(count)
                + ")(document.querySelector('tr[data-bucket=" + quoted(bucket) + "]'))";
    }

    @Test
    @Order(1)
    void rootLogsInCreatesABucketUploadsDownloadsAndDeletes() throws Exception {
        chromium.waitFor("document.querySelector('#login')", WAIT, "the login form");
        shot("login");
        login(AllInOne.ACCESS_KEY, "wrong-secret");
        chromium.waitFor("document.querySelector('#loginError').textContent.length > 0", WAIT, "the login error");
        login(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
        chromium.waitFor("document.querySelector('#buckets')", WAIT, "the bucket list");
        assertEquals("true", js("String(!document.querySelector('#top').hidden && document.querySelector('#nav').innerText.includes('Cluster'))"));

        js("document.querySelector('#newBucket').value = 'photos';"
                + "document.querySelector('#createBucket').requestSubmit(); 'ok'");
        chromium.waitFor("document.querySelector('tr[data-bucket=\"photos\"]')", WAIT, "the new bucket listed");
        js("document.querySelector('#newBucket').value = 'backups';"
                + "document.querySelector('#createBucket').requestSubmit(); 'ok'");
        chromium.waitFor("document.querySelector('tr[data-bucket=\"backups\"]')", WAIT, "the second bucket listed");
        // Size and count are the bucket's usage figures (never a listing): a new bucket has none.
        chromium.waitFor(usageCells("photos", "0 B", "0"), WAIT, "size/count of the new bucket shown as 0 B, 0");
        shot("buckets");

        Random random = new Random(42);
        byte[] small = new byte[200_000];
        random.nextBytes(small);
        byte[] large = new byte[20 * 1024 * 1024 + 12345]; // above the page's 16 MiB single-PUT limit: multipart
        random.nextBytes(large);
        Path smallFile = tmp.resolve("notes.bin");
        Path largeFile = tmp.resolve("big.bin");
        Files.write(smallFile, small);
        Files.write(largeFile, large);
        Path textFile = tmp.resolve("hello.txt");
        Files.writeString(textFile, "hello from the MictlanX console\n");

        js("location.hash = '#/b/photos/'; 'ok'");
        chromium.waitFor("document.querySelector('#fileInput')", WAIT, "the object browser");
        chromium.setFiles("#fileInput", List.of(smallFile, largeFile, textFile));
        chromium.waitFor("document.querySelectorAll('#uploads [data-state=\"done\"]').length === 3", Duration.ofSeconds(120),
                "three uploads done");
        chromium.waitFor("document.querySelector('tr[data-key=\"big.bin\"]') && document.querySelector('tr[data-key=\"notes.bin\"]')",
                WAIT, "the uploads listed");

        try (S3Client root = store.rootClient()) {
            assertArrayEquals(large, root.getObject(r -> r.bucket("photos").key("big.bin"), ResponseTransformer.toBytes()).asByteArray());
            String etag = root.headObject(r -> r.bucket("photos").key("big.bin")).eTag();
            assertTrue(etag.endsWith("-3\""), "a multipart upload of 3 parts: " + etag);
        }
        // The usage figures the bucket list shows: the three objects and their bytes, as the store accounts them.
        long total = small.length + large.length + Files.size(textFile);
        Session usage = Session.login(store, AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
        Instant counted = Instant.now().plus(WAIT);
        String figures = "";
        while (Instant.now().isBefore(counted)) {
            figures = usage.send("GET", "usage?bucket=photos", false).body();
            if (JSON.readTree(figures).path("objects").asLong() == 3 && JSON.readTree(figures).path("bytes").asLong() == total) break;
            js("new Promise(r => setTimeout(() => r('ok'), 100))");
        }
        assertEquals(3, JSON.readTree(figures).path("objects").asLong(), figures);
        assertEquals(total, JSON.readTree(figures).path("bytes").asLong(), figures);
        js("location.hash = '#/buckets'; 'ok'");
        chromium.waitFor(usageCells("photos", "20.2 MiB", "3"), WAIT, "the bucket's size and object count");
        js("location.hash = '#/b/photos/'; 'ok'");
        chromium.waitFor("document.querySelector('tr[data-key=\"notes.bin\"]')", WAIT, "the object browser again");

        // Download through the page's Download link: the browser saves it; compare the bytes.
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        chromium.downloadsTo(downloads);
        js("[...document.querySelectorAll('#objects a')].find(a => a.textContent === 'notes.bin').click(); 'ok'");
        chromium.waitFor("document.querySelector('#download')", WAIT, "the object details");
        chromium.waitFor("document.querySelector('#metadata').innerText.includes('etag')", WAIT, "the metadata");
        js("document.querySelector('#download').click(); 'ok'");
        Path saved = downloads.resolve("notes.bin");
        Instant deadline = Instant.now().plus(WAIT);
        while (!(Files.exists(saved) && Files.size(saved) == small.length) && Instant.now().isBefore(deadline)) {
            js("new Promise(r => setTimeout(() => r('ok'), 100))");
        }
        assertArrayEquals(small, Files.readAllBytes(saved), "downloaded byte-identical");
        // The large one as the page reads it.
        String digest = js("fetch(document.querySelector('#download').href.replace('notes.bin', 'big.bin'))"
                + ".then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))"
                + ".then(d => [...new Uint8Array(d)].map(x => x.toString(16).padStart(2, '0')).join(''))");
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(large)), digest);

        // A share link: a presigned URL anyone can GET until it expires.
        js("document.querySelector('#expiry').value = '900'; [...document.querySelectorAll('button')].find(b => b.textContent === 'Share link').click(); 'ok'");
        chromium.waitFor("document.querySelector('#shareUrl').value.includes('X-Amz-Signature')", WAIT, "the share link");
        String url = js("document.querySelector('#shareUrl').value");
        assertTrue(url.contains("X-Amz-Expires=900"), url);
        HttpResponse<byte[]> shared = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, shared.statusCode());
        assertArrayEquals(small, shared.body());

        // Text preview.
        js("[...document.querySelectorAll('#objects a')].find(a => a.textContent === 'hello.txt').click(); 'ok'");
        chromium.waitFor("document.querySelector('#preview pre') && document.querySelector('#preview pre').textContent.includes('hello from')",
                WAIT, "the text preview");
        shot("objects");

        // Delete several at once.
        js("window.confirm = () => true;"
                + "for (const k of ['notes.bin', 'big.bin', 'hello.txt']) document.querySelector('tr[data-key=\"' + k + '\"] input').click();"
                + "document.querySelector('#deleteSelected').click(); 'ok'");
        chromium.waitFor("!document.querySelector('tr[data-key]')", WAIT, "the objects gone");
        try (S3Client root = store.rootClient()) {
            assertEquals(0, root.listObjectsV2(r -> r.bucket("photos")).keyCount());
        }

        js("location.hash = '#/admin/cluster'; 'ok'");
        chromium.waitFor("document.querySelector('#peers tbody tr') && document.querySelector('#layoutVersion')", WAIT, "the cluster view");
        chromium.waitFor("document.querySelector('#peers').innerText.includes('up')", WAIT, "a peer up");
        // Some traffic for the charts, then a few samples.
        js("Promise.all([...Array(40).keys()].map(i => fetch('/console/api/s3/photos?list-type=2'))).then(() => 'ok')");
        js("new Promise(r => setTimeout(() => r('ok'), 4500))");
        js("Promise.all([...Array(20).keys()].map(i => fetch('/console/api/s3/missing-bucket?list-type=2'))).then(() => 'ok')");
        js("new Promise(r => setTimeout(() => r('ok'), 4500))");
        shot("cluster");
        js("location.hash = '#/admin/users'; 'ok'");
        chromium.waitFor("document.querySelector('#users')", WAIT, "the users page");
        js("document.querySelector('#newUser').value = 'carol'; document.querySelector('#newUser').form.requestSubmit(); 'ok'");
        chromium.waitFor("document.querySelector('#newSecret code') && document.querySelector('#attachPolicy')", WAIT, "carol's new key and details");
        js("document.querySelector('#attachPolicy').value = 'readonly';"
                + "[...document.querySelectorAll('button')].find(b => b.textContent === 'Attach').click(); 'ok'");
        chromium.waitFor("document.querySelector('#userDetail').innerText.includes('readonly')", WAIT, "the attached policy");
        shot("users");
        Session root = Session.login(store, AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
        assertTrue(root.send("GET", "admin/policies?user=carol", false).body().contains("readonly"));

        // Bucket settings: CORS written through the page is the bucket's CORS; an empty bucket is deleted.
        js("location.hash = '#/settings/backups'; 'ok'");
        chromium.waitFor("document.querySelector('#corsXml') && document.querySelector('#versioningStatus')", WAIT, "the settings page");
        js("document.querySelector('#corsXml').value = '<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin>"
                + "<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>';"
                + "[...document.querySelectorAll('button')].find(b => b.textContent === 'Save CORS').click(); 'ok'");
        try (S3Client s3 = store.rootClient()) {
            Instant until = Instant.now().plus(WAIT);
            boolean corsSaved = false;
            while (!corsSaved && Instant.now().isBefore(until)) {
                try {
                    corsSaved = s3.getBucketCors(r -> r.bucket("backups")).corsRules().get(0).allowedOrigins().contains("https://app.example");
                } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                    js("new Promise(r => setTimeout(() => r('ok'), 100))");
                }
            }
            assertTrue(corsSaved, "the CORS rule saved through the page");
        }
        // Versioning: enabled from the page, as S3's PutBucketVersioning.
        js("[...document.querySelectorAll('#versioning button')].find(b => b.textContent === 'Enable').click(); 'ok'");
        chromium.waitFor("document.querySelector('#versioningStatus') && document.querySelector('#versioningStatus').textContent === 'Enabled'",
                WAIT, "versioning shown enabled");
        try (S3Client s3 = store.rootClient()) {
            assertEquals("Enabled", s3.getBucketVersioning(r -> r.bucket("backups")).statusAsString());
        }
        shot("settings");
        js("location.hash = '#/buckets'; 'ok'");
        chromium.waitFor("document.querySelector('tr[data-bucket=\"backups\"]')", WAIT, "the bucket list again");
        js("window.confirm = () => true; [...document.querySelector('tr[data-bucket=\"backups\"]').querySelectorAll('button')]"
                + ".find(b => b.textContent === 'Delete').click(); 'ok'");
        chromium.waitFor("document.querySelector('#buckets') && !document.querySelector('tr[data-bucket=\"backups\"]')", WAIT, "the bucket deleted");
    }

    @Test
    @Order(2)
    void aMultipartUploadSurvivesNetworkErrorsAndResumesWithTheSameUploadId() throws Exception {
        try (S3Client root = store.rootClient()) {
            root.createBucket(b -> b.bucket("resume"));
        }
        byte[] data = new byte[17 * 1024 * 1024];
        new Random(7).nextBytes(data);
        Path file = tmp.resolve("flaky.bin");
        Files.write(file, data);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Path png = tmp.resolve("pixel.png");
        javax.imageio.ImageIO.write(img, "png", png.toFile());

        js("location.hash = '#/b/resume/'; 'ok'");
        chromium.waitFor("document.querySelector('#fileInput') && location.hash === '#/b/resume/'", WAIT, "the resume bucket");
        // Fault injection: the network fails every send of part 2 until told otherwise (more than the page retries).
        js("window.__failPart2 = true; (() => { const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;"
                + " XMLHttpRequest.prototype.open = function (m, u) { this.__url = u; return open.apply(this, arguments); };"
                + " XMLHttpRequest.prototype.send = function (b) { if (window.__failPart2 && String(this.__url).includes('partNumber=2&')) {"
                + " setTimeout(() => this.onerror && this.onerror(new ProgressEvent('error')), 5); return; } return send.apply(this, arguments); }; })(); 'ok'");
        chromium.setFiles("#fileInput", List.of(file));
        chromium.waitFor("document.querySelector('#uploads [data-state=\"failed\"]') && [...document.querySelectorAll('#uploads button')].some(b => b.textContent === 'Resume')",
                Duration.ofSeconds(90), "the upload paused after its retries");
        String uploadId;
        try (S3Client root = store.rootClient()) {
            var uploads = root.listMultipartUploads(r -> r.bucket("resume")).uploads();
            assertEquals(1, uploads.size(), "the upload is kept open, not aborted");
            uploadId = uploads.get(0).uploadId();
            assertEquals(2, root.listParts(r -> r.bucket("resume").key("flaky.bin").uploadId(uploads.get(0).uploadId())).parts().size(),
                    "parts 1 and 3 are stored");
        }
        js("window.__failPart2 = false; [...document.querySelectorAll('#uploads button')].find(b => b.textContent === 'Resume').click(); 'ok'");
        chromium.waitFor("document.querySelector('#uploads [data-key=\"flaky.bin\"][data-state=\"done\"]')", Duration.ofSeconds(90), "the resumed upload done");
        try (S3Client root = store.rootClient()) {
            assertArrayEquals(data, root.getObject(r -> r.bucket("resume").key("flaky.bin"), ResponseTransformer.toBytes()).asByteArray());
            assertTrue(root.listMultipartUploads(r -> r.bucket("resume")).uploads().isEmpty());
            assertFalse(uploadId.isEmpty());
        }
        // Image preview from the same page.
        chromium.setFiles("#fileInput", List.of(png));
        chromium.waitFor("document.querySelector('tr[data-key=\"pixel.png\"]')", WAIT, "the image listed");
        js("[...document.querySelectorAll('#objects a')].find(a => a.textContent === 'pixel.png').click(); 'ok'");
        chromium.waitFor("document.querySelector('#preview img') && document.querySelector('#preview img').naturalWidth === 40", WAIT, "the image preview");
    }

    @Test
    @Order(3)
    void aUserWithoutAdminRightsSeesNoAdminPagesAndIsRefused() throws Exception {
        Session root = Session.login(store, AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
        JsonNode alice = JSON.readTree(root.send("POST", "admin/users?name=alice", true).body());
        String key = alice.path("accessKey").asText();
        String secret = alice.path("secretKey").asText();
        assertFalse(key.isEmpty());

        Session user = Session.login(store, key, secret);
        for (String call : List.of("admin/users", "admin/info", "admin/policies", "metrics")) {
            HttpResponse<String> r = user.send("GET", call, true);
            assertEquals(403, r.statusCode(), call + ": " + r.body());
        }
        assertEquals(403, user.send("POST", "admin/users?name=mallory", true).statusCode());

        js("window.confirm = () => true; document.querySelector('#logout').click(); 'ok'");
        login(key, secret);
        chromium.waitFor("document.querySelector('#buckets')", WAIT, "alice's bucket list");
        assertEquals("false", js("String(document.querySelector('#nav').innerText.includes('Users') || document.querySelector('#nav').innerText.includes('Cluster'))"));
        assertEquals("Buckets", js("document.querySelector('#nav').innerText.trim()"));
        js("location.hash = '#/admin/users'; 'ok'");
        chromium.waitFor("document.querySelector('#main .bad')", WAIT, "the refusal");
        assertTrue(js("document.querySelector('#main').innerText").contains("AccessDenied"));
        assertEquals("403", js("fetch('/console/api/admin/users').then(r => String(r.status))"));
        // The user's S3 calls are authorized as the user: root's buckets are not alice's.
        assertEquals("403", js("fetch('/console/api/s3/photos?list-type=2').then(r => String(r.status))"));
    }

    @Test
    @Order(4)
    void stateChangingCallsWithoutTheCsrfTokenAreRefused() throws Exception {
        Session root = Session.login(store, AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
        HttpResponse<String> r = root.send("PUT", "s3/no-csrf-bucket", false);
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("CsrfTokenMissing"), r.body());
        HttpResponse<String> wrong = root.sendWith("PUT", "s3/no-csrf-bucket", "not-the-token");
        assertEquals(403, wrong.statusCode());
        try (S3Client s3 = store.rootClient()) {
            assertFalse(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("no-csrf-bucket")));
        }
        assertEquals(200, root.send("PUT", "s3/with-csrf-bucket", true).statusCode());
        // In the page too: a fetch without the header is refused.
        assertEquals("403", js("fetch('/console/api/s3/page-no-csrf', {method: 'PUT'}).then(r => String(r.status))"));
        // A cross-origin call is refused even with a token.
        HttpResponse<String> cross = root.client.send(root.request("POST", "logout", true)
                .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, cross.statusCode());
    }

    @Test
    @Order(5)
    void logoutEndsTheSession() throws Exception {
        Session root = Session.login(store, AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
        assertEquals(200, root.send("GET", "session", false).statusCode());
        assertEquals(200, root.send("POST", "logout", true).statusCode());
        assertEquals(401, root.send("GET", "session", false).statusCode());
        assertEquals(401, root.send("GET", "s3/", false).statusCode());

        assertEquals("200", js("fetch('/console/api/session').then(r => String(r.status))"));
        js("document.querySelector('#logout').click(); 'ok'");
        chromium.waitFor("document.querySelector('#login')", WAIT, "the login page after logout");
        assertEquals("401", js("fetch('/console/api/session').then(r => String(r.status))"));
        assertEquals("401", js("fetch('/console/api/s3/').then(r => String(r.status))"));
    }

    @Test
    @Order(6)
    void consolePagesCarryAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(console)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(page.body().contains("<script>"), "no inline script");
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "nothing fetched from elsewhere");
    }

    @Test
    @Order(7)
    void aUserWithTheAdminPolicySeesTheAdminPagesAndOneActionOpensOnePage() throws Exception {
        Session root = Session.login(store, AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
        JsonNode dana = JSON.readTree(root.send("POST", "admin/users?name=dana", true).body());
        assertEquals(200, root.send("POST", "admin/policies/attach?user=dana&name=consoleAdmin", true).statusCode());
        JsonNode lee = JSON.readTree(root.send("POST", "admin/users?name=lee", true).body());
        HttpResponse<String> put = root.client.send(root.request("PUT", "admin/policies?name=users-only", true)
                .header("Content-Type", "application/json")
                .method("PUT", HttpRequest.BodyPublishers.ofString("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"admin:ListUsers\",\"Resource\":\"*\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(200, root.send("POST", "admin/policies/attach?user=lee&name=users-only", true).statusCode());

        // dana (consoleAdmin): every admin page, through the page and through the API.
        chromium.waitFor("document.querySelector('#login') || document.querySelector('#logout')", WAIT, "a page");
        js("window.confirm = () => true; if (!document.querySelector('#top').hidden) document.querySelector('#logout').click(); 'ok'");
        login(dana.path("accessKey").asText(), dana.path("secretKey").asText());
        chromium.waitFor("document.querySelector('#buckets') && document.querySelector('#who').textContent === 'dana'", WAIT,
                "dana's bucket list");
        assertEquals("Buckets Users Policies Cluster", js("[...document.querySelectorAll('#nav a')].map(a => a.textContent).join(' ')"));
        js("location.hash = '#/admin/users'; 'ok'");
        chromium.waitFor("document.querySelector('tr[data-user=\"carol\"]')", WAIT, "the users page as dana");
        js("location.hash = '#/admin/policies'; 'ok'");
        chromium.waitFor("document.querySelector('#policies') && document.querySelector('#policies').innerText.includes('consoleAdmin')",
                WAIT, "the policies page as dana");
        js("location.hash = '#/admin/cluster'; 'ok'");
        chromium.waitFor("document.querySelector('#peers tbody tr')", WAIT, "the cluster page as dana");
        assertEquals("200", js("fetch('/console/api/metrics').then(r => String(r.status))"));
        Session asDana = Session.login(store, dana.path("accessKey").asText(), dana.path("secretKey").asText());
        assertEquals(200, asDana.send("POST", "admin/users?name=made-by-dana", true).statusCode());

        // lee (admin:ListUsers only): the users page alone; the other pages' calls are refused.
        js("document.querySelector('#logout').click(); 'ok'");
        login(lee.path("accessKey").asText(), lee.path("secretKey").asText());
        // lee's policies grant no S3 action, so the bucket list itself is refused; the navigation shows Users.
        chromium.waitFor("!document.querySelector('#top').hidden && document.querySelector('#who').textContent === 'lee'"
                + " && document.querySelector('#nav a[href=\"#/admin/users\"]')", WAIT, "lee's navigation");
        assertEquals("Buckets Users", js("[...document.querySelectorAll('#nav a')].map(a => a.textContent).join(' ')"));
        js("location.hash = '#/admin/users'; 'ok'");
        chromium.waitFor("document.querySelector('tr[data-user=\"dana\"]')", WAIT, "the users page as lee");
        Session asLee = Session.login(store, lee.path("accessKey").asText(), lee.path("secretKey").asText());
        assertEquals(200, asLee.send("GET", "admin/users", false).statusCode());
        for (String call : List.of("admin/info", "admin/policies", "metrics")) {
            assertEquals(403, asLee.send("GET", call, false).statusCode(), call);
        }
        assertEquals(403, asLee.send("POST", "admin/users?name=x", true).statusCode());
        js("document.querySelector('#logout').click(); 'ok'");
        chromium.waitFor("document.querySelector('#login')", WAIT, "the login page");
    }

    @Test
    @Order(8)
    void aMultipartUploadResumesAfterAPageReloadSendingOnlyTheMissingParts() throws Exception {
        try (S3Client root = store.rootClient()) {
            root.createBucket(b -> b.bucket("reload"));
        }
        byte[] data = new byte[17 * 1024 * 1024 + 4321]; // three parts of 8 MiB, 8 MiB and the rest
        new Random(11).nextBytes(data);
        Path file = tmp.resolve("reload.bin");
        Files.write(file, data);

        js("window.confirm = () => true; if (!document.querySelector('#top').hidden) document.querySelector('#logout').click(); 'ok'");
        login(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
        chromium.waitFor("document.querySelector('#buckets')", WAIT, "the bucket list");
        js("location.hash = '#/b/reload/'; 'ok'");
        chromium.waitFor("document.querySelector('#fileInput') && location.hash === '#/b/reload/'", WAIT, "the reload bucket");
        // The network fails every send of part 2 (more often than the page retries): parts 1 and 3 are stored.
        js("(() => { const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;"
                + " XMLHttpRequest.prototype.open = function (m, u) { this.__url = u; return open.apply(this, arguments); };"
                + " XMLHttpRequest.prototype.send = function (b) { if (String(this.__url).includes('partNumber=2&')) {"
                + " setTimeout(() => this.onerror && this.onerror(new ProgressEvent('error')), 5); return; } return send.apply(this, arguments); }; })(); 'ok'");
        chromium.setFiles("#fileInput", List.of(file));
        chromium.waitFor("document.querySelector('#uploads [data-key=\"reload.bin\"][data-state=\"failed\"]')", Duration.ofSeconds(90),
                "the upload paused after its retries");
        String uploadId;
        try (S3Client root = store.rootClient()) {
            var uploads = root.listMultipartUploads(r -> r.bucket("reload")).uploads();
            assertEquals(1, uploads.size());
            uploadId = uploads.get(0).uploadId();
            assertEquals(2, root.listParts(r -> r.bucket("reload").key("reload.bin").uploadId(uploadId)).parts().size());
        }
        assertTrue(js("localStorage.getItem('mictlanx.console.uploads')").contains(uploadId), "the upload is remembered");

        // A reload: the page's memory (and the fault injection) is gone; the session cookie and localStorage stay.
        chromium.reload();
        chromium.waitFor("document.querySelector('#pendingUploads [data-upload-id=" + quoted(uploadId) + "]')", WAIT,
                "the unfinished upload offered after the reload");
        shot("resume");
        js("window.__partPuts = []; (() => { const open = XMLHttpRequest.prototype.open;"
                + " XMLHttpRequest.prototype.open = function (m, u) { if (m === 'PUT') window.__partPuts.push(String(u)); return open.apply(this, arguments); }; })(); 'ok'");
        chromium.setFiles("#fileInput", List.of(file));
        chromium.waitFor("document.querySelector('#uploads [data-key=\"reload.bin\"][data-state=\"resumable\"]')", WAIT,
                "Resume offered for the re-selected file");
        js("[...document.querySelectorAll('#uploads button')].find(b => b.textContent === 'Resume').click(); 'ok'");
        chromium.waitFor("document.querySelector('#uploads [data-key=\"reload.bin\"][data-state=\"done\"]')", Duration.ofSeconds(90),
                "the resumed upload done");
        assertEquals("2", js("document.querySelector('#uploads [data-key=\"reload.bin\"]').dataset.resumedParts"),
                "ListParts found parts 1 and 3");
        String sent = js("JSON.stringify(window.__partPuts)");
        assertEquals(1, JSON.readTree(sent).size(), "only the missing part is sent: " + sent);
        assertTrue(JSON.readTree(sent).get(0).asText().contains("partNumber=2&"), sent);
        try (S3Client root = store.rootClient()) {
            assertArrayEquals(data, root.getObject(r -> r.bucket("reload").key("reload.bin"), ResponseTransformer.toBytes()).asByteArray(),
                    "downloaded byte-identical");
            assertTrue(root.listMultipartUploads(r -> r.bucket("reload")).uploads().isEmpty());
        }
        assertFalse(js("String(localStorage.getItem('mictlanx.console.uploads'))").contains(uploadId), "forgotten once complete");
        chromium.waitFor("!document.querySelector('#pendingUploads [data-upload-id]')", WAIT, "no unfinished upload listed");
    }

    /** A console session driven with the JDK's HttpClient (cookie and CSRF token kept by hand). */
    private static final class Session {
        final HttpClient client = HttpClient.newHttpClient();
        final String base;
        final String cookie;
        final String csrf;

        private Session(String base, String cookie, String csrf) {
            this.base = base;
            this.cookie = cookie;
            this.csrf = csrf;
        }

        static Session login(AllInOne store, String key, String secret) throws Exception {
            String base = store.endpoint().toString().replaceAll("/$", "") + "/console/api/";
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("accessKey", key, "secret", secret))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
            assertFalse(r.body().contains(secret), "the secret is never echoed");
            return new Session(base, setCookie.substring(0, setCookie.indexOf(';')), JSON.readTree(r.body()).path("csrfToken").asText());
        }

        HttpRequest.Builder request(String method, String path, boolean withCsrf) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
                    .method(method, HttpRequest.BodyPublishers.noBody());
            return withCsrf ? b.header("X-Mx-Csrf", csrf) : b;
        }

        HttpResponse<String> send(String method, String path, boolean withCsrf) throws Exception {
            return client.send(request(method, path, withCsrf).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> sendWith(String method, String path, String token) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).header("X-Mx-Csrf", token)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
