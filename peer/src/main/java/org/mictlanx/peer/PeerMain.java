package org.mictlanx.peer;

import org.mictlanx.peer.http.PeerServer;
import org.mictlanx.peer.http.PeerTls;
import org.mictlanx.peer.http.ReplayCache;
import org.mictlanx.peer.http.RequestSigner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code bin/mictlanx peer --id ID --port PORT --data DIR [--secret S] [--dev] [--max-chunk-bytes N]
 * [--host H] [--disk-reserve-bytes N] [--unlogged-chunk-min-bytes N] [--scrub-bytes-per-second N]
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
 * the real port for 0).
 */
public final class PeerMain {
    public static final String DEV_SECRET = "mictlanx-dev-secret";

    private PeerMain() {
    }

    /** Parsed command line. */
    record Args(String id, int port, Path data, String host, String secret, boolean dev, long maxChunkBytes, long reserve,
                int unloggedChunkMinBytes, long scrubBytesPerSecond, int replayCacheEntries, PeerTls tls) {
    }

    public static void main(String[] argv) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "mictlanx-peer-logback.xml");
        }
        Args args;
        String secret;
        try {
            args = parse(argv, System.getenv());
            secret = secret(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("mictlanx peer: " + e.getMessage());
            System.err.println("usage: bin/mictlanx peer --id ID --port PORT --data DIR [--secret S] [--dev] [--max-chunk-bytes N] [--host H]"
                    + " [--peer-tls-cert PEM --peer-tls-key PEM --peer-tls-ca PEM]");
            System.exit(2);
            return;
        }
        PeerConfig config = PeerConfig.builder(args.id()).dataDir(args.data()).maxChunkBytes(args.maxChunkBytes())
                .diskReserveBytes(args.reserve())
                .unloggedChunkMinBytes(args.unloggedChunkMinBytes()).scrubBytesPerSecond(args.scrubBytesPerSecond()).build();
        LocalPeer peer = LocalPeer.open(config);
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
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            peer.close();
        }, "peer-shutdown"));
        System.out.println("peer " + args.id() + " listening on " + (args.tls() == null ? "http" : "https") + "://" + args.host() + ":" + server.port());
        System.out.flush();
    }

    static Args parse(String[] argv, Map<String, String> env) {
        String id = null, host = "127.0.0.1", secret = null;
        String tlsCert = env.get("MICTLANX_PEER_TLS_CERT"), tlsKey = env.get("MICTLANX_PEER_TLS_KEY"), tlsCa = env.get("MICTLANX_PEER_TLS_CA");
        int replayEntries = ReplayCache.DEFAULT_MAX_ENTRIES;
        Integer port = null;
        Path data = null;
        boolean dev = false;
        long max = PeerConfig.DEFAULT_MAX_CHUNK_BYTES, reserve = 256L << 20;
        int unloggedMin = PeerConfig.DEFAULT_UNLOGGED_CHUNK_MIN_BYTES;
        long scrubRate = PeerConfig.DEFAULT_SCRUB_BYTES_PER_SECOND;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--dev")) {
                dev = true;
                continue;
            }
            if (i + 1 >= argv.length) throw new IllegalArgumentException("missing value for " + a);
            String v = argv[++i];
            try {
                switch (a) {
                    case "--id" -> id = v;
                    case "--port" -> port = Integer.parseInt(v);
                    case "--data" -> data = Path.of(v);
                    case "--host" -> host = v;
                    case "--secret" -> secret = v;
                    case "--max-chunk-bytes" -> max = Long.parseLong(v);
                    case "--disk-reserve-bytes" -> reserve = Long.parseLong(v);
                    case "--unlogged-chunk-min-bytes" -> unloggedMin = Integer.parseInt(v);
                    case "--scrub-bytes-per-second" -> scrubRate = Long.parseLong(v);
                    case "--replay-cache-entries" -> replayEntries = Integer.parseInt(v);
                    case "--peer-tls-cert" -> tlsCert = v;
                    case "--peer-tls-key" -> tlsKey = v;
                    case "--peer-tls-ca" -> tlsCa = v;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number for " + a + ": " + v);
            }
        }
        if (id == null || port == null || data == null) throw new IllegalArgumentException("--id, --port and --data are required");
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
