package org.mictlanx.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Wraps the S3 handler: records every request in Prometheus metrics (by S3 operation and status:
 * count and latency histogram; bytes in and out), and answers the two anonymous endpoints
 * {@code GET /health} and {@code GET /metrics}.
 *
 * <p>{@code /health} and {@code /metrics} are also valid bucket paths. They are served here only
 * for requests that carry no S3 authentication at all (no {@code Authorization} header, no
 * {@code X-Amz-Signature} query); such requests would otherwise be denied as anonymous, so no S3
 * request is shadowed. The S3 front door names the operation in the request attribute
 * {@link #OPERATION_ATTRIBUTE}.
 *
 * <p>Bounded label values: nothing a client sends becomes a label value by itself. {@code operation}
 * is one of the {@link org.mictlanx.s3.S3Operation} record names, {@code NotImplemented},
 * {@code Admin} (the admin API) or {@code Unknown} (refused before it was routed: junk paths,
 * methods, hosts); {@code status} is one of the statuses this server answers with (S3's error
 * statuses and the success ones), else its class ({@code 4xx}). So junk traffic adds no series.
 *
 * <p>With a metrics token ({@code metrics-token} setting), {@code GET /metrics} needs
 * {@code Authorization: Bearer TOKEN} and answers 401 otherwise (compared in constant time).
 */
public final class Observability extends Handler.Wrapper {

    /** Request attribute holding the S3 operation name (e.g. {@code GetObject}), set by the front door. */
    public static final String OPERATION_ATTRIBUTE = org.mictlanx.s3.S3Servlet.OPERATION_ATTRIBUTE;

    /** The operation label values: every routed S3 operation, plus the fixed fallbacks. */
    static final Set<String> OPERATIONS = operations();
    /** The status label values kept as numbers; any other status is reported as its class, e.g. {@code 4xx}. */
    static final Set<Integer> STATUSES = statuses();

    private final PrometheusMeterRegistry registry;
    private final Supplier<HealthReport> health;
    private final byte[] metricsToken;
    private final TracePublisher trace;

    /** Request attribute marking a request that is not itself published to the trace (the trace stream). */
    static final String NOT_TRACED_ATTRIBUTE = "mictlanx.trace.skip";

    public Observability(Handler s3, PrometheusMeterRegistry registry, Supplier<HealthReport> health) {
        this(s3, registry, health, null);
    }

    /** @param metricsToken the bearer token {@code GET /metrics} requires; null or blank: none (anonymous scrapes) */
    public Observability(Handler s3, PrometheusMeterRegistry registry, Supplier<HealthReport> health, String metricsToken) {
        this(s3, registry, health, metricsToken, null);
    }

    /**
     * As above; every finished request is also offered to {@code trace} (null: none) while it has
     * subscribers, and costs nothing more while it has none.
     */
    public Observability(Handler s3, PrometheusMeterRegistry registry, Supplier<HealthReport> health, String metricsToken,
                         TracePublisher trace) {
        super(s3);
        this.registry = registry;
        this.health = health;
        this.metricsToken = metricsToken == null || metricsToken.isBlank() ? null
                : metricsToken.strip().getBytes(StandardCharsets.UTF_8);
        this.trace = trace;
    }

    private static Set<String> operations() {
        Set<String> names = new TreeSet<>();
        addRecords(org.mictlanx.s3.S3Operation.class, names);
        names.addAll(Set.of("NotImplemented", "Admin", "Unknown"));
        return Set.copyOf(names);
    }

    /** The record types under a sealed type, through sealed sub-interfaces. */
    private static void addRecords(Class<?> sealed, Set<String> names) {
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isRecord()) names.add(c.getSimpleName());
            else if (c.isSealed()) addRecords(c, names);
        }
    }

    private static Set<Integer> statuses() {
        Set<Integer> out = new TreeSet<>(Set.of(200, 204, 206, 304, 400, 401, 403, 404, 405, 408, 409, 411, 412, 413,
                414, 416, 417, 431, 500, 501, 503));
        Arrays.stream(org.mictlanx.s3.S3ErrorCode.values()).forEach(e -> out.add(e.status()));
        return Set.copyOf(out);
    }

    /** The operation label for what the front door named (null: not routed). */
    static String operationLabel(Object named, String path) {
        if (named == null) return path.startsWith(AdminHandler.PREFIX) ? "Admin" : "Unknown";
        String s = named.toString();
        return OPERATIONS.contains(s) ? s : "NotImplemented";
    }

    static String statusLabel(int status) {
        if (STATUSES.contains(status)) return Integer.toString(status);
        return status >= 100 && status <= 599 ? (status / 100) + "xx" : "other";
    }

    /** A registry with JVM and process meters bound, for one server. */
    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        return r;
    }

    /**
     * What {@code /health} reports: live means the process serves requests; ready means a write
     * quorum of peers is reachable. {@code detail} is a short JSON object.
     */
    public record HealthReport(boolean live, boolean ready, String detailJson) {
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (HttpMethod.GET.is(request.getMethod()) && isAnonymous(request)) {
            if (path.equals("/health") || path.equals("/health/live") || path.equals("/health/ready")) {
                HealthReport h = health.get();
                boolean ok = path.equals("/health/live") ? h.live() : h.live() && h.ready();
                String body = "{\"live\":" + h.live() + ",\"ready\":" + h.ready() + ",\"detail\":" + h.detailJson() + "}\n";
                respond(response, callback, ok ? 200 : 503, "application/json", body);
                return true;
            }
            if (path.equals("/metrics")) {
                if (metricsToken != null) {
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"mictlanx-metrics\"");
                    respond(response, callback, 401, "text/plain; charset=utf-8",
                            "GET /metrics needs Authorization: Bearer <metrics-token>\n");
                    return true;
                }
                respond(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
                return true;
            }
        }
        if (metricsToken != null && HttpMethod.GET.is(request.getMethod()) && path.equals("/metrics")
                && isBearer(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            if (tokenMatches(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                respond(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            } else {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"mictlanx-metrics\", error=\"invalid_token\"");
                respond(response, callback, 401, "text/plain; charset=utf-8", "the metrics token does not match\n");
            }
            return true;
        }
        long start = System.nanoTime();
        long bytesIn = Math.max(0, request.getLength());
        return super.handle(request, response, new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                record(request, response, start, bytesIn);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                record(request, response, start, bytesIn);
                super.failed(x);
            }
        });
    }

    private void record(Request request, Response response, long startNanos, long bytesIn) {
        String operation = operationLabel(request.getAttribute(OPERATION_ATTRIBUTE), Request.getPathInContext(request));
        String status = statusLabel(response.getStatus());
        long elapsed = System.nanoTime() - startNanos;
        if (trace != null && trace.active() && request.getAttribute(NOT_TRACED_ATTRIBUTE) == null) {
            trace.publish(traceEvent(request, response, operation, elapsed));
        }
        Timer.builder("mictlanx_s3_requests").description("S3 requests by operation and status")
                .tags("operation", operation, "status", status).publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos(elapsed));
        DistributionSummary.builder("mictlanx_s3_request_body").baseUnit("bytes").tags("operation", operation)
                .register(registry).record(bytesIn);
        Counter.builder("mictlanx_s3_response_body").baseUnit("bytes").tags("operation", operation)
                .register(registry).increment(Response.getContentBytesWritten(response));
    }

    /** The trace event of a finished request; built only while someone traces. */
    private static TraceEvent traceEvent(Request request, Response response, String operation, long elapsedNanos) {
        Object op = request.getAttribute(org.mictlanx.s3.S3Servlet.REQUEST_OPERATION_ATTRIBUTE);
        String bucket = null;
        String key = null;
        if (op instanceof org.mictlanx.s3.S3Operation s3) {
            bucket = s3.bucket().orElse(null);
            String resource = org.mictlanx.s3.S3Permissions.resource(s3);
            String prefix = bucket == null ? null : org.mictlanx.s3.S3Permissions.bucket(bucket) + "/";
            if (prefix != null && resource.startsWith(prefix)) key = resource.substring(prefix.length());
        }
        java.time.Instant time = java.time.Instant.now().minusNanos(elapsedNanos);
        return new TraceEvent(time, response.getHeaders().get("x-amz-request-id"),
                (String) request.getAttribute(org.mictlanx.s3.S3Servlet.ACCESS_KEY_ATTRIBUTE),
                (String) request.getAttribute(org.mictlanx.s3.S3Servlet.USER_ATTRIBUTE), operation, bucket, key,
                response.getStatus(), (String) request.getAttribute(org.mictlanx.s3.S3Servlet.ERROR_ATTRIBUTE),
                elapsedNanos / 1e6, Request.getContentBytesRead(request), Response.getContentBytesWritten(response),
                Request.getRemoteAddr(request));
    }

    private static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    private boolean tokenMatches(String authorization) {
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, metricsToken);
    }

    private static boolean isAnonymous(Request request) {
        if (request.getHeaders().contains(HttpHeader.AUTHORIZATION)) return false;
        Fields query = Request.extractQueryParameters(request);
        return query.get("X-Amz-Signature") == null && query.get("X-Amz-Credential") == null;
    }

    private static void respond(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
