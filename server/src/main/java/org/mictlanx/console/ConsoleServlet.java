package org.mictlanx.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.util.Fields;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.Uris;
import org.mictlanx.server.AdminHandler;
import org.mictlanx.xolo.identity.Principal;
import org.mictlanx.xolo.sigv4.SecretLookup;
import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Signer;
import org.mictlanx.xolo.sigv4.UriEncoding;

/**
 * The web console under {@code /console}: static pages from the jar (strict CSP) and a small JSON
 * API the page calls with a server-side session.
 *
 * <ul>
 *   <li>{@code POST /console/api/login} {@code {"accessKey","secret"}}: checks the secret against the
 *       Xolo identity (constant time, never logged), rate-limited by {@link LoginLimiter}; sets the
 *       session cookie ({@code HttpOnly; SameSite=Strict; Path=/console}, {@code Secure} under TLS) and
 *       returns the user, whether it is root, and the CSRF token;</li>
 *   <li>{@code GET /console/api/session}: the same for a live session (401 otherwise);
 *       {@code POST /console/api/logout} ends it;</li>
 *   <li>{@code /console/api/s3/...}: any S3 call, as the session's key ({@link ConsoleS3Gateway});</li>
 *   <li>{@code POST /console/api/presign} {@code {"bucket","key","expiresSeconds"}}: a presigned GET
 *       URL signed with the session key's secret (1 s to 7 days, as S3);</li>
 *   <li>{@code GET /console/api/usage?bucket=B}: size and object count from {@link BucketUsageSource}
 *       (the bucket's owner, root, or a user allowed {@code admin:DataUsageInfo});</li>
 *   <li>{@code /console/api/admin/ACTION}: the admin API's actions ({@link AdminHandler#answer}: root, or
 *       a user whose policy allows the route's admin action); {@code GET /console/api/metrics}: the chart
 *       counters ({@code admin:Prometheus}). The session lists the admin pages the caller may open
 *       ({@code adminPages}: users, policies, cluster), which the page shows in its navigation.</li>
 * </ul>
 * Every state-changing call (any method but GET/HEAD) other than login needs the session's token in
 * {@value #CSRF_HEADER} (else 403 {@code CsrfTokenMissing}); a request whose {@code Origin} is not the
 * console's own is refused (403 {@code CrossOrigin}).
 */
public final class ConsoleServlet extends HttpServlet {

    /** The header carrying the session's CSRF token. */
    public static final String CSRF_HEADER = "X-Mx-Csrf";
    /** The session cookie's name. */
    public static final String COOKIE = "mx_console";
    /** The console pages' Content-Security-Policy: own scripts and styles only, no inline code, no framing. */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
            + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ASSET = Pattern.compile("[a-z0-9-]{1,40}\\.(js|css|html|svg)");
    private static final int MAX_JSON = 8 * 1024;
    private static final long MAX_PRESIGN_SECONDS = 7L * 24 * 3600;
    /** The console's admin pages, each shown to callers allowed the admin action that lists its content. */
    private static final Map<String, String> ADMIN_PAGES = orderedPages();

    /** What the console needs from the server. */
    public record Wiring(ConsoleSessions sessions, LoginLimiter limiter, SecretLookup secrets,
                         Function<String, Optional<Principal>> principals, BallStore store,
                         org.mictlanx.s3.S3Servlet s3, AdminHandler admin, BucketUsageSource usage,
                         io.micrometer.core.instrument.MeterRegistry metrics, String region,
                         Function<HttpServletRequest, URI> s3Endpoint, Clock clock) {
    }

    private final transient Wiring w;
    private final transient ConsoleS3Gateway gateway;
    private final transient ConsoleMetrics metrics;

