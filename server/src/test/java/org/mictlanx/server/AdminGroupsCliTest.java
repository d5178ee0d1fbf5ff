package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.server.AdminCliFixture.allInOne;
import static org.mictlanx.server.AdminCliFixture.assertOneLineError;
import static org.mictlanx.server.AdminCliFixture.at;
import static org.mictlanx.server.AdminLifecycleTest.ROOT_ENV;
import static org.mictlanx.server.AdminLifecycleTest.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Groups of users through the admin CLI against a started all-in-one: a policy attached to a group
 * applies to its members (with their own policies, as IAM evaluates them) at once on the router that
 * changed it, and stops applying when the member is removed or the policy detached; a group with
 * members or policies, or a policy attached to a group, cannot be deleted.
 */
class AdminGroupsCliTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private int s3(URI ep, String[] key, String method, String path, String body) throws Exception {
        return MictlanXServerTest.s3(http, ep, key[0], key[1], method, path, body).statusCode();
    }

    @Test
    void aGroupsPoliciesApplyToItsMembers() throws Exception {
        try (MictlanXServer server = allInOne(dir)) {
            URI ep = server.endpoint();
            String[] root = {AdminLifecycleTest.AK, AdminLifecycleTest.SK};
            assertEquals(200, s3(ep, root, "PUT", "/reports", ""));
            assertEquals(200, s3(ep, root, "PUT", "/reports/q1.csv", "1,2,3"));
            var dave = cli(ROOT_ENV, at(ep, "user", "add", "dave"));
            String[] daveKey = {dave.field("access key"), dave.field("secret key")};
            var erin = cli(ROOT_ENV, at(ep, "user", "add", "erin"));
            String[] erinKey = {erin.field("access key"), erin.field("secret key")};
            assertEquals(403, s3(ep, daveKey, "GET", "/reports/q1.csv", ""), "no policy: only its own buckets");

            assertTrue(cli(ROOT_ENV, at(ep, "group", "list")).out().contains("(no groups)"));
            assertEquals(0, cli(ROOT_ENV, at(ep, "group", "add", "analysts")).code());
            assertOneLineError(cli(ROOT_ENV, at(ep, "group", "add", "analysts")), "EntityAlreadyExists");
            assertOneLineError(cli(ROOT_ENV, at(ep, "group", "member", "add", "analysts", "nobody")), "no user nobody");
            assertOneLineError(cli(ROOT_ENV, at(ep, "group", "member", "add", "nogroup", "dave")), "no group nogroup");
            var added = cli(ROOT_ENV, at(ep, "group", "member", "add", "analysts", "dave"));
            assertEquals(0, added.code(), added.err());
            assertTrue(added.out().contains("[\"dave\"]"), added.out());
            var daveShown = cli(ROOT_ENV, at(ep, "user", "show", "dave"));
            assertTrue(daveShown.out().contains("groups:  analysts"), daveShown.out());
            Path doc = dir.resolve("reports.json");
            Files.writeString(doc, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::reports/*\"}]}");
            assertEquals(0, cli(ROOT_ENV, at(ep, "policy", "put", "reports-reader", doc.toString())).code());
            var attached = cli(ROOT_ENV, at(ep, "policy", "attach", "--group", "analysts", "reports-reader"));
            assertEquals(0, attached.code(), attached.err());
            assertTrue(attached.out().contains("to group analysts"), attached.out());
            assertEquals("reports-reader", cli(ROOT_ENV, at(ep, "policy", "group", "analysts")).out().strip());
            var shown = cli(ROOT_ENV, at(ep, "group", "show", "analysts"));
            assertTrue(shown.out().contains("members:  dave") && shown.out().contains("policies: reports-reader"), shown.out());
            var json = cli(ROOT_ENV, at(ep, "--json", "group", "list"));
            assertTrue(json.out().contains("\"name\" : \"analysts\"") && json.out().contains("\"members\" : 1"), json.out());

            assertEquals(200, s3(ep, daveKey, "GET", "/reports/q1.csv", ""), "the group's policy applies to its member");
            assertEquals(403, s3(ep, daveKey, "PUT", "/reports/q2.csv", "x"), "and nothing more");
            assertEquals(403, s3(ep, daveKey, "PUT", "/daves", ""), "a user with policies has what they grant only");
            assertEquals(403, s3(ep, erinKey, "GET", "/reports/q1.csv", ""), "not a member");

            assertOneLineError(cli(ROOT_ENV, at(ep, "policy", "delete", "reports-reader")), "attached to group analysts");
            assertOneLineError(cli(ROOT_ENV, at(ep, "group", "delete", "analysts")), "has members");
            assertEquals(0, cli(ROOT_ENV, at(ep, "group", "member", "remove", "analysts", "dave")).code());
            assertEquals(403, s3(ep, daveKey, "GET", "/reports/q1.csv", ""), "removed: at once on this router");
            assertEquals(200, s3(ep, daveKey, "PUT", "/daves", ""), "no policy any more: the owner default again");
            assertOneLineError(cli(ROOT_ENV, at(ep, "group", "delete", "analysts")), "attached policies");
            assertEquals(0, cli(ROOT_ENV, at(ep, "policy", "detach", "--group", "analysts", "reports-reader")).code());
            assertEquals(0, cli(ROOT_ENV, at(ep, "group", "delete", "analysts")).code());
            assertEquals(0, cli(ROOT_ENV, at(ep, "policy", "delete", "reports-reader")).code());
            assertOneLineError(cli(ROOT_ENV, at(ep, "group", "show", "analysts")), "no group analysts");
            assertEquals(2, cli(ROOT_ENV, at(ep, "group", "member", "add", "analysts")).code(), "wrong usage");
            assertTrue(cli(ROOT_ENV, "group", "--help").out().contains("group member add"));

            // a deleted user leaves its groups
            assertEquals(0, cli(ROOT_ENV, at(ep, "group", "add", "temps")).code());
            assertEquals(0, cli(ROOT_ENV, at(ep, "group", "member", "add", "temps", "erin")).code());
            assertEquals(0, cli(ROOT_ENV, at(ep, "user", "delete", "erin")).code());
            assertTrue(cli(ROOT_ENV, at(ep, "group", "show", "temps")).out().contains("members:  (none)"));
            assertEquals(0, cli(ROOT_ENV, at(ep, "group", "delete", "temps")).code());
        }
    }
}
