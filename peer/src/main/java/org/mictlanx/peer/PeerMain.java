package org.mictlanx.peer;

import org.mictlanx.peer.http.PeerServer;
import org.mictlanx.peer.http.PeerTls;
import org.mictlanx.peer.http.ReplayCache;
import org.mictlanx.peer.http.RequestSigner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mictlanx.peer.store.StoreRebuild;
import java.util.Map;

/**
 * {@code bin/mictlanx peer --id ID --port PORT --data DIR [--secret S] [--dev] [--max-chunk-bytes N]
 * [--host H (default 0.0.0.0)] [--disk-reserve-bytes N] [--unlogged-chunk-min-bytes N] [--scrub-bytes-per-second N]
 * [--replay-cache-entries N] [--peer-tls-cert PEM --peer-tls-key PEM --peer-tls-ca PEM]}
 * ({@code --unlogged-chunk-min-bytes}: see {@link PeerConfig#unloggedChunkMinBytes()}; default 4 MiB,
 * {@code 2147483647} turns it off; {@code --scrub-bytes-per-second}: see
 * {@link PeerConfig#scrubBytesPerSecond()}, default 2 MiB/s, 0 turns the background scrub off;
 * {@code --replay-cache-entries}: see {@link ReplayCache}, default 1048576).
 *
 * <p>With the three {@code --peer-tls-*} options (or {@code MICTLANX_PEER_TLS_CERT}, {@code _KEY},
 * {@code _CA}) the peer serves HTTPS and requires a client certificate signed by the cluster CA
 * ({@link PeerTls}); all three or none. The data directory is created owner-only (0700, files 0600).
 *
 * <p>The cluster secret comes from {@code --secret}, else {@code MICTLANX_CLUSTER_SECRET}, else the
 * file named by {@code MICTLANX_CLUSTER_SECRET_FILE}. Without one the peer refuses to start unless
 * {@code --dev} is given (then it uses the well-known secret {@value #DEV_SECRET}). When serving it
 * prints exactly one line {@code peer ID listening on http://HOST:PORT} ({@code https://} with TLS;
 * the real port for 0; for the wildcard host the loopback address, followed by {@code (all interfaces)}).
 * Settings are parsed by the shared {@link org.mictlanx.peer.cli.CommandSettings}: {@code --name=value},
 * {@code MICTLANX_*} variables and {@code --config} work as for the other roles; an unknown flag exits 2.
 */
public final class PeerMain {
    public static final String DEV_SECRET = "mictlanx-dev-secret";

    private PeerMain() {
    }

    /** Parsed command line. */
    record Args(String id, int port, Path data, String host, String secret, boolean dev, long maxChunkBytes, long reserve,
                int unloggedChunkMinBytes, long scrubBytesPerSecond, int replayCacheEntries, PeerTls tls) {
    }

    /** The settings the peer role knows; any other flag is refused. */
    static final java.util.List<String> KNOWN = java.util.List.of("id", "port", "data", "host", "secret", "cluster-secret", "dev",
            "max-chunk-bytes", "disk-reserve-bytes", "unlogged-chunk-min-bytes", "scrub-bytes-per-second", "replay-cache-entries",
            "peer-tls-cert", "peer-tls-key", "peer-tls-ca", "repair-store");

    /** {@code bin/mictlanx peer --help}. */
    static final String USAGE = """
            usage: bin/mictlanx peer --id ID --port PORT --data DIR [options]
            A storage peer. Every option may also be given as --name=value, as MICTLANX_NAME (upper snake case,
            e.g. MICTLANX_PORT), as MICTLANX_NAME_FILE (a file holding the value) or in a --config file (name=value).
              --id ID                        this peer's id in the cluster layout (required)
              --port PORT                    listening port, 0 for any free one (required)
              --data DIR                     data directory, created owner-only (required)
              --host HOST                    address to bind (default 0.0.0.0: every interface)
              --secret S                     cluster secret (or --cluster-secret, MICTLANX_CLUSTER_SECRET[_FILE])
              --dev                          without a secret, use the well-known development secret
              --max-chunk-bytes N            largest chunk accepted (default 64 MiB)
              --disk-reserve-bytes N         refuse writes when free disk falls below this (default 256 MiB)
              --unlogged-chunk-min-bytes N   chunks this large skip the write-ahead log (default 4 MiB)
              --scrub-bytes-per-second N     background scrub rate, 0 turns it off (default 2 MiB/s)
              --replay-cache-entries N       nonces remembered against replays (default 1048576)
              --peer-tls-cert PEM --peer-tls-key PEM --peer-tls-ca PEM   mutual TLS (all three or none)
              --config FILE                  settings file (Java properties)
            usage: bin/mictlanx peer --data DIR --repair-store
              rebuilds a damaged store offline (the peer stopped): moves its files to DIR/damaged-<time>, copies
              what still reads with checksums verified into a fresh store, prints what was lost; start the peer
              again and the routers refill the rest (docs/operations.md, "A damaged metadata file")""";

