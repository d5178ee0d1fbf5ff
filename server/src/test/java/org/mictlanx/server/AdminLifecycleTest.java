package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.server.AdminCliFixture.assertOneLineError;
import static org.mictlanx.server.AdminCliFixture.at;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credentials lifecycle through the admin CLI against a started all-in-one: users listed, shown,
 * disabled, enabled and deleted; keys added, disabled and deleted (rotation); the refusal S3 gives a
 * disabled or deleted key; one-line errors with exit code 1; help for every command.
 */
class AdminLifecycleTest {

    static final String AK = MictlanXServerTest.AK;
    static final String SK = MictlanXServerTest.SK;
    static final Map<String, String> ROOT_ENV = Map.of("MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    /** Output and exit code of one CLI run. */
    record Run(int code, String out, String err) {
        String field(String label) {
            return out.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow(() -> new AssertionError(out)).split(":\\s+", 2)[1].strip();
        }
    }

    static Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.admin(Settings.parse(args, env), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> listBuckets(URI ep, String ak, String sk) throws Exception {
        return MictlanXServerTest.s3(http, ep, ak, sk, "GET", "/", "");
    }

    private static void assertRefusedAsUnknownKey(HttpResponse<String> r) {
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("<Code>InvalidAccessKeyId</Code>"), r.body());
    }

    @Test
    void policiesAreCreatedAttachedAndDetachedThroughTheCli() throws Exception {
        try (MictlanXServer server = AdminCliFixture.allInOne(dir)) {
            URI ep = server.endpoint();
            String list = cli(ROOT_ENV, at(ep, "policy", "list")).out();
            for (String builtIn : List.of("readonly", "readwrite", "writeonly", "home-prefix")) {
                assertTrue(list.contains(builtIn), list);
            }
            assertTrue(cli(ROOT_ENV, at(ep, "policy", "show", "readonly")).out().contains("\"s3:GetObject\""));
            Path doc = dir.resolve("logs.json");
            java.nio.file.Files.writeString(doc, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::logs/*\"}]}");
            assertEquals(0, cli(ROOT_ENV, at(ep, "policy", "put", "logs-reader", doc.toString())).code());
            Path bad = dir.resolve("bad.json");
            java.nio.file.Files.writeString(bad, "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Read\",\"Resource\":\"*\"}]}");
            assertOneLineError(cli(ROOT_ENV, at(ep, "policy", "put", "bad", bad.toString())), "Policy has invalid action (MalformedPolicy)");
            assertOneLineError(cli(ROOT_ENV, at(ep, "policy", "attach", "nobody", "readonly")), "no user nobody");
            cli(ROOT_ENV, at(ep, "user", "add", "carol"));
            assertOneLineError(cli(ROOT_ENV, at(ep, "policy", "attach", "carol", "nope")), "no policy nope");
            Run attached = cli(ROOT_ENV, at(ep, "policy", "attach", "carol", "logs-reader"));
            assertEquals(0, attached.code(), attached.err());
            assertTrue(attached.out().contains("[\"logs-reader\"]"), attached.out());
            assertEquals("logs-reader", cli(ROOT_ENV, at(ep, "policy", "user", "carol")).out().strip());
            assertTrue(cli(ROOT_ENV, at(ep, "user", "show", "carol")).code() == 0);
            assertOneLineError(cli(ROOT_ENV, at(ep, "policy", "delete", "logs-reader")), "attached to user carol");
            assertEquals(0, cli(ROOT_ENV, at(ep, "policy", "detach", "carol", "logs-reader")).code());
            assertEquals(0, cli(ROOT_ENV, at(ep, "policy", "delete", "logs-reader")).code());
            assertOneLineError(cli(ROOT_ENV, at(ep, "policy", "delete", "readonly")), "built in");
            assertEquals(2, cli(ROOT_ENV, at(ep, "policy", "attach", "carol")).code(), "wrong usage");
        }
    }

    @Test
    void usersAndKeysLiveThroughTheirWholeLifecycle() throws Exception {
        try (MictlanXServer server = AdminCliFixture.allInOne(dir)) {
            URI ep = server.endpoint();
            assertTrue(cli(ROOT_ENV, at(ep, "user", "list")).out().contains("no users"));
            Run added = cli(ROOT_ENV, at(ep, "user", "add", "alice"));
            assertEquals(0, added.code(), added.err());
            String oldAk = added.field("access key"), oldSk = added.field("secret key");
            assertEquals(200, MictlanXServerTest.s3(http, ep, oldAk, oldSk, "PUT", "/alices", "").statusCode());

            // rotation: a second key, both work; the old one is disabled, then deleted
            Run second = cli(ROOT_ENV, at(ep, "key", "add", "alice"));
            assertEquals(0, second.code(), second.err());
            String newAk = second.field("access key"), newSk = second.field("secret key");
            assertEquals(200, listBuckets(ep, newAk, newSk).statusCode());
            Run keys = cli(ROOT_ENV, at(ep, "key", "list", "alice"));
            assertTrue(keys.out().contains(oldAk) && keys.out().contains(newAk) && !keys.out().contains(oldSk), keys.out());
            assertEquals(0, cli(ROOT_ENV, at(ep, "key", "disable", "alice", oldAk)).code());
            assertRefusedAsUnknownKey(listBuckets(ep, oldAk, oldSk));
            assertTrue(cli(ROOT_ENV, at(ep, "user", "show", "alice")).out().contains("Inactive"));
            assertEquals(0, cli(ROOT_ENV, at(ep, "key", "enable", "alice", oldAk)).code());
            assertEquals(200, listBuckets(ep, oldAk, oldSk).statusCode());
            Run deleted = cli(ROOT_ENV, at(ep, "key", "delete", "alice", oldAk));
            assertEquals(0, deleted.code(), deleted.err());
            assertRefusedAsUnknownKey(listBuckets(ep, oldAk, oldSk));
            assertEquals(200, listBuckets(ep, newAk, newSk).statusCode());
            assertOneLineError(cli(ROOT_ENV, at(ep, "key", "delete", "alice", oldAk)), "has no access key " + oldAk);

            // disable and enable the whole user
            assertEquals(0, cli(ROOT_ENV, at(ep, "user", "disable", "alice")).code());
            assertRefusedAsUnknownKey(listBuckets(ep, newAk, newSk));
            Run list = cli(ROOT_ENV, at(ep, "user", "list"));
            assertTrue(list.out().matches("(?s)alice\\s+Disabled.*"), list.out());
            assertEquals(0, cli(ROOT_ENV, at(ep, "user", "enable", "alice")).code());
            assertEquals(200, listBuckets(ep, newAk, newSk).statusCode());

            Run show = cli(ROOT_ENV, at(ep, "user", "show", "alice"));
            assertTrue(show.out().contains("status:  Active") && show.out().contains(newAk) && !show.out().contains(newSk), show.out());

            // delete: the key is refused, the bucket stays for root
            assertEquals(0, cli(ROOT_ENV, at(ep, "user", "delete", "alice")).code());
            assertRefusedAsUnknownKey(listBuckets(ep, newAk, newSk));
            assertEquals(200, MictlanXServerTest.s3(http, ep, AK, SK, "HEAD", "/alices", "").statusCode());
            assertOneLineError(cli(ROOT_ENV, at(ep, "user", "show", "alice")), "no user alice");
            assertOneLineError(cli(ROOT_ENV, at(ep, "user", "delete", "alice")), "no user alice");
            assertOneLineError(cli(ROOT_ENV, at(ep, "key", "add", "bob")), "no user bob");

            // root from the settings: the server does not rotate it, and says how
            assertOneLineError(cli(ROOT_ENV, at(ep, "root", "rotate")), "MICTLANX_SECRET_KEY");
            // wrong credentials, a user's credentials
            assertOneLineError(cli(Map.of("MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", "wrong-secret-000000"),
                    at(ep, "user", "list")), "refused the root credentials");
            Run bob = cli(ROOT_ENV, at(ep, "user", "add", "bob"));
            assertOneLineError(cli(Map.of("MICTLANX_ACCESS_KEY", bob.field("access key"), "MICTLANX_SECRET_KEY", bob.field("secret key")),
                    at(ep, "user", "list")), "only the root user");
        }
    }

    @Test
    void rootKeptByTheAllInOneRotatesThroughTheCli() throws Exception {
        try (MictlanXServer server = MictlanXServer.allInOne(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--data", dir.toString()}, Map.of()))) {
            URI ep = server.endpoint();
            String ak = server.rootCredentials().accessKeyId(), oldSk = server.rootCredentials().secretKey();
            Run r = cli(Map.of("MICTLANX_ACCESS_KEY", ak, "MICTLANX_SECRET_KEY", oldSk), at(ep, "root", "rotate"));
            assertEquals(0, r.code(), r.err());
            String newSk = r.field("secret key");
            assertEquals(ak, r.field("access key"));
            assertTrue(r.out().contains(dir.resolve("root-credentials.properties").toString()), r.out());
            assertEquals(403, listBuckets(ep, ak, oldSk).statusCode(), "the old secret is refused at once");
            assertEquals(200, listBuckets(ep, ak, newSk).statusCode());
            assertEquals(newSk, server.rootCredentials().secretKey());
        }
        // the next start uses the rotated secret from the file and does not print it
        try (MictlanXServer again = MictlanXServer.allInOne(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--data", dir.toString()}, Map.of()))) {
            assertEquals(200, listBuckets(again.endpoint(), again.rootCredentials().accessKeyId(), again.rootCredentials().secretKey()).statusCode());
            assertFalse(again.banner().contains(again.rootCredentials().secretKey()), again.banner());
        }
    }

    @Test
    void cliErrorsAreOneLineWithExitCodeOneAndEveryCommandHasHelp() throws Exception {
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0)) {
            closedPort = ss.getLocalPort();
        }
        assertOneLineError(cli(ROOT_ENV, "user", "list", "--endpoint", "http://127.0.0.1:" + closedPort), "cannot connect");
        assertOneLineError(cli(ROOT_ENV, "user", "list", "--endpoint", "http://127.0.0.1:" + closedPort, "--ca-cert",
                dir.resolve("missing.pem").toString()), "cannot use --ca-cert");
        // TLS trust: a self-signed server without --ca-cert
        try (MictlanXServer tls = MictlanXServer.allInOne(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--data", dir.toString(), "--access-key", AK, "--secret-key", SK, "--tls-self-signed"}, Map.of()))) {
            assertOneLineError(cli(ROOT_ENV, "user", "list", "--endpoint", tls.endpoint().toString()), "not trusted (pass --ca-cert");
            Run ok = cli(ROOT_ENV, "user", "list", "--endpoint", tls.endpoint().toString(), "--ca-cert",
                    dir.resolve("tls/self-signed.pem").toString());
            assertEquals(0, ok.code(), ok.err());
        }
        // help: for all, per group, per command; no credentials needed
        Run all = cli(Map.of(), "help");
        assertEquals(0, all.code());
        for (String c : List.of("user list", "user show", "user add", "user delete", "user disable", "user enable", "key list",
                "key add", "key delete", "key disable", "key enable", "root rotate", "stats", "layout", "repair", "peer add")) {
            assertTrue(all.out().contains("  " + c), c + " missing from\n" + all.out());
        }
        Run user = cli(Map.of(), "user", "--help");
        assertEquals(0, user.code());
        assertTrue(user.out().contains("user disable") && !user.out().contains("key add"), user.out());
        Run keyDelete = cli(Map.of(), "key", "delete", "-h");
        assertTrue(keyDelete.out().contains("key delete NAME ACCESS_KEY") && !keyDelete.out().contains("key add"), keyDelete.out());
        assertTrue(cli(Map.of(), "--help", "root").out().contains("root rotate"));
        // wrong usage: the command's usage, exit 2
        Run wrong = cli(ROOT_ENV, "key", "delete", "alice");
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("key delete NAME ACCESS_KEY"), wrong.err());
        assertEquals(2, cli(ROOT_ENV, "frobnicate").code());
    }
}
