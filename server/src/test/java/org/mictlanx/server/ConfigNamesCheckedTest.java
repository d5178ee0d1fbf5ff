package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config-file keys and {@code MICTLANX_*} variables are checked against the role's known settings: an
 * unknown key in the {@code --config} file refuses the start (one line with a "did you mean", exit 2,
 * nothing written); an unknown variable is a warning line (the start goes on), with a "did you mean" for a
 * near miss; the launchers' own variables are never warned about.
 */
class ConfigNamesCheckedTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err, MictlanXServer server) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Start s = Main.start(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(s.exitCode(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), s.server());
    }

    @Test
    void anUnknownConfigFileKeyRefusesTheStart() throws Exception {
        Path data = dir.resolve("d");
        Path config = Files.writeString(dir.resolve("mictlanx.properties"), "port=0\nreplicaton=1\ndata=" + data + "\n");
        Run typo = run(Map.of(), "all-in-one", "--config", config.toString());
        assertEquals(2, typo.code());
        List<String> lines = typo.err().lines().toList();
        assertEquals("mictlanx all-in-one: unknown setting 'replicaton' in config file " + config + " (did you mean replication?)",
                lines.get(0));
        assertTrue(lines.get(1).startsWith("usage: bin/mictlanx all-in-one"), typo.err());
        assertFalse(Files.exists(data), "nothing written by a refused start");

        // the same through MICTLANX_CONFIG, and a key in the environment's spelling
        Path envStyle = Files.writeString(dir.resolve("env-style.properties"), "MICTLANX_PORT=0\n");
        Run misspelt = run(Map.of("MICTLANX_CONFIG", envStyle.toString()), "server");
        assertEquals(2, misspelt.code());
        assertTrue(misspelt.err().startsWith("mictlanx server: unknown setting 'MICTLANX_PORT' in config file " + envStyle
                + " (did you mean port?)"), misspelt.err());

        // a key of another role, far from every known name: no suggestion
        Path other = Files.writeString(dir.resolve("other.properties"), "peer-urls=p1=http://127.0.0.1:1\n");
        Run wrongRole = run(Map.of(), "all-in-one", "--config", other.toString());
        assertEquals(2, wrongRole.code());
        assertEquals("mictlanx all-in-one: unknown setting 'peer-urls' in config file " + other, wrongRole.err().lines().findFirst().orElseThrow());
    }

    @Test
    void unknownVariablesAreWarnedAboutAndTheStartGoesOn() throws Exception {
        Path config = Files.writeString(dir.resolve("ok.properties"), "host=127.0.0.1\nport=0\n");
        Map<String, String> env = Map.of("MICTLANX_REPLICATON", "1", "MICTLANX_PEER_URLS", "p1=http://127.0.0.1:1",
                "MICTLANX_WRITE_QUORUM_FIL", "/nowhere", "MICTLANX_DATA", dir.resolve("data").toString(),
                "MICTLANX_JAVA_OPTS", "-Xmx1g", "MICTLANX_LOG_LEVEL", "WARN", "MICTLANX_CHUNK_SIZE_FILE", Files.writeString(dir.resolve("cs"), "1MiB").toString(),
                "PATH", "/usr/bin", "HOME", "/root");
        Run run = run(env, "all-in-one", "--config", config.toString());
        try (MictlanXServer server = run.server()) {
            assertEquals(0, run.code(), run.err());
            assertTrue(server != null, run.err());
            assertEquals(List.of(
                    "mictlanx all-in-one: warning: MICTLANX_PEER_URLS is not a setting of this role and is ignored",
                    "mictlanx all-in-one: warning: MICTLANX_REPLICATON is not a setting of this role and is ignored (did you mean MICTLANX_REPLICATION?)",
                    "mictlanx all-in-one: warning: MICTLANX_WRITE_QUORUM_FIL is not a setting of this role and is ignored (did you mean MICTLANX_WRITE_QUORUM?)"),
                    run.err().lines().filter(l -> l.contains("warning")).toList(), run.err());
        }
    }
}
