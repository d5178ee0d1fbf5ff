package org.mictlanx.peer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.PeerMain;
import org.mictlanx.peer.testing.ChildPeer;

/** The peer role's start-up refusals, each one line, with nothing written, in a child JVM as an operator runs it. */
class PreflightTest {

    @TempDir
    Path dir;

    private static List<String> runPeer(String... args) throws Exception {
        return runPeer(java.util.Map.of(), args);
    }

    private static List<String> runPeer(java.util.Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), PeerMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) lines.add(line);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        lines.add("exit " + p.exitValue());
        return lines;
    }

    @Test
    void aTakenPortIsOneLineBeforeAnyDataIsWritten() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Path data = dir.resolve("p");
            List<String> out = runPeer("--id", "p1", "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()), "--data", data.toString(), "--dev");
            assertEquals("exit 1", out.getLast(), out.toString());
            assertTrue(out.stream().anyMatch(l -> l.startsWith("mictlanx peer: port " + taken.getLocalPort() + " on 127.0.0.1 is in use")), out.toString());
            assertTrue(Files.notExists(data), "nothing written");
        }
    }

    @Test
    void aDataDirectoryHeldByAnotherPeerIsOneLine() throws Exception {
        Path data = dir.resolve("held");
        try (ChildPeer first = ChildPeer.start("p1", data, "s3cret", 60)) {
            List<String> out = runPeer("--id", "p2", "--host", "127.0.0.1", "--port", "0", "--data", data.toString(), "--secret", "s3cret");
            assertEquals("exit 1", out.getLast(), out.toString());
            assertTrue(out.stream().anyMatch(l -> l.contains("is in use by another MictlanX process")), out.toString());
        }
    }

    @Test
    void unknownFlagExitsTwoAndHelpExitsZero() throws Exception {
        List<String> bad = runPeer("--id", "p1", "--port", "0", "--data", dir.toString(), "--hots", "x");
        assertEquals("exit 2", bad.getLast(), bad.toString());
        assertTrue(bad.getFirst().startsWith("mictlanx peer: unknown option --hots (did you mean --host?)"), bad.toString());
        List<String> help = runPeer("--help");
        assertEquals("exit 0", help.getLast());
        assertTrue(help.getFirst().startsWith("usage: bin/mictlanx peer"), help.toString());
    }

    @Test
    void aConfigFileTypoExitsTwoAndAVariableTypoIsAWarning() throws Exception {
        Path config = Files.writeString(dir.resolve("peer.properties"), "hots=127.0.0.1\n");
        List<String> bad = runPeer("--id", "p1", "--port", "0", "--data", dir.toString(), "--config", config.toString());
        assertEquals("exit 2", bad.getLast(), bad.toString());
        assertEquals("mictlanx peer: unknown setting 'hots' in config file " + config + " (did you mean host?)", bad.getFirst());
        // the warning comes before the start goes on (here to a refusal: the data directory is a file)
        Path file = Files.writeString(dir.resolve("f"), "x");
        List<String> warned = runPeer(java.util.Map.of("MICTLANX_SCRUB_BYTES_PER_SECONDS", "0"),
                "--id", "p1", "--port", "0", "--data", file.resolve("d").toString(), "--dev");
        assertEquals("exit 1", warned.getLast(), warned.toString());
        assertTrue(warned.contains("mictlanx peer: warning: MICTLANX_SCRUB_BYTES_PER_SECONDS is not a setting of this role and is ignored"
                + " (did you mean MICTLANX_SCRUB_BYTES_PER_SECOND?)"), warned.toString());
    }

    @Test
    void notWritableIsOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Preflight.Refused e = assertThrows(Preflight.Refused.class, () -> Preflight.lockDataDir(file.resolve("d")));
        assertTrue(e.getMessage().startsWith("data directory " + file.resolve("d") + " is not writable"), e.getMessage());
        try (Preflight.DataDirLock lock = Preflight.lockDataDir(dir.resolve("ok"))) {
            assertTrue(Files.exists(dir.resolve("ok").resolve(Preflight.LOCK_FILE)));
        }
    }
}