    public static void main(String[] argv) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "mictlanx-peer-logback.xml");
        }
        if (org.mictlanx.peer.cli.CommandSettings.parse(argv, java.util.Map.of()).helpAsked()) {
            System.out.println(USAGE);
            return;
        }
        if (argv.length > 0 && java.util.Arrays.stream(argv).anyMatch(a -> a.equals("--repair-store") || a.startsWith("--repair-store="))) {
            System.exit(repairStore(argv, System.getenv()));
            return;
        }
        Args args;
        String secret;
        try {
            args = parse(argv, System.getenv());
            secret = secret(args, System.getenv());
            for (String warning : org.mictlanx.peer.cli.CommandSettings.parse(argv, System.getenv()).unknownEnvironment(KNOWN)) {
                System.err.println("mictlanx peer: warning: " + warning);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("mictlanx peer: " + e.getMessage());
            System.err.println("usage: bin/mictlanx peer --id ID --port PORT --data DIR [options]  (bin/mictlanx peer --help)");
            System.exit(2);
            return;
        }
        org.mictlanx.peer.cli.Preflight.DataDirLock lock;
        LocalPeer peer;
        try {
            // Before anything is written: a taken port or a data directory in use fails here, with one line.
            org.mictlanx.peer.cli.Preflight.portFree(args.host(), args.port());
            lock = org.mictlanx.peer.cli.Preflight.lockDataDir(args.data().toAbsolutePath().normalize());
        } catch (org.mictlanx.peer.cli.Preflight.Refused e) {
            System.err.println("mictlanx peer: " + e.getMessage());
            System.exit(1);
            return;
        }
        PeerConfig config = PeerConfig.builder(args.id()).dataDir(args.data()).maxChunkBytes(args.maxChunkBytes())
                .diskReserveBytes(args.reserve())
                .unloggedChunkMinBytes(args.unloggedChunkMinBytes()).scrubBytesPerSecond(args.scrubBytesPerSecond()).build();
        peer = LocalPeer.open(config);
        PeerServer server;
        try {
            server = PeerServer.start(peer, new RequestSigner(secret), args.host(), args.port(), args.tls(), args.replayCacheEntries());
        } catch (IllegalArgumentException e) {
            peer.close();
            System.err.println("mictlanx peer: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            peer.close();
            System.err.println("mictlanx peer: " + e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("peer " + args.id() + " stopping: finishing requests in flight");
            System.out.flush();
            server.close();
            peer.close();
            try {
                lock.close();
            } catch (IOException ignored) {
                // the process is ending: the OS releases the lock anyway
            }
            System.out.println("peer " + args.id() + " stopped");
            System.out.flush();
        }, "peer-shutdown"));
        boolean wildcard = args.host().equals("0.0.0.0") || args.host().equals("::");
        System.out.println("peer " + args.id() + " listening on " + (args.tls() == null ? "http" : "https") + "://"
                + (wildcard ? "127.0.0.1" : args.host()) + ":" + server.port() + (wildcard ? " (all interfaces)" : ""));
        System.out.flush();
    }

    /**
     * {@code --repair-store}: rebuilds the store under {@code --data} offline ({@link StoreRebuild}) while
     * holding the data directory lock (a running peer refuses it). Exit 0 when the damaged store could be
     * read (even partly), 1 when not (the fresh store is then empty: the routers refill all of it), 2 on
     * bad usage.
     */
    static int repairStore(String[] argv, Map<String, String> env) {
        Path data;
        long reserve;
        try {
            var s = org.mictlanx.peer.cli.CommandSettings.parse(argv, env);
            s.requireKnown(KNOWN);
            data = Path.of(s.get("data").orElseThrow(() -> new IllegalArgumentException("--data is required")));
            reserve = s.getLong("disk-reserve-bytes", 256L << 20);
        } catch (IllegalArgumentException e) {
            System.err.println("mictlanx peer: " + e.getMessage());
            System.err.println("usage: bin/mictlanx peer --data DIR --repair-store");
            return 2;
        }
        Path dir = data.toAbsolutePath().normalize();
        if (!java.nio.file.Files.isDirectory(dir)) {
            System.err.println("mictlanx peer: no data directory " + dir);
            return 2;
        }
        try (var lock = org.mictlanx.peer.cli.Preflight.lockDataDir(dir)) {
            StoreRebuild.Report r = StoreRebuild.rebuild(dir, org.mictlanx.peer.cli.Preflight.LOCK_FILE, reserve);
            System.out.println("store files moved to " + r.setAside() + " (inspect, then delete them)");
            if (r.openError() != null) {
                System.out.println("the damaged store could not be opened (" + r.openError() + "): the fresh store is empty");
            }
            for (StoreRebuild.Family f : r.families()) {
                System.out.printf("%-10s %d entries (%d bytes) copied%s%n", f.name(), f.copied(), f.bytes(),
                        f.damage().isEmpty() ? ", read to the end" : "; damage skipped: " + String.join("; ", f.damage()));
            }
            System.out.println((r.complete() ? "nothing was lost" : "what was not copied is refilled by the routers")
                    + ": start the peer; its new store identity makes every router run a full repair pass");
            return r.openError() == null ? 0 : 1;
        } catch (org.mictlanx.peer.cli.Preflight.Refused e) {
            System.err.println("mictlanx peer: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("mictlanx peer: store rebuild failed: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Parses the peer's settings with the shared parser ({@link org.mictlanx.peer.cli.CommandSettings}):
     * flags ({@code --name value} or {@code --name=value}), {@code MICTLANX_*} variables, a config file.
     * An unknown flag is refused.
     */
    static Args parse(String[] argv, Map<String, String> env) {
        var s = org.mictlanx.peer.cli.CommandSettings.parse(argv, env);
        s.requireKnown(KNOWN);
        if (!s.positional().isEmpty()) throw new IllegalArgumentException("unexpected argument '" + s.positional().get(0) + "'");
        String id = s.get("id").orElse(null);
        String portText = s.get("port").orElse(null);
        String dataText = s.get("data").orElse(null);
        if (id == null || portText == null || dataText == null) throw new IllegalArgumentException("--id, --port and --data are required");
        int port = s.getInt("port", 0);
        Path data = Path.of(dataText);
        String host = s.get("host", "0.0.0.0");
        String secret = s.get("secret").or(() -> s.get("cluster-secret")).orElse(null);
        boolean dev = s.getBoolean("dev");
        long max = s.getLong("max-chunk-bytes", PeerConfig.DEFAULT_MAX_CHUNK_BYTES);
        long reserve = s.getLong("disk-reserve-bytes", 256L << 20);
        int unloggedMin = s.getInt("unlogged-chunk-min-bytes", PeerConfig.DEFAULT_UNLOGGED_CHUNK_MIN_BYTES);
        long scrubRate = s.getLong("scrub-bytes-per-second", PeerConfig.DEFAULT_SCRUB_BYTES_PER_SECOND);
        int replayEntries = s.getInt("replay-cache-entries", ReplayCache.DEFAULT_MAX_ENTRIES);
        String tlsCert = s.get("peer-tls-cert").orElse(null), tlsKey = s.get("peer-tls-key").orElse(null), tlsCa = s.get("peer-tls-ca").orElse(null);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port " + port);
        if (unloggedMin < 1) throw new IllegalArgumentException("bad --unlogged-chunk-min-bytes " + unloggedMin);
        if (scrubRate < 0) throw new IllegalArgumentException("bad --scrub-bytes-per-second " + scrubRate);
        if (replayEntries < 1) throw new IllegalArgumentException("bad --replay-cache-entries " + replayEntries);
        PeerTls tls = null;
        boolean anyTls = blank(tlsCert) + blank(tlsKey) + blank(tlsCa) < 3;
        if (anyTls) {
            if (blank(tlsCert) + blank(tlsKey) + blank(tlsCa) > 0) {
                throw new IllegalArgumentException("peer TLS needs all of --peer-tls-cert, --peer-tls-key and --peer-tls-ca");
            }
            tls = new PeerTls(Path.of(tlsCert), Path.of(tlsKey), Path.of(tlsCa));
        }
        return new Args(id, port, data, host, secret, dev, max, reserve, unloggedMin, scrubRate, replayEntries, tls);
    }

    private static int blank(String s) {
        return s == null || s.isBlank() ? 1 : 0;
    }

    /** The cluster secret by precedence; IllegalArgumentException when none and not in dev mode. */
    static String secret(Args args, Map<String, String> env) {
        if (args.secret() != null && !args.secret().isEmpty()) return args.secret();
        String s = env.get("MICTLANX_CLUSTER_SECRET");
        if (s != null && !s.isEmpty()) return s;
        String file = env.get("MICTLANX_CLUSTER_SECRET_FILE");
        if (file != null && !file.isEmpty()) {
            try {
                String fromFile = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                if (!fromFile.isEmpty()) return fromFile;
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read MICTLANX_CLUSTER_SECRET_FILE " + file + ": " + e.getMessage());
            }
        }
        if (args.dev()) {
            System.err.println("mictlanx peer: DEV MODE, using the well-known secret '" + DEV_SECRET + "'; never use in production");
            return DEV_SECRET;
        }
        throw new IllegalArgumentException("no cluster secret: pass --secret, set MICTLANX_CLUSTER_SECRET or "
                + "MICTLANX_CLUSTER_SECRET_FILE, or start with --dev");
    }
}
