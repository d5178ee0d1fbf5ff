package org.mictlanx.server;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.server.Handler;
import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.cli.Preflight;
import org.mictlanx.peer.client.HttpPeerClient;
import org.mictlanx.peer.http.PeerTls;
import org.mictlanx.peer.http.RequestSigner;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterBuilder;
import org.mictlanx.router.RouterStats;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.xolo.identity.Credentials;
import org.mictlanx.xolo.identity.RootAccount;
import org.mictlanx.xolo.identity.RootCredentials;
import org.mictlanx.xolo.identity.UserRegistry;
import org.mictlanx.xolo.policy.PolicyStore;
import org.mictlanx.xolo.sigv4.SigV4Verifier;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One running MictlanX front door: the router over its peers, the Xolo guard, the S3 API, the
 * admin API, health and metrics on one port. Two shapes:
 * <ul>
 *   <li>{@link #allInOne}: the peers are embedded in this JVM and called in-process (RocksDB under
 *       {@code data/peers/pN}); the master key and root credentials are generated into the data
 *       directory on first start;</li>
 *   <li>{@link #server}: the peers are remote ({@code peer-urls}), reached over HMAC-signed HTTP
 *       with the cluster secret, optionally mutual TLS ({@link #peerTls}); master key and root
 *       credentials must be given.</li>
 * </ul>
 * Settings are described in the README and resolved by {@link Settings}.
 */
public final class MictlanXServer implements AutoCloseable {

    private final List<AutoCloseable> closeables;
    private final HttpFront front;
    private final Router router;
    private final RootAccount root;
    private final String banner;
    private final Duration shutdownTimeout;

    private MictlanXServer(List<AutoCloseable> closeables, HttpFront front, Router router, RootAccount root, String banner,
                           Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
        this.closeables = closeables;
        this.front = front;
        this.router = router;
        this.root = root;
        this.banner = banner;
    }

    /**
     * Router, S3 front door and {@code --peers} embedded peers in this process. Before anything is written
     * the port must be free and the data directory writable and not in use ({@link Preflight}). The
     * number of peers defaults to the peer directories already under {@code data/peers}; a larger
     * {@code --peers} adds the missing ones to the layout (their share of the data moves in the background),
     * a smaller one is refused.
     */
    public static MictlanXServer allInOne(Settings s) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Path data = Path.of(s.get("data", "./data")).toAbsolutePath().normalize();
            Preflight.portFree(s.get("host", "0.0.0.0"), s.getInt("port", 9000));
            if (s.get("website-port").isPresent()) Preflight.portFree(s.get("host", "0.0.0.0"), s.getInt("website-port", 0), "--website-port");
            if (s.get("console-port").isPresent() && ConsoleWiring.enabled(s)) Preflight.portFree(s.get("host", "0.0.0.0"), s.getInt("console-port", 0), "--console-port");
            int existing = existingPeers(data);
            int peerCount = s.getInt("peers", Math.max(1, existing));
            if (peerCount < 1 || peerCount > 64) throw new IllegalArgumentException("--peers must be 1..64");
            if (peerCount < existing) {
                throw new IllegalArgumentException("the data directory " + data + " holds " + existing + " embedded peers (p1..p" + existing
                        + "): start with --peers " + existing + " (or without --peers); to remove peers, drain them first"
                        + " (bin/mictlanx admin peer drain ID), stop, then delete " + data.resolve("peers") + "/ID");
            }
            checkReplication(s, peerCount, "start with --peers " + Math.max(s.getInt("replication", 0), 1) + " or a smaller --replication");
            opened.add(Preflight.lockDataDir(data));
            DataDirs.ownerOnly(data);
            List<EmbeddedPeer> peers = new ArrayList<>();
            // Closed after the router and before the peers (list order), so no call is left running.
            java.util.concurrent.ExecutorService peerIo = java.util.concurrent.Executors.newCachedThreadPool(
                    Thread.ofPlatform().daemon().name("peer-io-", 0).factory());
            opened.add(0, peerIo);
            for (int i = 1; i <= peerCount; i++) {
                LocalPeer p = LocalPeer.open(PeerConfig.builder("p" + i).dataDir(data.resolve("peers").resolve("p" + i)).build());
                opened.add(1, p);
                peers.add(new EmbeddedPeer(p, peerIo));
            }
            MasterKeys keys = s.get("master-key").map(MictlanXServer::masterKeys).orElseGet(() -> {
                org.slf4j.LoggerFactory.getLogger(MictlanXServer.class).info("the master key is kept beside the data in {}:"
                        + " a stolen disk carries both; give it as MICTLANX_MASTER_KEY_FILE instead (docs/operations.md)",
                        data.resolve("keys").resolve(MasterKeys.FILE_NAME));
                return unchecked(() -> MasterKeys.loadOrCreate(data.resolve("keys")));
            });
            Router router = routerBuilder(s, keys).peers(peers).build();
            opened.add(0, router);
            List<String> inLayout = router.layout().peers().stream().map(org.mictlanx.router.cluster.PeerDescriptor::id).toList();
            List<String> added = new ArrayList<>();
            for (EmbeddedPeer p : peers) {
                if (!inLayout.contains(p.id())) {
                    router.addPeer(org.mictlanx.router.cluster.PeerDescriptor.local(p.id()));
                    added.add(p.id());
                }
            }
            RootCredentials root = RootCredentials.load(credentialEnv(s), data, line -> { }, new SecureRandom());
            return assemble(s, router, keys, root, RootAccount.of(root, data), opened, data,
                    "all-in-one: " + router.layout().peers().size() + " embedded peer(s)"
                            + (added.isEmpty() ? "" : " (added " + String.join(", ", added) + "; their share of the data moves in the background)")
                            + ", data in " + data);
        } catch (RuntimeException | IOException e) {
            closeAll(opened);
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    /** How many embedded peer directories ({@code data/peers/pN}) a data directory already holds. */
    static int existingPeers(Path data) {
        Path dir = data.resolve("peers");
        if (!Files.isDirectory(dir)) return 0;
        try (var list = Files.list(dir)) {
            return (int) list.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("p[1-9][0-9]*")).count();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Refuses a replication factor the cluster cannot give ({@code --replication 3} over 2 peers) and
     * quorums larger than the replication, instead of silently storing fewer copies.
     */
    static void checkReplication(Settings s, int peers, String remedy) {
        int r = s.getInt("replication", 0);
        if (r < 0) throw new IllegalArgumentException("--replication must be 1 or more (0 or absent: min(3, peers))");
        if (r > peers) {
            throw new IllegalArgumentException("--replication " + r + " needs at least " + r + " peers and this cluster has " + peers + ": " + remedy);
        }
        int n = r == 0 ? Math.max(1, Math.min(3, peers)) : r;
        int w = s.getInt("write-quorum", 0);
        int rq = s.getInt("read-quorum", 0);
        if (w < 0 || w > n) throw new IllegalArgumentException("--write-quorum " + w + " must be 1.." + n + " (the replication)");
        if (rq < 0 || rq > n) throw new IllegalArgumentException("--read-quorum " + rq + " must be 1.." + n + " (the replication)");
    }

    /** Router and S3 front door over the remote peers listed in {@code peer-urls}. */
    public static MictlanXServer server(Settings s) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Path data = Path.of(s.get("data", "./data")).toAbsolutePath().normalize();
            String secret = s.get("cluster-secret").orElseThrow(() -> new IllegalArgumentException(
                    "the server role needs the cluster secret (--cluster-secret, MICTLANX_CLUSTER_SECRET or MICTLANX_CLUSTER_SECRET_FILE)"));
            MasterKeys keys = masterKeys(s.get("master-key").orElseThrow(() -> new IllegalArgumentException(
                    "the server role needs the master key (--master-key, MICTLANX_MASTER_KEY or MICTLANX_MASTER_KEY_FILE)")));
            Map<String, String> env = credentialEnv(s);
            if (!env.containsKey(RootCredentials.ENV_ACCESS_KEY) || !env.containsKey(RootCredentials.ENV_SECRET_KEY)) {
                throw new IllegalArgumentException("the server role needs root credentials (MICTLANX_ACCESS_KEY and MICTLANX_SECRET_KEY)");
            }
            ClusterLayout layout = ClusterLayout.parse(s.get("peer-urls").orElseThrow(() ->
                    new IllegalArgumentException("the server role needs --peer-urls / MICTLANX_PEER_URLS (ID=URL,...)")));
            checkReplication(s, layout.peers().size(), "list more peers in --peer-urls or ask for a smaller --replication");
            Preflight.portFree(s.get("host", "0.0.0.0"), s.getInt("port", 9000));
            if (s.get("website-port").isPresent()) Preflight.portFree(s.get("host", "0.0.0.0"), s.getInt("website-port", 0), "--website-port");
            if (s.get("console-port").isPresent() && ConsoleWiring.enabled(s)) Preflight.portFree(s.get("host", "0.0.0.0"), s.getInt("console-port", 0), "--console-port");
            RequestSigner signer = new RequestSigner(secret);
            Duration timeout = Duration.ofSeconds(s.getInt("peer-timeout-seconds", 30));
            PeerTls peerTls = peerTls(s);
            Router router = routerBuilder(s, keys)
                    .layout(layout, d -> new HttpPeerClient(d.id(), URI.create(d.url()), signer, timeout, peerTls)).build();
            opened.add(router);
            RootCredentials root = RootCredentials.load(env, data, line -> { }, new SecureRandom());
            return assemble(s, router, keys, root, RootAccount.fixed(root.credentials()), opened, data,
                    "server: " + layout.peers().size() + " peer(s)");
        } catch (RuntimeException | IOException e) {
            closeAll(opened);
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Mutual TLS towards the peers from {@code peer-tls-cert}, {@code peer-tls-key} (this router's
     * client certificate and PKCS#8 key, PEM) and {@code peer-tls-ca} (the cluster CA): all three or
     * none. With them every peer URL must be {@code https://}; without them, {@code http://}.
     */
    static PeerTls peerTls(Settings s) {
        var cert = s.get("peer-tls-cert");
        var key = s.get("peer-tls-key");
        var ca = s.get("peer-tls-ca");
        if (cert.isEmpty() && key.isEmpty() && ca.isEmpty()) return null;
        if (cert.isEmpty() || key.isEmpty() || ca.isEmpty()) {
            throw new IllegalArgumentException("peer TLS needs all of --peer-tls-cert, --peer-tls-key and --peer-tls-ca");
        }
        PeerTls tls = new PeerTls(Path.of(cert.get()), Path.of(key.get()), Path.of(ca.get()));
        tls.clientFactory(); // load the PEM files now: a bad file is a start-up error, not a failure of every peer call
        return tls;
    }

    /** {@code master-key}: plain base64 of 32 bytes (id k1), or the {@code ID:BASE64,...} list of {@link MasterKeys}. */
    static MasterKeys masterKeys(String value) {
        // A file (MICTLANX_MASTER_KEY_FILE) may hold comment lines and CRLF line ends.
        String entries = value.lines().filter(l -> !l.strip().startsWith("#")).map(String::strip)
                .collect(java.util.stream.Collectors.joining("\n")).strip();
        return MasterKeys.parse(entries.contains(":") ? entries : "k1:" + entries);
    }

    private static RouterBuilder routerBuilder(Settings s, MasterKeys keys) {
        RouterBuilder b = Router.builder().masterKeys(keys)
                .replication(s.getInt("replication", 0))
                .quorums(s.getInt("write-quorum", 0), s.getInt("read-quorum", 0))
                .bufferBudget(FrontDoorWiring.budget(s));
        s.get("chunk-size").ifPresent(v -> b.chunkSize(Math.toIntExact(Settings.parseBytes("chunk-size", v))));
        s.get("inline-max").ifPresent(v -> b.inlineMaxBytes(Math.toIntExact(Settings.parseBytes("inline-max", v))));
        s.get("verify-ahead").ifPresent(v -> b.verifyAheadBytes(Settings.parseBytes("verify-ahead", v)));
        if (s.get("gc-grace-seconds").isPresent()) b.gcGrace(java.time.Duration.ofSeconds(s.getInt("gc-grace-seconds", 3600)));
        b.usage(usageConfig(s));
        return b;
    }

    /** {@code usage-flush-ms} (default 1000), {@code quota-refresh-ms} (1000), {@code usage-recount-seconds} (21600; 0: never). */
    static org.mictlanx.router.usage.UsageConfig usageConfig(Settings s) {
        org.mictlanx.router.usage.UsageConfig d = org.mictlanx.router.usage.UsageConfig.defaults();
        int flush = s.getInt("usage-flush-ms", (int) d.flushInterval().toMillis());
        int refresh = s.getInt("quota-refresh-ms", (int) d.refreshInterval().toMillis());
        int recount = s.getInt("usage-recount-seconds", (int) d.recountInterval().toSeconds());
        if (flush < 1) throw new IllegalArgumentException("--usage-flush-ms must be at least 1");
        if (refresh < 0) throw new IllegalArgumentException("--quota-refresh-ms must not be negative");
        if (recount < 0) throw new IllegalArgumentException("--usage-recount-seconds must not be negative");
        return d.withIntervals(java.time.Duration.ofMillis(flush), java.time.Duration.ofMillis(refresh),
                java.time.Duration.ofSeconds(recount));
    }

    private static Map<String, String> credentialEnv(Settings s) {
        Map<String, String> env = new HashMap<>();
        s.get("access-key").ifPresent(v -> env.put(RootCredentials.ENV_ACCESS_KEY, v));
        s.get("secret-key").ifPresent(v -> env.put(RootCredentials.ENV_SECRET_KEY, v));
        return env;
    }

    private static MictlanXServer assemble(Settings s, Router router, MasterKeys keys, RootCredentials loaded, RootAccount root,
                                           List<AutoCloseable> opened, Path data, String shape) {
        try {
            UserRegistry users = new UserRegistry(router.metaTable(), keys.identityKey(), root);
            SigV4Verifier verifier = new SigV4Verifier(users, FrontDoorWiring.region(s), Clock.systemUTC());
            PrometheusMeterRegistry registry = Observability.newRegistry();
            RouterMetrics.bind(router, registry);
            PeerCapacityMetrics.bind(router, registry);
            registry.getPrometheusRegistry().register(new BucketUsageMetrics(router.usage(),
                    s.getInt("metrics-bucket-limit", BucketUsageMetrics.DEFAULT_LIMIT)));
            PolicyStore policies = new PolicyStore(router.metaTable());
            org.mictlanx.s3.notify.TargetRegistry notifyTargets = NotifyWiring.registry(router, s);
            org.mictlanx.s3.S3Servlet s3Servlet = FrontDoorWiring.s3Servlet(router, verifier, users, policies, s, router.bufferBudget(),
                    notifyTargets);
            Handler s3 = org.mictlanx.s3.S3FrontDoor.handler(s3Servlet);
            var lifecycle = LifecycleWiring.start(router, s, registry);
            opened.add(0, lifecycle);
            opened.add(0, NotifyWiring.start(router, s, registry, notifyTargets));
            TracePublisher trace = new TracePublisher();
            AdminHandler admin = new AdminHandler(s3, verifier, new ServerAdmin(router, users, root, policies, lifecycle::stats),
                    new PolicyAdmin(policies, users), new BucketAdmin(router), new NotifyAdmin(router, notifyTargets), trace,
                    new AdminAccess(users::principalFor, new org.mictlanx.xolo.policy.AccessControl(policies)));
            FrontDoorWiring.bindAccessLogMetrics(s3Servlet, registry);
            KeyStore tls = tls(s, data);
            HttpFront[] s3Front = new HttpFront[1];
            Handler console = ConsoleWiring.enabled(s) ? ConsoleWiring.handler(s, s3Servlet, admin, users, router, router.metaTable(), registry,
                    ConsoleWiring.usage(router.usage()), () -> s3Front[0].endpoint().getPort(), tls != null) : null;
            Handler served = console != null && !ConsoleWiring.ownPort(s) ? ConsoleWiring.onS3Port(console, admin) : admin;
            Handler top = new Observability(served, registry, () -> health(router), s.get("metrics-token").orElse(null), trace);
            HttpFront front = new HttpFront(s.get("host", "0.0.0.0"), s.getInt("port", 9000), tls, top,
                    FrontDoorWiring.timeouts(s), shutdownTimeout(s),
                    org.mictlanx.s3.cors.CorsResponder.defaultFor(s.get("cors-allowed-origins").orElse(null)));
            opened.add(0, front);
            opened.add(0, trace); // first to close: trace streams end, so the drain does not wait for them
            s3Front[0] = front;
            HttpFront consoleFront = console != null && ConsoleWiring.ownPort(s)
                    ? new HttpFront(s.get("host", "0.0.0.0"), s.getInt("console-port", 0), tls,
                            new Observability(console, registry, () -> health(router), s.get("metrics-token").orElse(null), trace),
                            FrontDoorWiring.timeouts(s), shutdownTimeout(s))
                    : null;
            if (consoleFront != null) {
                opened.add(0, consoleFront);
            }
            HttpFront website = FrontDoorWiring.websiteFront(router, s, tls, policies);
            if (website != null) {
                opened.add(0, website);
            }
            Path selfSignedCa = tls != null && s.getBoolean("tls-self-signed") && s.get("tls-cert").isEmpty()
                    ? data.resolve("tls").resolve("self-signed.pem") : null;
            return new MictlanXServer(opened, front, router, root,
                    consoleLine(banner(shape, front.endpoint(), website == null ? null : website.endpoint(), loaded, data, selfSignedCa),
                            console == null ? null : (consoleFront != null ? consoleFront.endpoint() : front.endpoint()) + "/console/"),
                    shutdownTimeout(s));
        } catch (Exception e) {
            closeAll(opened);
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot start: " + e.getMessage(), e);
        }
    }

    /** The banner with the web console's address after the S3 endpoint (none when the console is off). */
    static String consoleLine(String banner, String consoleUrl) {
        if (consoleUrl == null) return banner;
        int at = banner.indexOf('\n', banner.indexOf("  S3 endpoint: "));
        return banner.substring(0, at + 1) + "  console:     " + consoleUrl + "\n" + banner.substring(at + 1);
    }

    /**
     * What the server prints when ready. The root secret is shown only when it was generated by this
     * start (then with where it is kept); otherwise the banner says where it comes from.
     * {@code website}: the website endpoint (null when not served); {@code selfSignedCa}: the self-signed
     * certificate clients must trust (null when not self-signed).
     */
    static String banner(String shape, URI endpoint, URI website, RootCredentials root, Path data, Path selfSignedCa) {
        Credentials c = root.credentials();
        List<String> lines = new ArrayList<>(List.of("MictlanX " + shape, "  S3 endpoint: " + endpoint));
        if (website != null) {
            lines.add("  website:     " + website);
        }
        lines.add("  access key:  " + c.accessKeyId());
        switch (root.source()) {
            case GENERATED -> {
                lines.add("  secret key:  " + c.secretKey());
                lines.add("  (root credentials generated on first start and kept in " + data.resolve(RootCredentials.FILE_NAME)
                        + "; the secret is not shown again)");
                lines.add("  try:         AWS_ACCESS_KEY_ID=" + c.accessKeyId() + " AWS_SECRET_ACCESS_KEY=" + c.secretKey()
                        + " aws --endpoint-url " + endpoint + (selfSignedCa == null ? "" : " --ca-bundle " + selfSignedCa) + " s3 ls");
            }
            case FILE -> lines.add("  secret key:  kept in " + data.resolve(RootCredentials.FILE_NAME));
            case ENVIRONMENT -> lines.add("  secret key:  as configured (secret-key setting)");
        }
        lines.add("MictlanX ready at " + endpoint);
        return String.join("\n", lines);
    }

    private static KeyStore tls(Settings s, Path data) throws Exception {
        if (s.get("tls-cert").isPresent() || s.get("tls-key").isPresent()) {
            return TlsMaterial.fromPem(Path.of(s.get("tls-cert").orElseThrow(() -> new IllegalArgumentException("--tls-key needs --tls-cert"))),
                    Path.of(s.get("tls-key").orElseThrow(() -> new IllegalArgumentException("--tls-cert needs --tls-key"))));
        }
        if (s.getBoolean("tls-self-signed")) {
            return TlsMaterial.selfSigned(data.resolve("tls"), s.get("base-domain").map(d -> List.of(d, "*." + d)).orElse(List.of()));
        }
        return null;
    }

    static Observability.HealthReport health(Router router) {
        RouterStats stats = router.stats();
        long up = stats.peers().stream().filter(RouterStats.Peer::up).count();
        int n = Math.max(1, Math.min(3, stats.peers().size()));
        boolean ready = up >= (n / 2 + 1);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("peersUp", up);
        detail.put("peers", stats.peers().size());
        detail.put("layoutVersion", stats.layoutVersion());
        return new Observability.HealthReport(true, ready, Json.write(detail));
    }

    /** {@code shutdown-timeout-seconds}: how long a stop waits for requests in flight (default 20 s). */
    static Duration shutdownTimeout(Settings s) {
        int seconds = s.getInt("shutdown-timeout-seconds", (int) HttpFront.DEFAULT_DRAIN.toSeconds());
        if (seconds < 1 || seconds > 3600) throw new IllegalArgumentException("--shutdown-timeout-seconds must be 1..3600");
        return Duration.ofSeconds(seconds);
    }

    /** How long {@link #close()} waits for requests in flight. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** The S3 endpoint as clients should use it. */
    public URI endpoint() {
        return front.endpoint();
    }

    /** The root credentials in force (they change when the root secret is rotated). */
    public Credentials rootCredentials() {
        return root.get();
    }

    public Router router() {
        return router;
    }

    /** Counters of the peers embedded in this process (all-in-one role); empty for other roles. */
    public List<org.mictlanx.peer.api.PeerStats> embeddedPeerStats() {
        return closeables.stream().filter(c -> c instanceof LocalPeer).map(c -> ((LocalPeer) c).stats()).toList();
    }

    /** What to print when the server is ready: endpoint and credentials. */
    public String banner() {
        return banner;
    }

    @Override
    public void close() {
        closeAll(closeables);
    }

    private static void closeAll(List<AutoCloseable> list) {
        for (AutoCloseable c : list) {
            try {
                c.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(MictlanXServer.class).warn("close failed: {}", e.toString());
            }
        }
        list.clear();
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T unchecked(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
