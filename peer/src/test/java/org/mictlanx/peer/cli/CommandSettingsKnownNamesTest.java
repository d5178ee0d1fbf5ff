package org.mictlanx.peer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CommandSettings#requireKnown} covers the config file's keys; {@link CommandSettings#unknownEnvironment} the variables. */
class CommandSettingsKnownNamesTest {

    private static final List<String> KNOWN = List.of("id", "port", "data", "host", "replay-cache-entries", "cluster-secret");

    @TempDir
    Path dir;

    @Test
    void configFileKeysAreCheckedLikeFlags() throws Exception {
        Path file = Files.writeString(dir.resolve("peer.properties"), "id=p1\nport=0\nreplay-cache-entrys=10\n");
        CommandSettings s = CommandSettings.parse(new String[] {"--config", file.toString()}, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.requireKnown(KNOWN));
        assertEquals("unknown setting 'replay-cache-entrys' in config file " + file + " (did you mean replay-cache-entries?)", e.getMessage());
        // flags are checked first, in name order
        CommandSettings both = CommandSettings.parse(new String[] {"--config", file.toString(), "--prot", "1"}, Map.of());
        assertEquals("unknown option --prot (did you mean --port?)",
                assertThrows(IllegalArgumentException.class, () -> both.requireKnown(KNOWN)).getMessage());
        Path ok = Files.writeString(dir.resolve("ok.properties"), "# comment\nid=p1\nport=0\n");
        CommandSettings.parse(new String[] {"--config", ok.toString()}, Map.of()).requireKnown(KNOWN);
        CommandSettings viaEnv = CommandSettings.parse(new String[0], Map.of("MICTLANX_CONFIG", file.toString()));
        assertThrows(IllegalArgumentException.class, () -> viaEnv.requireKnown(KNOWN));
    }

    @Test
    void unknownVariablesAreWarningsWithANearMiss() {
        Map<String, String> env = Map.of("MICTLANX_PORT", "1", "MICTLANX_CLUSTER_SECRET_FILE", "/s", "MICTLANX_CLUSTR_SECRET", "x",
                "MICTLANX_PEER_ID", "p1", "MICTLANX_CONFIG_DIR_UNRELATED", "x", "MICTLANX_JAVA_OPTS", "-Xmx1g",
                "MICTLANX_REPLAY_CACHE_ENTRIES_FILE", "/f", "MICTLANX_HOTS_FILE", "/h", "OTHER_PORT", "2");
        List<String> warnings = CommandSettings.parse(new String[0], env).unknownEnvironment(KNOWN);
        assertEquals(List.of(
                "MICTLANX_CLUSTR_SECRET is not a setting of this role and is ignored (did you mean MICTLANX_CLUSTER_SECRET?)",
                "MICTLANX_CONFIG_DIR_UNRELATED is not a setting of this role and is ignored",
                "MICTLANX_HOTS_FILE is not a setting of this role and is ignored (did you mean MICTLANX_HOST_FILE?)"), warnings);
    }
}
