package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.Test;
import org.mictlanx.xolo.identity.InMemoryMetaTable;
import org.mictlanx.xolo.identity.Principal;
import org.mictlanx.xolo.policy.AccessControl;
import org.mictlanx.xolo.policy.AdminActions;
import org.mictlanx.xolo.policy.PolicyException;
import org.mictlanx.xolo.policy.PolicyParser;
import org.mictlanx.xolo.policy.PolicyStore;

/**
 * The admin route table names a known admin action for every route (root rotation: root only), every
 * admin action is some route's, and {@link AdminAccess} decides them with the policy engine:
 * {@code consoleAdmin} grants all, {@code readwrite} ({@code s3:*}) none, a Deny wins, root has all.
 */
class AdminRoutesTest {

    private static Fields q(String... kv) {
        Fields f = new Fields();
        for (int i = 0; i < kv.length; i += 2) f.add(kv[i], kv[i + 1]);
        return f;
    }

    private static final List<Object[]> ROUTES = List.of(
            new Object[] {"POST", "users", q("name", "u")}, new Object[] {"GET", "users", q()}, new Object[] {"GET", "users", q("name", "u")},
            new Object[] {"DELETE", "users", q("name", "u")}, new Object[] {"POST", "users/disable", q()}, new Object[] {"POST", "users/enable", q()},
            new Object[] {"GET", "keys", q()}, new Object[] {"POST", "keys", q()}, new Object[] {"DELETE", "keys", q()},
            new Object[] {"POST", "keys/disable", q()}, new Object[] {"POST", "keys/enable", q()},
            new Object[] {"GET", "policies", q()}, new Object[] {"GET", "policies", q("name", "p")}, new Object[] {"GET", "policies", q("user", "u")},
            new Object[] {"GET", "policies", q("group", "g")}, new Object[] {"PUT", "policies", q()}, new Object[] {"DELETE", "policies", q()},
            new Object[] {"POST", "policies/attach", q()}, new Object[] {"POST", "policies/detach", q()},
            new Object[] {"GET", "groups", q()}, new Object[] {"GET", "groups", q("name", "g")}, new Object[] {"POST", "groups", q()},
            new Object[] {"DELETE", "groups", q()}, new Object[] {"POST", "groups/members", q()}, new Object[] {"DELETE", "groups/members", q()},
            new Object[] {"POST", "kms", q()}, new Object[] {"GET", "kms", q()}, new Object[] {"GET", "kms", q("id", "k")},
            new Object[] {"POST", "kms/disable", q()}, new Object[] {"POST", "kms/enable", q()}, new Object[] {"POST", "kms/rotate", q()},
            new Object[] {"POST", "kms/schedule-deletion", q()}, new Object[] {"POST", "kms/cancel-deletion", q()},
            new Object[] {"POST", "kms/rewrap-master", q()}, new Object[] {"GET", "kms/rewrap-master", q()},
            new Object[] {"GET", "stats", q()}, new Object[] {"GET", "info", q()}, new Object[] {"GET", "layout", q()},
            new Object[] {"POST", "repair", q()}, new Object[] {"POST", "peers", q()}, new Object[] {"POST", "peers/replace", q()},
            new Object[] {"POST", "peers/drain", q()}, new Object[] {"POST", "peers/remove", q()},
            new Object[] {"GET", "buckets", q()}, new Object[] {"POST", "buckets/quota", q()}, new Object[] {"DELETE", "buckets/quota", q()},
            new Object[] {"POST", "buckets/recount", q()}, new Object[] {"GET", "trace", q()},
            new Object[] {"GET", "notify/targets", q()}, new Object[] {"POST", "notify/targets", q()},
            new Object[] {"DELETE", "notify/targets", q()});

    @Test
    void everyRouteNeedsAKnownActionAndEveryActionHasAUse() {
        Set<String> used = new HashSet<>(Set.of("admin:Prometheus")); // the console's charts
        for (Object[] r : ROUTES) {
            String action = AdminRoutes.action((String) r[0], (String) r[1], (Fields) r[2]);
            assertTrue(action != null && AdminActions.known(action), r[0] + " " + r[1] + " -> " + action);
            used.add(action);
        }
        assertEquals(AdminRoutes.ROOT_ONLY, AdminRoutes.action("POST", "root/rotate", q()));
        assertNull(AdminRoutes.action("GET", "no-such-route", q()));
        assertNull(AdminRoutes.action("DELETE", "info", q()));
        assertEquals(AdminActions.ALL, used, "every admin action is some route's");
    }

    @Test
    void theAuthorizerFollowsPolicies() {
        PolicyStore store = new PolicyStore(new InMemoryMetaTable(), Duration.ZERO);
        AdminAccess access = new AdminAccess(key -> switch (key) {
            case "ROOTKEY" -> Optional.of(new Principal("root", key, true));
            case "ADMINKEY" -> Optional.of(new Principal("admin", key, false));
            case "RWKEY" -> Optional.of(new Principal("rw", key, false));
            case "ONEKEY" -> Optional.of(new Principal("one", key, false));
            default -> Optional.empty();
        }, new AccessControl(store));
        store.users().attach("admin", "consoleAdmin");
        store.users().attach("rw", "readwrite");
        store.users().putPolicy("one", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"admin:List*","Resource":"*"},
                 {"Effect":"Deny","Action":"admin:ListGroups","Resource":"*"}]}""".getBytes(StandardCharsets.UTF_8));
        store.users().attach("one", "one");
        for (String action : AdminActions.ALL) {
            assertTrue(access.allowed("ROOTKEY", action), action);
            assertTrue(access.allowed("ADMINKEY", action), "consoleAdmin: " + action);
            assertFalse(access.allowed("RWKEY", action), "s3:* grants no admin action: " + action);
            assertFalse(access.allowed("NOKEY", action), action);
            assertEquals(action.startsWith("admin:List") && !action.equals("admin:ListGroups"), access.allowed("ONEKEY", action), action);
        }
        assertTrue(access.allowed("ROOTKEY", AdminRoutes.ROOT_ONLY));
        assertFalse(access.allowed("ADMINKEY", AdminRoutes.ROOT_ONLY), "root's own secret stays root's");
    }

    @Test
    void adminActionsAreIdentityPolicyActionsOnStarOnly() {
        PolicyParser parser = new PolicyParser();
        parser.parse(doc("{\"Effect\":\"Allow\",\"Action\":[\"admin:*\",\"kms:List*\"],\"Resource\":\"*\"}"), new PolicyParser.Kind.Identity());
        for (String bad : List.of("{\"Effect\":\"Allow\",\"Action\":\"admin:Nope\",\"Resource\":\"*\"}",
                "{\"Effect\":\"Allow\",\"Action\":\"admin:Zz*\",\"Resource\":\"*\"}",
                "{\"Effect\":\"Allow\",\"Action\":\"admin:ListUsers\",\"Resource\":\"arn:aws:s3:::*\"}",
                "{\"Effect\":\"Allow\",\"Action\":\"admin:List Users\",\"Resource\":\"*\"}")) {
            assertThrows(PolicyException.class, () -> parser.parse(doc(bad), new PolicyParser.Kind.Identity()), bad);
        }
        PolicyException inBucket = assertThrows(PolicyException.class, () -> parser.parse(
                doc("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"admin:ListUsers\",\"Resource\":\"arn:aws:s3:::b\"}"),
                new PolicyParser.Kind.Bucket("b")));
        assertEquals("Policy has invalid action", inBucket.getMessage());
    }

    private static byte[] doc(String statement) {
        return ("{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}").getBytes(StandardCharsets.UTF_8);
    }
}