    public ConsoleServlet(Wiring wiring) {
        this.w = wiring;
        this.gateway = new ConsoleS3Gateway(wiring.s3());
        this.metrics = new ConsoleMetrics(wiring.metrics());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (!path.startsWith("/console/api/")) {
            asset(path, method, response);
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        boolean safe = method.equals("GET") || method.equals("HEAD");
        if (!safe && !sameOrigin(request)) {
            json(response, 403, error("CrossOrigin", "the request's Origin is not the console's"));
            return;
        }
        if (path.equals("/console/api/login") && method.equals("POST")) {
            login(request, response);
            return;
        }
        Optional<ConsoleSessions.Session> live;
        try {
            live = session(request);
        } catch (RuntimeException e) { // the metadata holding the sessions cannot be read now
            log("console session lookup failed: " + e);
            response.setHeader("Retry-After", "1");
            json(response, 503, error("ServiceUnavailable", "the console's sessions cannot be read now; try again"));
            return;
        }
        if (live.isEmpty()) {
            json(response, 401, error("NoSession", "log in first"));
            return;
        }
        ConsoleSessions.Session session = live.get();
        if (!safe && !ConsoleSessions.csrfMatches(session, request.getHeader(CSRF_HEADER))) {
            json(response, 403, error("CsrfTokenMissing", "state-changing console calls need the session's " + CSRF_HEADER + " header"));
            return;
        }
        if (path.equals(ConsoleS3Gateway.PREFIX) || path.startsWith(ConsoleS3Gateway.PREFIX + "/")) {
            gateway.serve(request, response, session.accessKeyId());
            return;
        }
        try {
            api(path.substring("/console/api/".length()), method, request, response, session);
        } catch (IllegalArgumentException e) {
            json(response, 400, error("InvalidArgument", e.getMessage()));
        } catch (org.mictlanx.s3.S3Exception e) {
            json(response, 400, error(e.code().code(), e.getMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            json(response, 400, error("MalformedJSON", "the body is not JSON"));
        } catch (Exception e) {
            log("console call failed: " + path + ": " + e);
            json(response, 500, error("InternalError", "the console call failed"));
        }
    }

    private void api(String action, String method, HttpServletRequest request, HttpServletResponse response,
                     ConsoleSessions.Session session) throws Exception {
        boolean root = isRoot(session);
        switch (method + " " + action) {
            case "GET session" -> json(response, 200, describe(session, root));
            case "POST logout" -> {
                w.sessions().end(cookie(request));
                expireCookie(request, response);
                json(response, 200, Map.of("loggedOut", true));
            }
            case "POST presign" -> json(response, 200, presign(request, session));
            case "GET usage" -> usage(request, response, session, root);
            case "GET metrics" -> {
                if (!w.admin().allowed(session.accessKeyId(), "admin:Prometheus")) {
                    json(response, 403, error("AccessDenied", "only the root user or a user whose policy allows admin:Prometheus may read the metrics here"));
                } else {
                    json(response, 200, metrics.snapshot());
                }
            }
            default -> {
                if (action.startsWith("admin/")) {
                    Fields query = new Fields();
                    Uris.parseQuery(request.getQueryString() == null ? "" : request.getQueryString()).forEach(query::add);
                    AdminHandler.Reply reply = w.admin().answer(session.accessKeyId(), method, action.substring("admin/".length()),
                            query, () -> limited(request.getInputStream(), org.mictlanx.xolo.policy.PolicyParser.MAX_BYTES));
                    json(response, reply.status(), reply.body());
                } else {
                    json(response, 404, error("NoSuchConsoleCall", method + " /console/api/" + action));
                }
            }
        }
    }

    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String ct = String.valueOf(request.getContentType()).toLowerCase(Locale.ROOT);
        if (!ct.startsWith("application/json")) {
            json(response, 415, error("UnsupportedMediaType", "log in with a JSON body"));
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(limited(request.getInputStream(), MAX_JSON));
        } catch (IOException | IllegalArgumentException e) {
            json(response, 400, error("MalformedJSON", "the login body is not JSON"));
            return;
        }
        String accessKey = body == null ? "" : body.path("accessKey").asText("").strip();
        String secret = body == null ? "" : body.path("secret").asText("");
        String address = String.valueOf(request.getRemoteAddr());
        if (!w.limiter().allowed(address, accessKey)) {
            response.setHeader("Retry-After", "60");
            json(response, 429, error("TooManyLogins", "too many failed logins; try again later"));
            return;
        }
        Optional<String> known = accessKey.isEmpty() ? Optional.empty() : w.secrets().secretFor(accessKey);
        // Compare digests so neither the length nor the content of the secret leaks through timing.
        byte[] expected = SigV4Crypto.sha256Hex(known.orElse("\0unknown").getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        byte[] given = SigV4Crypto.sha256Hex(secret.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        Optional<Principal> who = w.principals().apply(accessKey);
        if (known.isEmpty() || !MessageDigest.isEqual(expected, given) || who.isEmpty()) {
            w.limiter().failed(address, accessKey);
            json(response, 403, error("InvalidCredentials", "the access key or secret is wrong, or the key is disabled"));
            return;
        }
        String old = cookie(request);
        if (old != null) {
            w.sessions().end(old); // a new login never keeps a session id chosen before it
        }
        Map.Entry<String, ConsoleSessions.Session> created = w.sessions().create(accessKey, who.get().user());
        StringBuilder c = new StringBuilder(COOKIE).append('=').append(created.getKey())
                .append("; Path=/console; HttpOnly; SameSite=Strict; Max-Age=").append(w.sessions().absolute().toSeconds());
        if (request.isSecure()) {
            c.append("; Secure");
        }
        response.addHeader("Set-Cookie", c.toString());
        json(response, 200, describe(created.getValue(), who.get().root()));
    }

    /** The live session of this request whose key is still enabled; a disabled key ends its sessions. */
    private Optional<ConsoleSessions.Session> session(HttpServletRequest request) {
        Optional<ConsoleSessions.Session> s = w.sessions().touch(cookie(request));
        if (s.isPresent() && w.secrets().secretFor(s.get().accessKeyId()).isEmpty()) {
            w.sessions().endAllOf(s.get().accessKeyId());
            return Optional.empty();
        }
        return s;
    }

    private boolean isRoot(ConsoleSessions.Session session) {
        return w.principals().apply(session.accessKeyId()).map(Principal::root).orElse(false);
    }

    private Map<String, Object> describe(ConsoleSessions.Session s, boolean root) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", s.user());
        out.put("accessKey", s.accessKeyId());
        out.put("root", root);
        out.put("adminPages", ADMIN_PAGES.entrySet().stream()
                .filter(e -> w.admin().allowed(s.accessKeyId(), e.getValue())).map(Map.Entry::getKey).toList());
        out.put("csrfToken", s.csrfToken());
        out.put("idleSeconds", w.sessions().idle().toSeconds());
        out.put("expiresAt", s.created().plus(w.sessions().absolute()).toString());
        return out;
    }

    private Map<String, Object> presign(HttpServletRequest request, ConsoleSessions.Session session) throws IOException {
        JsonNode body = JSON.readTree(limited(request.getInputStream(), MAX_JSON));
        String bucket = body.path("bucket").asText("");
        String key = body.path("key").asText("");
        long expires = body.path("expiresSeconds").asLong(3600);
        if (bucket.isEmpty() || key.isEmpty()) throw new IllegalArgumentException("bucket and key are required");
        if (expires < 1 || expires > MAX_PRESIGN_SECONDS) {
            throw new IllegalArgumentException("expiresSeconds must be from 1 to 604800 (7 days), as S3");
        }
        String secret = w.secrets().secretFor(session.accessKeyId())
                .orElseThrow(() -> new IllegalArgumentException("the session's key is disabled"));
        URI endpoint = w.s3Endpoint().apply(request);
        String rawPath = "/" + bucket + "/" + String.join("/", java.util.Arrays.stream(key.split("/", -1))
                .map(UriEncoding::encode).toList());
        SigV4Request signed = new SigV4Signer(session.accessKeyId(), secret, w.region())
                .presign("GET", rawPath, "", endpoint.getRawAuthority(), w.clock().instant(), expires);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", endpoint.getScheme() + "://" + endpoint.getRawAuthority() + rawPath + "?" + signed.rawQuery());
        out.put("expiresAt", w.clock().instant().plusSeconds(expires).toString());
        return out;
    }

    private void usage(HttpServletRequest request, HttpServletResponse response, ConsoleSessions.Session session,
                       boolean root) throws IOException {
        String bucket = request.getParameter("bucket");
        Optional<BucketInfo> info = bucket == null ? Optional.empty() : w.store().bucket(bucket);
        if (info.isEmpty() || !(root || info.get().owner().equals(session.user())
                || w.admin().allowed(session.accessKeyId(), "admin:DataUsageInfo"))) {
            json(response, 404, error("NoSuchBucket", "no bucket of yours by that name"));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<BucketUsageSource.Usage> u = w.usage().usage(bucket);
        out.put("bucket", bucket);
        out.put("available", u.isPresent());
        u.ifPresent(v -> {
            out.put("bytes", v.bytes());
            out.put("objects", v.objects());
        });
        json(response, 200, out);
    }

    /** Serves a page or script from the jar's {@code console/} directory. */
    private void asset(String path, String method, HttpServletResponse response) throws IOException {
        String name = path.equals("/console") || path.equals("/console/") ? "index.html"
                : path.startsWith("/console/") ? path.substring("/console/".length()) : "";
        if (!method.equals("GET") && !method.equals("HEAD")) {
            json(response, 405, error("MethodNotAllowed", "console pages are read with GET"));
            return;
        }
        if (path.equals("/console")) {
            response.setStatus(302);
            response.setHeader("Location", "/console/");
            return;
        }
        byte[] bytes = null;
        if (ASSET.matcher(name).matches()) {
            try (InputStream in = ConsoleServlet.class.getResourceAsStream("/console/" + name)) {
                bytes = in == null ? null : in.readAllBytes();
            }
        }
        if (bytes == null) {
            json(response, 404, error("NotFound", "no console page " + path));
            return;
        }
        response.setStatus(200);
        response.setContentType(switch (name.substring(name.lastIndexOf('.') + 1)) {
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> "text/html; charset=utf-8";
        });
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(bytes.length);
        if (method.equals("GET")) {
            response.getOutputStream().write(bytes);
        }
    }

    private static boolean sameOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true; // not a browser's cross-origin call (browsers send Origin on every non-GET fetch)
        }
        String host = request.getHeader("Host");
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    private static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) return null;
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName())) return c.getValue();
        }
        return null;
    }

    private static void expireCookie(HttpServletRequest request, HttpServletResponse response) {
        response.addHeader("Set-Cookie", COOKIE + "=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"
                + (request.isSecure() ? "; Secure" : ""));
    }

    private static byte[] limited(InputStream in, int max) throws IOException {
        byte[] b = in.readNBytes(max + 1);
        if (b.length > max) throw new IllegalArgumentException("the body is larger than " + max + " bytes");
        return b;
    }

    private static Map<String, String> orderedPages() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("users", "admin:ListUsers");
        m.put("policies", "admin:ListPolicies");
        m.put("cluster", "admin:ServerInfo");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, Object> error(String code, String message) {
        return Map.of("error", code, "message", String.valueOf(message));
    }

    private static void json(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
