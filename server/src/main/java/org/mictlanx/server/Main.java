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
        AdminClient client = new AdminClient(endpoint, ak, sk);
        if (words.size() == 3 && words.get(0).equals("user") && words.get(1).equals("add")) {
            AdminClient.NewUser u = client.addUser(words.get(2));
            out.println("user:       " + u.name());
            out.println("access key: " + u.accessKey());
            out.println("secret key: " + u.secretKey());
            return 0;
        }
        err.println("usage: mictlanx admin [--endpoint URL] user add NAME");
        return 2;
    }

    private static void usage(PrintStream err) {
        err.println("usage: mictlanx all-in-one|server|admin [options]  (bin/mictlanx help)");
    }
}
