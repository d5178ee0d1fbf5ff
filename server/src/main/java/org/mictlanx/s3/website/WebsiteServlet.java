package org.mictlanx.s3.website;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.RequestConditionKeys;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.RequestIds;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.Uris;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.handler.WebsiteRedirects;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.xolo.policy.Caller;

/**
 * The static website endpoint (its own port, setting {@code website-port}): anonymous GET and HEAD of
 * buckets that have a website configuration, answered as S3's website endpoint does: the index
 * document for {@code /} and every {@code prefix/}, a 302 to {@code key/} when only its index exists,
 * RedirectAllRequestsTo and routing rules (by key prefix before the lookup, by error code after it),
 * the error document with the error's status, and HTML error pages.
 *
 * <p>Every request is anonymous and, as on S3, each object is served only when the bucket policy or
 * the object's ACL lets everyone read it ({@code s3:GetObject} for {@link Caller#ANONYMOUS}, public
 * access block applied); otherwise 403 AccessDenied, served as the error document (status 403) when
 * one is configured and readable. An SSE-KMS or SSE-C object is never served (403 AccessDenied, as S3's
 * website endpoint answers for SSE-KMS objects: nothing there could name the key). An object stored with {@code x-amz-website-redirect-location} is
 * answered with 301 and that Location, never its body (routing rules by key prefix come first).
 * Redirects (RedirectAllRequestsTo, routing rules) need no read permission. The bucket is the Host's
 * first label under {@code website-domain} ({@code bucket.website-domain}), else the first path
 * segment ({@code /bucket/key}).
 */
public final class WebsiteServlet extends HttpServlet {

    private final transient BallStore store;
    private final transient BucketConfigurations configs;
    private final transient S3Xml xml;
    private final String domain;
    private final transient Authorizer authorizer;
    private final transient Clock clock;
    private final transient RequestIds ids = new RequestIds();

    /**
     * @param domain        the website domain ({@code bucket.domain}), or null for path-style addressing
     * @param authorizer    decides whether an anonymous reader may get each object
     */
    public WebsiteServlet(BallStore store, BucketConfigurations configs, S3Xml xml, String domain, Authorizer authorizer,
                          Clock clock) {
        this.store = store;
        this.configs = configs;
        this.xml = xml;
        this.domain = domain == null || domain.isBlank() ? null : domain.toLowerCase(Locale.ROOT);
        this.authorizer = authorizer;
        this.clock = clock;
    }

    /** Where a request points: the bucket, the key, and the URL prefix of keys in Locations. */
    private record Target(String bucket, String key, String keyBase) {
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = ids.requestId();
        response.setHeader("x-amz-request-id", requestId);
        response.setHeader("x-amz-id-2", ids.hostId());
        boolean head = request.getMethod().equalsIgnoreCase("HEAD");
        if (!head && !request.getMethod().equalsIgnoreCase("GET")) {
            error(response, head, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                    null, requestId);
            return;
        }
        Target t;
        try {
            t = target(request.getHeader("host"), request.getRequestURI());
        } catch (S3Exception e) {
            error(response, head, 400, "InvalidURI", "Couldn't parse the specified URI.", null, requestId);
            return;
        }
        if (t == null) {
            error(response, head, 404, "NoSuchBucket", "The specified bucket does not exist", null, requestId);
            return;
        }
        Optional<BucketInfo> bucket = store.bucket(t.bucket());
        if (bucket.isEmpty()) {
            error(response, head, 404, "NoSuchBucket", "The specified bucket does not exist", null, requestId);
            return;
        }
        Optional<byte[]> doc = configs.recent(bucket.get(), BucketConfigurations.Kind.WEBSITE);
        if (doc.isEmpty()) {
            error(response, head, 404, "NoSuchWebsiteConfiguration",
                    "The specified bucket does not have a website configuration", null, requestId);
            return;
        }
        WebsiteRules rules = new WebsiteRules(xml.read(doc.get(), WebsiteConfiguration.class));
        serve(request, response, head, t, bucket.get(), rules, requestId);
    }

