package org.mictlanx.s3.website;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;
import static org.mictlanx.s3.S3Harness.BOB;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.S3Harness;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.server.HttpFront;
import org.mictlanx.xolo.policy.AccessControl;

/** Bucket website configuration over the S3 API and serving on the website endpoint, over the real router. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebsiteTest {

    private static final String CONFIG = """
            <WebsiteConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <IndexDocument><Suffix>index.html</Suffix></IndexDocument>
              <ErrorDocument><Key>error.html</Key></ErrorDocument>
              <RoutingRules>
                <RoutingRule>
                  <Condition><KeyPrefixEquals>docs/</KeyPrefixEquals></Condition>
                  <Redirect><ReplaceKeyPrefixWith>documents/</ReplaceKeyPrefixWith></Redirect>
                </RoutingRule>
                <RoutingRule>
                  <Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals><KeyPrefixEquals>old/</KeyPrefixEquals></Condition>
                  <Redirect><HostName>archive.example.com</HostName><Protocol>https</Protocol><HttpRedirectCode>302</HttpRedirectCode></Redirect>
                </RoutingRule>
              </RoutingRules>
            </WebsiteConfiguration>""";
    private S3Harness s3;
    private HttpFront open;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        s3 = new S3Harness();
        open = front(null);
        assertEquals(200, s3.as(ALICE).put("/site", new byte[0]).status());
        assertEquals(204, s3.as(ALICE).put("/site?policy", publicRead("site")).status());
        var configured = s3.as(ALICE).put("/site?website", CONFIG);
        assertEquals(200, configured.status(), configured.text());
        assertEquals(200, s3.as(ALICE).header("content-type", "text/html").put("/site/index.html", "<h1>home</h1>").status());
        assertEquals(200, s3.as(ALICE).header("content-type", "text/html").put("/site/sub/index.html", "<h1>sub</h1>").status());
        assertEquals(200, s3.as(ALICE).header("content-type", "text/html").put("/site/error.html", "<h1>oops</h1>").status());
        assertEquals(200, s3.as(ALICE).put("/site/documents/a.txt", "doc a").status());
        assertEquals(200, s3.as(ALICE).put("/plain", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/private-site", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/private-site?website", CONFIG).status());
        assertEquals(200, s3.as(ALICE).header("content-type", "text/html").put("/private-site/index.html", "<h1>p</h1>").status());
        assertEquals(200, s3.as(ALICE).header("content-type", "text/html").put("/private-site/error.html", "<h1>denied</h1>")
                .status());
        assertEquals(200, s3.as(ALICE).header("x-amz-website-redirect-location", "/site/documents/a.txt")
                .put("/site/moved.html", "old body").status());
        assertEquals(200, s3.as(ALICE).header("x-amz-website-redirect-location", "https://elsewhere.example.com/")
                .put("/site/away/index.html", "old index").status());
        assertEquals(200, s3.as(ALICE).put("/moved", new byte[0]).status());
        assertEquals(200, s3.as(ALICE).put("/moved?website", "<WebsiteConfiguration><RedirectAllRequestsTo><HostName>"
                + "www.example.com</HostName><Protocol>https</Protocol></RedirectAllRequestsTo></WebsiteConfiguration>").status());
    }

    /** A bucket policy letting everyone read every object, as S3's website hosting guide writes it. */
    static String publicRead(String bucket) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PublicReadGetObject\",\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + bucket + "/*\"}]}";
    }

    private HttpFront front(String domain) throws Exception {
        ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        context.addServlet(new ServletHolder(new WebsiteServlet(s3.store,
                new BucketConfigurations(s3.store.metaTable(), System::nanoTime), new S3Xml(), domain,
                new Authorizer(id -> Optional.empty(), new AccessControl(s3.policies)), Clock.systemUTC())), "/");
        return new HttpFront("127.0.0.1", 0, null, context);
    }

    @Test
    void theBucketCanBeNamedByTheHostUnderTheWebsiteDomain() throws Exception {
        try (HttpFront hosted = front("web.test")) {
            String[] hp = hosted.endpoint().getAuthority().split(":");
            try (java.net.Socket socket = new java.net.Socket(hp[0], Integer.parseInt(hp[1]))) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET /sub/ HTTP/1.1\r\nHost: site.web.test:" + hp[1]
                        + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                String reply = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
                assertTrue(reply.endsWith("<h1>sub</h1>"), reply);
            }
        }
    }

    @AfterAll
    void stop() throws Exception {
        open.close();
        s3.close();
    }

    private HttpResponse<String> web(HttpFront front, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + front.endpoint().getAuthority() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<String> r) {
        return r.headers().firstValue("location").orElse(null);
    }

    @Test
    void anSseKmsObjectIsNeverServed() throws Exception {
        // aws:kms without a key id: the AWS managed key aws/s3
        assertEquals(200, s3.as(ALICE).header("x-amz-server-side-encryption", "aws:kms").put("/site/sealed.txt", "sealed")
                .status());
        assertEquals("sealed", s3.as(ALICE).get("/site/sealed.txt").text(), "the S3 API reads it");
        var refused = web(open, "GET", "/site/sealed.txt");
        assertEquals(403, refused.statusCode(), "as S3's website endpoint: no SSE-KMS object is served");
        assertEquals("<h1>oops</h1>", refused.body(), "with the error document");
        assertEquals(403, web(open, "HEAD", "/site/sealed.txt").statusCode());
    }

    @Test
    void configurationRoundTripsAndIsOwnerOnly() {
        var r = s3.as(ALICE).get("/site?website");
        assertEquals(200, r.status());
        assertTrue(r.text().contains("<Suffix>index.html</Suffix>") && r.text().contains("<ReplaceKeyPrefixWith>documents/"),
                r.text());
        assertEquals("NoSuchWebsiteConfiguration", s3.as(ALICE).get("/plain?website").code());
        assertEquals("AccessDenied", s3.as(BOB).get("/site?website").code());
    }

    @Test
    void invalidConfigurationsAreRefused() {
        assertEquals("InvalidArgument", s3.as(ALICE).put("/plain?website",
                "<WebsiteConfiguration><ErrorDocument><Key>e.html</Key></ErrorDocument></WebsiteConfiguration>").code());
        assertEquals("InvalidArgument", s3.as(ALICE).put("/plain?website",
                "<WebsiteConfiguration><IndexDocument><Suffix>a/index.html</Suffix></IndexDocument></WebsiteConfiguration>").code());
        assertEquals("InvalidRequest", s3.as(ALICE).put("/plain?website", "<WebsiteConfiguration><IndexDocument><Suffix>i"
                + "</Suffix></IndexDocument><RoutingRules><RoutingRule><Redirect><ReplaceKeyPrefixWith>a</ReplaceKeyPrefixWith>"
                + "<ReplaceKeyWith>b</ReplaceKeyWith></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>").code());
        assertEquals("InvalidRequest", s3.as(ALICE).put("/plain?website", "<WebsiteConfiguration><RedirectAllRequestsTo>"
                + "<HostName>h</HostName></RedirectAllRequestsTo><IndexDocument><Suffix>i</Suffix></IndexDocument>"
                + "</WebsiteConfiguration>").code());
        assertEquals("NoSuchWebsiteConfiguration", s3.as(ALICE).get("/plain?website").code());
    }

    @Test
    void indexAndErrorDocumentsAndRedirects() throws Exception {
        var home = web(open, "GET", "/site/");
        assertEquals(200, home.statusCode());
        assertEquals("<h1>home</h1>", home.body());
        assertTrue(home.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertEquals("<h1>sub</h1>", web(open, "GET", "/site/sub/").body());
        var noSlash = web(open, "GET", "/site/sub");
        assertEquals(302, noSlash.statusCode());
        assertEquals("/site/sub/", location(noSlash));
        assertEquals("doc a", web(open, "GET", "/site/documents/a.txt").body());
        var missing = web(open, "GET", "/site/nothing-here");
        assertEquals(404, missing.statusCode());
        assertEquals("<h1>oops</h1>", missing.body());
        var renamed = web(open, "GET", "/site/docs/a.txt");
        assertEquals(301, renamed.statusCode());
        assertEquals("http://" + open.endpoint().getAuthority() + "/site/documents/a.txt", location(renamed));
        var archived = web(open, "GET", "/site/old/page.html");
        assertEquals(302, archived.statusCode());
        assertEquals("https://archive.example.com/old/page.html", location(archived));
        var head = web(open, "HEAD", "/site/index.html");
        assertEquals(200, head.statusCode());
        assertEquals("13", head.headers().firstValue("content-length").orElse(null));
        var all = web(open, "GET", "/moved/some/page");
        assertEquals(301, all.statusCode());
        assertEquals("https://www.example.com/some/page", location(all));
    }

    @Test
    void htmlErrorsAndAccessRules() throws Exception {
        var post = web(open, "POST", "/site/");
        assertEquals(405, post.statusCode());
        var none = web(open, "GET", "/plain/");
        assertEquals(404, none.statusCode());
        assertTrue(none.body().contains("<li>Code: NoSuchWebsiteConfiguration</li>"), none.body());
        assertTrue(none.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        var noBucket = web(open, "GET", "/no-such-bucket/");
        assertTrue(noBucket.body().contains("<li>Code: NoSuchBucket</li>"), noBucket.body());
        // A website bucket without a policy (or ACL) letting everyone read is not served anonymously;
        // its error document is not readable either, so the 403 is S3's HTML page.
        var denied = web(open, "GET", "/private-site/");
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().contains("<li>Code: AccessDenied</li>"), denied.body());
        assertEquals(403, web(open, "GET", "/private-site/index.html").statusCode());
        assertEquals(200, web(open, "GET", "/site/index.html").statusCode());
        // An explicit Deny in the policy wins over the public read.
        assertEquals(204, s3.as(ALICE).put("/private-site?policy", "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::private-site/*\"},"
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::private-site/index.html\"}]}").status());
        // Now the error document is readable: the 403 serves it, with status 403, as S3 does.
        var custom = web(open, "GET", "/private-site/");
        assertEquals(403, custom.statusCode());
        assertEquals("<h1>denied</h1>", custom.body());
        assertTrue(custom.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        var customHead = web(open, "HEAD", "/private-site/index.html");
        assertEquals(403, customHead.statusCode());
        assertEquals("", customHead.body());
    }

    @Test
    void objectsWithAWebsiteRedirectLocationAnswer301() throws Exception {
        var get = web(open, "GET", "/site/moved.html");
        assertEquals(301, get.statusCode());
        assertEquals("/site/documents/a.txt", location(get));
        assertEquals("", get.body());
        var head = web(open, "HEAD", "/site/moved.html");
        assertEquals(301, head.statusCode());
        assertEquals("/site/documents/a.txt", location(head));
        var index = web(open, "GET", "/site/away/");
        assertEquals(301, index.statusCode());
        assertEquals("https://elsewhere.example.com/", location(index));
        assertEquals("", index.body());
        // The S3 endpoint serves the object itself, with the header.
        var s3get = s3.as(ALICE).get("/site/moved.html");
        assertEquals("old body", s3get.text());
        assertEquals("/site/documents/a.txt", s3get.header("x-amz-website-redirect-location"));
    }

    @Test
    void deleteRemovesTheWebsite() throws Exception {
        assertEquals(200, s3.as(ALICE).put("/gone-site", new byte[0]).status());
        assertEquals(204, s3.as(ALICE).put("/gone-site?policy", publicRead("gone-site")).status());
        assertEquals(200, s3.as(ALICE).put("/gone-site?website",
                "<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>").status());
        assertEquals(404, web(open, "GET", "/gone-site/").statusCode());
        assertEquals(204, s3.as(ALICE).delete("/gone-site?website").status());
        assertEquals("NoSuchWebsiteConfiguration", s3.as(ALICE).get("/gone-site?website").code());
        // The website endpoint reads configurations through its own 2 s cache (BucketConfigurations.TTL_NANOS).
        long deadline = System.nanoTime() + 10_000_000_000L;
        String body = web(open, "GET", "/gone-site/").body();
        while (!body.contains("NoSuchWebsiteConfiguration") && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // poll until the deadline
            body = web(open, "GET", "/gone-site/").body();
        }
        assertTrue(body.contains("NoSuchWebsiteConfiguration"), body);
    }
}
