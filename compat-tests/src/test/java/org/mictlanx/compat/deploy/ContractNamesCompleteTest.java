package org.mictlanx.compat.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The configuration contract names every setting the serving roles read: the names passed to
 * {@code s.get("name")}, {@code getInt}, {@code getBytes}, {@code getBoolean} in the server's start-up
 * code (MictlanXServer, FrontDoorWiring), so a new setting cannot ship without its MICTLANX_ variables.
 */
class ContractNamesCompleteTest {

    private static final Pattern READ = Pattern.compile("\\bs\\.(?:get|getInt|getBytes|getBoolean)\\(\"([a-z0-9-]+)\"");

    @Test
    void everySettingTheServerReadsIsInTheContract() {
        Set<String> read = new TreeSet<>();
        for (String file : new String[] {"server/src/main/java/org/mictlanx/server/MictlanXServer.java",
                "server/src/main/java/org/mictlanx/server/FrontDoorWiring.java"}) {
            Matcher m = READ.matcher(RepoFiles.read(file));
            while (m.find()) read.add(m.group(1));
        }
        assertTrue(read.containsAll(Set.of("port", "peer-urls", "sigv2", "website-port", "cors-allowed-origins")),
                "the scan misses settings, is it broken? " + read);
        Set<String> missing = new TreeSet<>(read);
        missing.removeAll(ContractNames.SETTINGS);
        assertTrue(missing.isEmpty(), "settings read by the server but not in the configuration contract: " + missing);
    }
}