    /** Whether an anonymous reader may get {@code key} (bucket policy, ACLs, public access block). */
    private boolean readable(HttpServletRequest request, BucketInfo bucket, String key) {
        S3Operation.GetObject get = new S3Operation.GetObject(bucket.name(), key, null,
                new S3Operation.ResponseOverrides(Map.of()), null);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), Collections.list(request.getHeaders(name)));
        }
        RequestConditionKeys keys = new RequestConditionKeys(Caller.ANONYMOUS, get, headers, request.getRemoteAddr(),
                request.isSecure(), null, null, clock.instant(),
                () -> store.headBall(bucket, key).map(BallInfo::tags).orElse(null),
                () -> store.headBall(bucket, key).map(org.mictlanx.xolo.policy.ObjectVersion::of)
                        .orElse(org.mictlanx.xolo.policy.ObjectVersion.NONE));
        try {
            authorizer.authorize(Caller.ANONYMOUS, get, Optional.of(bucket), keys);
            return true;
        } catch (S3Exception denied) {
            return false;
        }
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, boolean head, Target t,
                       BucketInfo bucket, WebsiteRules rules, String requestId) throws IOException {
        WebsiteConfiguration c = rules.config();
        String scheme = request.isSecure() ? "https" : "http";
        if (c.redirectAll() != null) {
            String protocol = c.redirectAll().protocol() == null ? scheme : c.redirectAll().protocol();
            redirect(response, 301, protocol + "://" + c.redirectAll().hostName() + "/" + t.key());
            return;
        }
        Optional<WebsiteConfiguration.RoutingRule> early = rules.route(t.key(), 0);
        if (early.isPresent()) {
            redirect(response, request, early.get(), t, scheme);
            return;
        }
        String suffix = c.indexDocument().suffix();
        String key = t.key().isEmpty() || t.key().endsWith("/") ? t.key() + suffix : t.key();
        if (!readable(request, bucket, key)) {
            if (!errorDocument(request, response, head, 403, t, bucket, c)) {
                error(response, head, 403, "AccessDenied", "Access Denied", null, requestId);
            }
            return;
        }
        Optional<BallInfo> ball = store.headBall(bucket, key);
        if (ball.isPresent() && org.mictlanx.s3.sse.Encryptions.keyed(ball.get().headers())) {
            // as S3: the website endpoint serves no SSE-KMS (nor SSE-C) object, it answers 403
            if (!errorDocument(request, response, head, 403, t, bucket, c)) {
                error(response, head, 403, "AccessDenied", "Access Denied", null, requestId);
            }
            return;
        }
        if (ball.isPresent()) {
            String location = WebsiteRedirects.of(ball.get().headers());
            if (location != null) {
                redirect(response, 301, location);
            } else {
                send(response, head, 200, ball.get());
            }
            return;
        }
        if (!key.equals(t.key() + suffix) && store.headBall(bucket, t.key() + "/" + suffix).isPresent()) {
            redirect(response, 302, t.keyBase() + "/" + t.key() + "/");
            return;
        }
        Optional<WebsiteConfiguration.RoutingRule> onError = rules.route(t.key(), 404);
        if (onError.isPresent()) {
            redirect(response, request, onError.get(), t, scheme);
            return;
        }
        if (errorDocument(request, response, head, 404, t, bucket, c)) {
            return;
        }
        error(response, head, 404, "NoSuchKey", "The specified key does not exist.", key, requestId);
    }

    /**
     * Answers with the bucket's error document and {@code status} when one is configured, exists and
     * anonymous readers may read it; false (nothing sent) otherwise.
     */
    private boolean errorDocument(HttpServletRequest request, HttpServletResponse response, boolean head, int status,
                                  Target t, BucketInfo bucket, WebsiteConfiguration c) throws IOException {
        if (c.errorDocument() == null) {
            return false;
        }
        Optional<BallInfo> page = store.headBall(bucket, c.errorDocument().key());
        if (page.isEmpty() || org.mictlanx.s3.sse.Encryptions.keyed(page.get().headers())
                || !readable(request, bucket, c.errorDocument().key())) {
            return false;
        }
        send(response, head, status, page.get());
        return true;
    }

    private void redirect(HttpServletResponse response, HttpServletRequest request,
                          WebsiteConfiguration.RoutingRule rule, Target t, String scheme) {
        WebsiteConfiguration.Redirect r = rule.redirect();
        String key = t.key();
        if (r.replaceKeyWith() != null) {
            key = r.replaceKeyWith();
        } else if (r.replaceKeyPrefixWith() != null) {
            String prefix = rule.condition() == null || rule.condition().keyPrefixEquals() == null ? ""
                    : rule.condition().keyPrefixEquals();
            key = r.replaceKeyPrefixWith() + key.substring(prefix.length());
        }
        String protocol = r.protocol() == null ? scheme : r.protocol();
        String host = r.hostName() == null ? request.getHeader("host") : r.hostName();
        String base = r.hostName() == null ? t.keyBase() : "";
        int code = WebsiteRules.blank(r.httpRedirectCode()) ? 301 : Integer.parseInt(r.httpRedirectCode().strip());
        redirect(response, code, protocol + "://" + host + base + "/" + key);
    }

    private static void redirect(HttpServletResponse response, int status, String location) {
        response.setStatus(status);
        response.setHeader("Location", location);
        response.setContentLength(0);
    }

    private void send(HttpServletResponse response, boolean head, int status, BallInfo ball) throws IOException {
        response.setStatus(status);
        Map<String, String> h = ball.headers();
        response.setContentType(h.getOrDefault("content-type", "binary/octet-stream"));
        for (String name : new String[] {"cache-control", "content-encoding", "content-disposition",
                "content-language", "expires"}) {
            if (h.containsKey(name)) {
                response.setHeader(name, h.get(name));
            }
        }
        response.setHeader("ETag", HttpFormats.quotedEtag(ball.etag()));
        response.setHeader("Last-Modified", HttpFormats.httpDate(ball.lastModified()));
        response.setContentLengthLong(ball.size());
        if (!head) {
            try (InputStream in = store.openBall(ball, 0, ball.size())) {
                long n = in.transferTo(response.getOutputStream());
                if (n != ball.size()) {
                    throw new IOException("ball stream gave " + n + " of " + ball.size() + " bytes");
                }
            }
        }
    }

    private Target target(String host, String rawPath) {
        String path = Uris.decodePath(rawPath == null ? "/" : rawPath);
        if (domain != null && host != null) {
            String h = host.toLowerCase(Locale.ROOT);
            int colon = h.lastIndexOf(':');
            if (colon >= 0 && !h.startsWith("[")) {
                h = h.substring(0, colon);
            }
            if (h.endsWith("." + domain)) {
                return new Target(h.substring(0, h.length() - domain.length() - 1), path.substring(1), "");
            }
        }
        int slash = path.indexOf('/', 1);
        String bucket = slash < 0 ? path.substring(1) : path.substring(1, slash);
        if (bucket.isEmpty()) {
            return null;
        }
        return new Target(bucket, slash < 0 ? "" : path.substring(slash + 1), "/" + bucket);
    }

    /** S3 website endpoints answer errors as HTML pages. */
    private void error(HttpServletResponse response, boolean head, int status, String code, String message, String key,
                       String requestId) throws IOException {
        String title = status + " " + switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 405 -> "Method Not Allowed";
            default -> "Not Found";
        };
        StringBuilder sb = new StringBuilder("<html>\n<head><title>").append(title).append("</title></head>\n<body>\n<h1>")
                .append(title).append("</h1>\n<ul>\n<li>Code: ").append(code).append("</li>\n<li>Message: ")
                .append(escape(message)).append("</li>\n");
        if (key != null) {
            sb.append("<li>Key: ").append(escape(key)).append("</li>\n");
        }
        sb.append("<li>RequestId: ").append(requestId).append("</li>\n</ul>\n<hr/>\n</body>\n</html>\n");
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html; charset=utf-8");
        response.setContentLength(body.length);
        if (!head) {
            response.getOutputStream().write(body);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
