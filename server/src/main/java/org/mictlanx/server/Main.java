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
        if (args.length == 0) {
            usage(System.err);
            System.exit(2);
        }
        String role = args[0];
        try {
            Settings settings = Settings.parse(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv());
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

    private static void usage(PrintStream err) {
        err.println("usage: mictlanx all-in-one|server|admin [options]  (bin/mictlanx help)");
    }
}
