package org.mictlanx.server;

import java.io.PrintStream;
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
        if (args.length > 0 && args[0].equals("peer")) {
            org.mictlanx.peer.PeerMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Start start = start(args, System.getenv(), System.out, System.err);
        if (start.server() == null) {
            System.exit(start.exitCode());
        }
        serve(start.server(), start.settings());
    }

    /** What {@link #start} did: a running server, or an exit code (help shown, usage error, refused start, admin command run). */
    record Start(MictlanXServer server, Settings settings, int exitCode) {
    }

    /**
     * Parses the role and its settings and starts it. Help goes to {@code out} (exit 0); an unknown role or
     * flag is one line and the usage on {@code err} (exit 2); a bad or contradictory setting ({@code --replication}
     * above the peers) is one line (exit 2); a start refused by the environment (port in use, data directory not
     * writable or in use) is one line on {@code err} (exit 1). Nothing is written before these checks pass.
     */
    static Start start(String[] args, java.util.Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).println(Roles.USAGE);
            return new Start(null, null, args.length == 0 ? 2 : 0);
        }
        String role = args[0];
        String help = switch (role) {
            case "all-in-one" -> Roles.ALL_IN_ONE_HELP;
            case "server" -> Roles.SERVER_HELP;
            case "admin" -> "";
            default -> null;
        };
        if (help == null) {
            err.println("mictlanx: unknown role '" + role + "'");
            err.println(Roles.USAGE);
            return new Start(null, null, 2);
        }
        Settings settings;
        try {
            settings = Settings.parse(java.util.Arrays.copyOfRange(args, 1, args.length), env);
            if (role.equals("admin")) return new Start(null, settings, admin(settings, out, err));
            if (settings.helpAsked()) {
                out.println(help);
                return new Start(null, settings, 0);
            }
            java.util.List<String> known = role.equals("server") ? Roles.SERVER : Roles.ALL_IN_ONE;
            settings.requireKnown(known);
            for (String warning : settings.unknownEnvironment(known)) err.println("mictlanx " + role + ": warning: " + warning);
            if (!settings.positional().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument '" + settings.positional().get(0) + "'");
            }
        } catch (IllegalArgumentException e) {
            err.println("mictlanx " + role + ": " + e.getMessage());
            err.println(help.lines().findFirst().orElse("") + "  (bin/mictlanx " + role + " --help)");
            return new Start(null, null, 2);
        }
        try {
            return new Start(role.equals("server") ? MictlanXServer.server(settings) : MictlanXServer.allInOne(settings), settings, 0);
        } catch (IllegalArgumentException e) {
            err.println("mictlanx " + role + ": " + e.getMessage());
            return new Start(null, settings, 2);
        } catch (org.mictlanx.peer.cli.Preflight.Refused e) {
            err.println("mictlanx " + role + ": " + e.getMessage());
            return new Start(null, settings, 1);
        }
    }

    private static void serve(MictlanXServer server, Settings settings) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("MictlanX stopping: no new connections, finishing requests in flight (up to "
                    + server.shutdownTimeout().toSeconds() + " s)");
            System.out.flush();
            server.close();
            System.out.println("MictlanX stopped");
            System.out.flush();
            stopped.countDown();
        }, "shutdown"));
        System.out.println(server.banner());
        System.out.flush();
        stopped.await();
    }

    /** {@code admin ...}: see {@link AdminCli}; returns the exit code. */
    static int admin(Settings settings, PrintStream out, PrintStream err) {
        return AdminCli.run(settings, out, err);
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
}
