package org.mictlanx.server;

import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the server roles (see {@code bin/mictlanx help}):
 * <ul>
 *   <li>{@code all-in-one}: router, S3 front door and embedded peers in one process;</li>
 *   <li>{@code server}: router and S3 front door over remote peers;</li>
 *   <li>{@code admin}: administrative commands against a running server.</li>
 * </ul>
 * Configuration by flags, environment and config file: see {@link Settings} and the README.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage(System.err);
            System.exit(2);
        }
        String role = args[0];
        Settings settings = Settings.parse(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv());
        try {
            switch (role) {
                case "all-in-one" -> serve(MictlanXServer.allInOne(settings), settings);
                case "server" -> serve(MictlanXServer.server(settings), settings);
                case "admin" -> System.exit(admin(settings, System.out, System.err));
                default -> {
                    usage(System.err);
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("mictlanx: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void serve(MictlanXServer server, Settings settings) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println(server.banner());
        System.out.flush();
        stopped.await();
    }

    /**
     * {@code admin [--endpoint URL] user add NAME}: creates a user and prints its access key and
     * secret. Authenticates as root with MICTLANX_ACCESS_KEY / MICTLANX_SECRET_KEY (or the
     * {@code --access-key} / {@code --secret-key} flags).
     */
    static int admin(Settings settings, PrintStream out, PrintStream err) throws Exception {
        List<String> words = settings.positional();
        URI endpoint = URI.create(settings.get("endpoint", "http://127.0.0.1:" + settings.get("port", "9000")));
        String ak = settings.get("access-key").orElse(null);
        String sk = settings.get("secret-key").orElse(null);
        if (ak == null || sk == null) {
            err.println("mictlanx admin: set MICTLANX_ACCESS_KEY and MICTLANX_SECRET_KEY (root credentials)");
            return 2;
        }
        javax.net.ssl.SSLContext tls = settings.get("ca-cert").map(Main::trusting).orElse(null);
        AdminClient client = new AdminClient(endpoint, ak, sk, tls, FrontDoorWiring.region(settings));
        if (words.size() == 3 && words.get(0).equals("user") && words.get(1).equals("add")) {
            AdminClient.NewUser u = client.addUser(words.get(2));
            out.println("user:       " + u.name());
            out.println("access key: " + u.accessKey());
            out.println("secret key: " + u.secretKey());
            return 0;
        }
        if (words.size() == 1 && List.of("stats", "layout", "repair").contains(words.get(0))) {
            var node = switch (words.get(0)) {
                case "stats" -> client.stats();
                case "layout" -> client.layout();
                default -> client.repairNow();
            };
            out.println(node.toPrettyString());
            return 0;
        }
        if (words.size() >= 3 && words.get(0).equals("peer") && List.of("add", "replace", "drain", "remove").contains(words.get(1))) {
            String action = words.get(1);
            boolean needsUrl = action.equals("add") || action.equals("replace");
            if (needsUrl != (words.size() == 4)) {
                err.println("usage: mictlanx admin peer add|replace ID URL [--zone Z] [--weight W] | peer drain|remove ID");
                return 2;
            }
            out.println(client.changePeers(action, words.get(2), needsUrl ? words.get(3) : null,
                    settings.get("zone").orElse(null), settings.get("weight").orElse(null)).toPrettyString());
            return 0;
        }
        err.println("""
                usage: mictlanx admin [--endpoint URL] [--ca-cert PEM] COMMAND
                  user add NAME                              create a user, print its keys
                  stats | layout | repair                    router statistics, cluster layout, run a repair pass
                  peer add ID URL [--zone Z] [--weight W]    add a storage peer (its share of data moves to it)
                  peer replace ID URL                        point a peer id at a new, e.g. empty, peer
                  peer drain ID                              move a peer's data away, then remove it
                  peer remove ID                             remove a dead peer; repair restores its replicas""");
        return 2;
    }

    /** A TLS context trusting the PEM certificate(s) in {@code file} (e.g. the server's self-signed one). */
    static javax.net.ssl.SSLContext trusting(String file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(file))) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use --ca-cert " + file + ": " + e.getMessage(), e);
        }
    }

    private static void usage(PrintStream err) {
        err.println("usage: mictlanx all-in-one|server|admin [options]  (bin/mictlanx help)");
    }
}
