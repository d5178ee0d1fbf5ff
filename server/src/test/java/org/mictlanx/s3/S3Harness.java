package org.mictlanx.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mictlanx.router.BallPage;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.server.HttpFront;
import org.mictlanx.xolo.identity.Principal;
import org.mictlanx.xolo.sigv4.PayloadMode;
import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Signer;
import org.mictlanx.xolo.sigv4.SigV4Verifier;

/**
 * The front door on a real Jetty port (loopback, ephemeral) over the real router (or any store), with
 * the real SigV4 verifier and identity rules, and a signing HTTP client. Users: root, alice, bob.
 */
public final class S3Harness implements AutoCloseable {

    public static final String ROOT = "AKIAROOTROOTROOT0001";
    public static final String ALICE = "AKIAALICEALICEALICE1";
    public static final String BOB = "AKIABOBBOBBOBBOBBOB1";
    public static final String REGION = "us-east-1";
    /** The region this harness's front door answers for and its clients sign for. */
    private final String region;
    private static final Map<String, String> SECRETS = Map.of(
            ROOT, "rootSecretKey/0123456789+abcdefghijklmno",
            ALICE, "aliceSecretKey/0123456789+abcdefghijklmn",
            BOB, "bobSecretKey/0123456789+abcdefghijklmnopq");
    private static final Map<String, Principal> PRINCIPALS = Map.of(
            ROOT, new Principal(Principal.ROOT_USER, ROOT, true),
            ALICE, new Principal("alice", ALICE, false),
            BOB, new Principal("bob", BOB, false));

    /** The secret of a harness user (for tests that sign other forms: POST policies, SigV2). */
    public static String secret(String accessKey) {
        return SECRETS.get(accessKey);
    }

    public final BallStore store;
    private final TestCluster cluster;
    private final HttpFront front;
    /** A router this harness built itself (the cluster closes the ones it made). */
    private org.mictlanx.router.Router ownedRouter;
    private final HttpClient http = HttpClient.newHttpClient();
    public final String host;
    /** Where this front door keeps bucket and user policies (no cache: every change applies at once). */
    public final org.mictlanx.xolo.policy.PolicyStore policies;

    /** The front door over the real router and three in-process peers. */
    public S3Harness() throws Exception {
        this(new TestCluster(3));
    }

    private S3Harness(TestCluster cluster) throws Exception {
        this(cluster, cluster.router(), new S3Config("s3.test", REGION));
    }

    /** The front door over the real router, answering for {@code region} (its clients sign for that region). */
    public static S3Harness inRegion(String region) throws Exception {
        return new S3Harness(new TestCluster(3), region);
    }

    private S3Harness(TestCluster cluster, String region) throws Exception {
        this(cluster, cluster.router(), new S3Config("s3.test", region));
    }

    /** The front door over any store (an {@link InMemoryBallStore} to inject router failures). */
    public S3Harness(BallStore store) throws Exception {
        this(null, store, new S3Config("s3.test", REGION));
    }

    private S3Harness(TestCluster cluster, BallStore store, S3Config config) throws Exception {
        this(cluster, store, config, HttpFront.Timeouts.DEFAULTS);
    }

    /**
     * The front door over the real router and three in-process peers, with these timeouts and one
     * request buffer budget shared by the router and the front door (as the server wires them).
     */
    public S3Harness(HttpFront.Timeouts timeouts, BufferBudget budget) throws Exception {
        this(new TestCluster(3), timeouts, budget);
    }

    private S3Harness(TestCluster cluster, HttpFront.Timeouts timeouts, BufferBudget budget) throws Exception {
        this(cluster, org.mictlanx.router.Router.builder().peers(cluster.peers).masterKeys(cluster.keys)
                .config(TestCluster.config(java.time.Duration.ofSeconds(2), java.time.Duration.ofHours(1)))
                .background(false).bufferBudget(budget).build(), new S3Config("s3.test", REGION), timeouts);
        this.ownedRouter = (org.mictlanx.router.Router) store;
    }

    private S3Harness(TestCluster cluster, BallStore store, S3Config config, HttpFront.Timeouts timeouts) throws Exception {
        this(cluster, store, config, timeouts, null, new org.mictlanx.xolo.identity.InMemoryMetaTable());
    }

    /** The front door over any store whose event notifications may name {@code targets}. */
    public S3Harness(BallStore store, org.mictlanx.s3.notify.TargetRegistry targets) throws Exception {
        this(null, store, new S3Config("s3.test", REGION), HttpFront.Timeouts.DEFAULTS, targets,
                new org.mictlanx.xolo.identity.InMemoryMetaTable());
    }

