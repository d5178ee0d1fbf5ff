package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.server.AdminClient.AdminException;

/**
 * Administration by policy against a running all-in-one: a user holding the built-in
 * {@code consoleAdmin} runs the admin API (users, policies, info, kms, trace) and the admin CLI with its
 * own keys but never rotates root's secret; a user without admin policy is refused every route (403
 * naming the action); a policy granting one admin action grants that route only (also through a
 * group); an explicit Deny wins over {@code admin:*}; admin actions are refused in bucket policies,
 * unknown admin actions and admin actions on S3 resources are malformed.
 */
class AdminPolicyAccessTest {

    private static final String AK = "AKIAADMINPOLICYTEST1";
    private static final String SK = "admin/policy/secret/0123456789abcdefghij";
    private static final Map<String, String> ROOT = Map.of("MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK);

    @TempDir
    Path dir;

    private static byte[] doc(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static int status(ThrowingCall call) throws Exception {
        try {
            call.run();
            return 200;
        } catch (AdminException e) {
            return e.status();
        }
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void adminActionsFollowPolicies() throws Exception {
        Settings s = Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1", "--data", dir.toString(),
                "--access-key", AK, "--secret-key", SK}, Map.of());
        try (MictlanXServer server = MictlanXServer.allInOne(s)) {
            URI ep = server.endpoint();
            AdminClient root = new AdminClient(ep, AK, SK);
            AdminClient.NewUser boss = root.addUser("boss");
            AdminClient.NewUser nobody = root.addUser("nobody");
            AdminClient.NewUser lister = root.addUser("lister");
            AdminClient.NewUser member = root.addUser("member");
            root.attachPolicy("boss", "consoleAdmin");

            // The built-in consoleAdmin: every admin route but root's own secret.
            AdminClient b = new AdminClient(ep, boss.accessKey(), boss.secretKey());
            assertTrue(b.listUsers().toString().contains("nobody"));
            assertEquals("made-by-boss", b.addUser("made-by-boss").name());
            assertTrue(b.info().has("peers"));
            b.putPolicy("list-users-only", doc("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"admin:ListUsers","Resource":"*"}]}"""));
            b.attachPolicy("lister", "list-users-only");
            b.listKmsKeys();
            AdminException rotate = assertThrows(AdminException.class, b::rotateRoot);
            assertEquals(403, rotate.status());
            assertEquals("AccessDenied", rotate.code());
            try (Stream<String> trace = b.trace("")) {
                assertTrue(trace.iterator().next().contains("subscribed"), "admin:Trace granted by consoleAdmin");
            }

            // No admin policy: every route refused, naming the action it needs.
            AdminClient n = new AdminClient(ep, nobody.accessKey(), nobody.secretKey());
            AdminException denied = assertThrows(AdminException.class, n::listUsers);
            assertEquals(403, denied.status());
            assertTrue(denied.detail().contains("admin:ListUsers"), denied.detail());
            assertEquals(403, status(n::info));
            assertEquals(403, status(() -> n.addUser("mallory")));
            assertEquals(403, status(n::listKmsKeys));
            assertEquals(403, status(() -> n.trace("").close()));
            assertEquals(403, status(() -> n.attachPolicy("nobody", "consoleAdmin")), "no self-promotion");

            // One action granted: that route only.
            AdminClient l = new AdminClient(ep, lister.accessKey(), lister.secretKey());
            assertTrue(l.listUsers().toString().contains("boss"));
            assertEquals(403, status(() -> l.showUser("boss")), "admin:GetUser is another action");
            assertEquals(403, status(() -> l.addUser("x")));
            assertEquals(403, status(l::info));

            // Through a group.
            root.putPolicy("server-info", doc("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["admin:ServerInfo","admin:List*"],"Resource":"*"}]}"""));
            root.addGroup("ops");
            root.attachGroupPolicy("ops", "server-info");
            root.groupMember("ops", "member", true);
            AdminClient m = new AdminClient(ep, member.accessKey(), member.secretKey());
            assertTrue(m.info().has("peers"));
            m.listGroups();
            assertEquals(403, status(() -> m.addGroup("other")));

            // An explicit Deny wins over admin:*.
            root.putPolicy("no-deletes", doc("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"admin:DeleteUser","Resource":"*"}]}"""));
            root.attachPolicy("boss", "no-deletes");
            assertEquals(403, status(() -> b.deleteUser("made-by-boss")));
            root.detachPolicy("boss", "no-deletes");
            b.deleteUser("made-by-boss");

            // What policies may say about admin actions.
            for (String bad : new String[] {
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"admin:NoSuchThing\",\"Resource\":\"*\"}]}",
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"admin:*\",\"Resource\":\"arn:aws:s3:::*\"}]}",
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Nope*\",\"Resource\":\"*\"}]}"}) {
                AdminException e = assertThrows(AdminException.class, () -> root.putPolicy("bad", doc(bad)));
                assertEquals("MalformedPolicy", e.code(), bad);
            }
            org.mictlanx.xolo.policy.PolicyException inBucket = assertThrows(org.mictlanx.xolo.policy.PolicyException.class,
                    () -> new org.mictlanx.xolo.policy.PolicyParser().parse(doc("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"admin:ListUsers","Resource":"arn:aws:s3:::adm"}]}"""),
                            new org.mictlanx.xolo.policy.PolicyParser.Kind.Bucket("adm")), "admin actions are not bucket policy actions");
            assertEquals("Policy has invalid action", inBucket.getMessage());

            // The admin CLI with the admin-policy user's own keys.
            Map<String, String> bossEnv = Map.of("MICTLANX_ACCESS_KEY", boss.accessKey(), "MICTLANX_SECRET_KEY", boss.secretKey());
            AdminLifecycleTest.Run list = AdminLifecycleTest.cli(bossEnv, "user", "list", "--endpoint", ep.toString());
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().contains("lister"), list.out());
            AdminLifecycleTest.Run info = AdminLifecycleTest.cli(bossEnv, "info", "--endpoint", ep.toString());
            assertEquals(0, info.code(), info.err());
            AdminLifecycleTest.Run refused = AdminLifecycleTest.cli(Map.of("MICTLANX_ACCESS_KEY", nobody.accessKey(),
                    "MICTLANX_SECRET_KEY", nobody.secretKey()), "user", "list", "--endpoint", ep.toString());
            assertEquals(1, refused.code());
            assertEquals("mictlanx admin: only the root user or a user whose policy allows admin:ListUsers may GET "
                    + "/_mictlanx/admin/users (AccessDenied)", refused.err().strip());
            AdminLifecycleTest.Run rootCli = AdminLifecycleTest.cli(ROOT, "policy", "list", "--endpoint", ep.toString());
            assertTrue(rootCli.out().contains("consoleAdmin"), rootCli.out());
        }
    }
}
