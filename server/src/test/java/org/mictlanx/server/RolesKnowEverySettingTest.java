package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every setting the serving roles' code reads is a flag {@link Roles} knows: {@link Main} refuses unknown
 * flags (exit 2), so a setting read but not registered could never be given. The names are scanned from
 * the sources that read the serving roles' {@link Settings} ({@code s.get("name")}, {@code getInt}, ...);
 * the admin command's own options (AdminCli, AdminTargets, AdminProfiles) are not server settings.
 */
class RolesKnowEverySettingTest {

    private static final Pattern READ = Pattern.compile("\\bs\\.(?:get|getInt|getBytes|getBoolean)\\(\"([a-z0-9-]+)\"");
    private static final List<String> SERVING_SOURCES = List.of("MictlanXServer.java", "FrontDoorWiring.java");

    /** Settings of one serving role only; every other setting is known to both. */
    private static final Set<String> ALL_IN_ONE_ONLY = Set.of("peers");
    private static final Set<String> SERVER_ONLY = Set.of("cluster-secret", "peer-urls", "peer-timeout-seconds",
            "peer-tls-cert", "peer-tls-key", "peer-tls-ca");

    static Set<String> namesRead() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String file : SERVING_SOURCES) {
            Matcher m = READ.matcher(Files.readString(Path.of("src/main/java/org/mictlanx/server", file)));
            while (m.find()) names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everySettingReadIsKnownToItsRoles() throws IOException {
        Set<String> read = namesRead();
        for (String expected : List.of("port", "peers", "peer-urls", "sigv2", "cors-allowed-origins", "website-port", "website-domain",
                "shutdown-timeout-seconds")) {
            assertTrue(read.contains(expected), "the scan misses " + expected + ", is it broken? " + read);
        }
        List<String> problems = new ArrayList<>();
        for (String name : read) {
            boolean allInOne = Roles.ALL_IN_ONE.contains(name);
            boolean server = Roles.SERVER.contains(name);
            if (ALL_IN_ONE_ONLY.contains(name) ? !allInOne : SERVER_ONLY.contains(name) ? !server : !(allInOne && server)) {
                problems.add(name + " (all-in-one knows it: " + allInOne + ", server: " + server + ")");
            }
        }
        assertTrue(problems.isEmpty(), "settings read but refused as unknown flags: " + problems);
    }

    @Test
    void roleOnlySettingsAreTheDeclaredOnes() {
        Set<String> onlyAllInOne = new TreeSet<>(Roles.ALL_IN_ONE);
        onlyAllInOne.removeAll(Roles.SERVER);
        Set<String> onlyServer = new TreeSet<>(Roles.SERVER);
        onlyServer.removeAll(Roles.ALL_IN_ONE);
        assertEquals(new TreeSet<>(ALL_IN_ONE_ONLY), onlyAllInOne);
        assertEquals(new TreeSet<>(SERVER_ONLY), onlyServer);
    }

    @Test
    void everyKnownSettingIsInItsRolesHelp() {
        for (String name : Roles.ALL_IN_ONE) {
            assertTrue(Roles.ALL_IN_ONE_HELP.contains("--" + name + " "), "all-in-one --help does not show --" + name);
        }
        for (String name : Roles.SERVER) {
            assertTrue(Roles.SERVER_HELP.contains("--" + name + " "), "server --help does not show --" + name);
        }
    }

    @Test
    void theBrowserSettingsStartAnAllInOneAndATypoIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        Main.Start ok = Main.start(new String[]{"all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", dir.toString(),
                        "--sigv2", "false", "--cors-allowed-origins", "https://console.example", "--website-port", "0",
                        "--website-domain", "web.example"}, java.util.Map.of(),
                new java.io.PrintStream(out), new java.io.PrintStream(err));
        try {
            assertEquals(0, ok.exitCode(), err.toString());
            assertTrue(ok.server().banner().contains("  website:     http"), ok.server().banner());
        } finally {
            if (ok.server() != null) ok.server().close();
        }

        err.reset();
        Main.Start typo = Main.start(new String[]{"all-in-one", "--website-prot", "0"}, java.util.Map.of(),
                new java.io.PrintStream(out), new java.io.PrintStream(err));
        assertEquals(2, typo.exitCode());
        assertTrue(err.toString().contains("unknown option --website-prot (did you mean --website-port?)"), err.toString());
    }
}