    /**
     * The front door over the real router and three in-process peers, keeping bucket and user
     * policies, ACLs and ownership in {@code policyTable} (a failing one injects metadata faults).
     */
    public static S3Harness withPolicyTable(org.mictlanx.router.MetaTable policyTable) throws Exception {
        TestCluster cluster = new TestCluster(3);
        return new S3Harness(cluster, cluster.router(), new S3Config("s3.test", REGION), HttpFront.Timeouts.DEFAULTS,
                null, policyTable);
    }

    private S3Harness(TestCluster cluster, BallStore store, S3Config config, HttpFront.Timeouts timeouts,
                      org.mictlanx.s3.notify.TargetRegistry targets, org.mictlanx.router.MetaTable policyTable)
            throws Exception {
        this.policies = new org.mictlanx.xolo.policy.PolicyStore(policyTable, java.time.Duration.ZERO);
        this.cluster = cluster;
        this.store = store;
        this.region = config.region();
        SigV4Verifier verifier = new SigV4Verifier(id -> Optional.ofNullable(SECRETS.get(id)), config.region(),
                Clock.systemUTC());
        Authorizer authorizer = new Authorizer(id -> Optional.ofNullable(PRINCIPALS.get(id)),
                name -> PRINCIPALS.values().stream().anyMatch(p -> !p.root() && p.user().equals(name)),
                new org.mictlanx.xolo.policy.Grantees(() -> PRINCIPALS.values().stream().filter(p -> !p.root())
                        .map(org.mictlanx.xolo.identity.Principal::user).distinct().toList()),
                new org.mictlanx.xolo.policy.AccessControl(policies));
        front = new HttpFront("127.0.0.1", 0, null, targets == null ? S3FrontDoor.handler(store, verifier, authorizer, config)
                : S3FrontDoor.handler(S3FrontDoor.servlet(store, Authenticator.sigV4(verifier), authorizer, config, Clock.systemUTC(),
                BufferBudget.unlimited(), Optional.empty(), new org.mictlanx.xolo.post.PostPolicyVerifier(verifier.secrets(), verifier.region(), false),
                org.mictlanx.s3.lifecycle.LifecycleWorker.DAY_MILLIS, targets,
                new org.mictlanx.s3.accesslog.AccessLogs.Settings(java.time.Duration.ofMinutes(5), 4L << 20, 32L << 20))), timeouts);
        host = front.endpoint().getAuthority();
    }

    /** A response: status, headers (lower-case names) and body. */
    public record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The {@code <Code>} of an XML error body, or null. */
        public String code() {
            String t = text();
            int a = t.indexOf("<Code>");
            return a < 0 ? null : t.substring(a + 6, t.indexOf("</Code>", a));
        }
    }

    /** A request builder signed as {@code accessKey}. */
    public Call as(String accessKey) {
        return new Call(accessKey);
    }

    public final class Call {
        private final String accessKey;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> unsigned = new LinkedHashMap<>();
        private PayloadMode mode = PayloadMode.SIGNED;
        private Map<String, String> trailers = Map.of();
        private int chunkSize = 64 * 1024;

        private Call(String accessKey) {
            this.accessKey = accessKey;
        }

        public Call header(String name, String value) {
            headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
            return this;
        }

        /** A header sent but left out of SignedHeaders (the store must refuse it if it is x-amz-*). */
        public Call unsignedHeader(String name, String value) {
            unsigned.put(name.toLowerCase(java.util.Locale.ROOT), value);
            return this;
        }

        public Call mode(PayloadMode mode) {
            this.mode = mode;
            return this;
        }

        /** aws-chunked framing with these trailers and chunk size (trailer modes). */
        public Call chunked(PayloadMode mode, int chunkSize, Map<String, String> trailers) {
            this.mode = mode;
            this.chunkSize = chunkSize;
            this.trailers = trailers;
            return this;
        }

        public Reply get(String pathAndQuery) {
            return send("GET", pathAndQuery, new byte[0]);
        }

        public Reply head(String pathAndQuery) {
            return send("HEAD", pathAndQuery, new byte[0]);
        }

        public Reply delete(String pathAndQuery) {
            return send("DELETE", pathAndQuery, new byte[0]);
        }

        public Reply put(String pathAndQuery, byte[] body) {
            return send("PUT", pathAndQuery, body);
        }

        public Reply put(String pathAndQuery, String body) {
            return put(pathAndQuery, body.getBytes(StandardCharsets.UTF_8));
        }

        public Reply post(String pathAndQuery, byte[] body) {
            return send("POST", pathAndQuery, body);
        }

        public Reply send(String method, String pathAndQuery, byte[] body) {
            int q = pathAndQuery.indexOf('?');
            String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
            String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
            Map<String, String> signedHeaders = new LinkedHashMap<>(headers);
            signedHeaders.put("host", host);
            String sha = switch (mode) {
                case SIGNED -> SigV4Crypto.sha256Hex(body);
                case UNSIGNED -> "UNSIGNED-PAYLOAD";
                case STREAMING_SIGNED -> "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
                case STREAMING_SIGNED_TRAILER -> "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
                case STREAMING_UNSIGNED_TRAILER -> "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
            };
            if (mode.chunked()) {
                signedHeaders.put("content-encoding", "aws-chunked");
                signedHeaders.put("x-amz-decoded-content-length", Integer.toString(body.length));
                if (!trailers.isEmpty()) {
                    signedHeaders.put("x-amz-trailer", String.join(",", trailers.keySet()));
                }
            }
            signedHeaders.putAll(headers);
            SigV4Signer signer = new SigV4Signer(accessKey, SECRETS.getOrDefault(accessKey, "unknown-secret"), region);
            SigV4Signer.Signed signed = signer.sign(method, path, query, signedHeaders, sha, Instant.now());
            byte[] wire = mode.chunked() ? SigV4Signer.chunked(body, chunkSize, mode, signed.streaming(), trailers) : body;
            SigV4Request request = signed.request();
            if (!unsigned.isEmpty()) {
                Map<String, List<String>> all = new LinkedHashMap<>(request.headers());
                unsigned.forEach((k, v) -> all.put(k, List.of(v)));
                request = new SigV4Request(request.method(), request.rawPath(), request.rawQuery(), all);
            }
            return raw(method, pathAndQuery, request, wire);
        }
    }

    /** Sends exactly the given (already signed or deliberately unsigned) headers. */
    public Reply raw(String method, String pathAndQuery, SigV4Request request, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + pathAndQuery))
                .method(method, body.length == 0 && !method.equals("PUT") && !method.equals("POST")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach((name, values) -> {
            if (!name.equals("host")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned (anonymous) request with the given headers. */
    public Reply anonymous(String method, String pathAndQuery, byte[] body, String... headers) {
        Map<String, List<String>> h = new java.util.LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], List.of(headers[i + 1]));
        }
        return raw(method, pathAndQuery, new SigV4Request(method, pathAndQuery, "", h), body);
    }

    /** A presigned URL's request (only host signed) for {@code accessKey}, valid for an hour from now. */
    public SigV4Request presign(String accessKey, String method, String path, String query) {
        return new SigV4Signer(accessKey, SECRETS.get(accessKey), region).presign(method, path, query, host,
                Instant.now(), 3600);
    }

    /** Sends raw bytes on a socket and returns the whole response text (Connection: close). */
    public String socket(String request) throws IOException {
        String[] hp = host.split(":");
        try (Socket s = new Socket(hp[0], Integer.parseInt(hp[1]))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Signs a request for {@link #socket}: returns the header block lines (without the request line). */
    public String signedHeaderBlock(String accessKey, String method, String path, String query, String hostHeader,
                                    Map<String, String> extra, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>(extra);
        h.put("host", hostHeader);
        SigV4Signer signer = new SigV4Signer(accessKey, SECRETS.get(accessKey), region);
        SigV4Request r = signer.sign(method, path, query, h, SigV4Crypto.sha256Hex(body), Instant.now()).request();
        StringBuilder sb = new StringBuilder();
        r.headers().forEach((name, values) -> values.forEach(v -> sb.append(name).append(": ").append(v).append("\r\n")));
        return sb.toString();
    }

    /** How many balls the bucket holds (for "nothing changed" assertions). */
    public int count(String bucket) {
        int n = 0;
        String after = null;
        while (true) {
            BallPage page = store.listBalls(bucket, null, after, 1000);
            n += page.balls().size();
            if (!page.truncated() || page.balls().isEmpty()) {
                return n;
            }
            after = page.balls().getLast().key();
        }
    }

    @Override
    public void close() throws Exception {
        front.close();
        if (ownedRouter != null) {
            ownedRouter.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }
}
