package org.mictlanx.compat.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lib/dist.sh} (what {@code bin/mictlanx dist} runs) builds a tarball with a jlink'ed runtime, the
 * jars and a launcher; unpacked elsewhere it runs with no JDK on PATH and no JAVA_HOME: {@code --help} per
 * role, and an all-in-one that starts, serves and stops on SIGTERM.
 */
class SelfContainedDistTest {

    @TempDir
    Path tmp;

    @Test
    void theTarballRunsWithoutAJdk() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        String jdk = System.getProperty("java.home");
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (name.endsWith(".jar") && !name.endsWith("-tests.jar")) {
                Files.createSymbolicLink(lib.resolve(n++ + "-" + name), p.toAbsolutePath());
            } else if (Files.isDirectory(p) && name.equals("classes") && !entry.contains("compat-tests")) {
                // a reactor module's classes (server, peer...) when not packaged yet: jar them
                run(Map.of(), 120, jdk + "/bin/jar", "--create", "--file", lib.resolve(n++ + "-module.jar").toString(), "-C", entry, ".");
            }
        }
        Path out = Files.createDirectories(tmp.resolve("out"));
        List<String> built = run(Map.of("JAVA_HOME", jdk), 300, "bash", RepoFiles.root().resolve("bin/lib/dist.sh").toString(),
                lib.toString(), out.toString(), "mx");
        assertEquals("exit 0", built.getLast(), built.toString());
        // the runtime's modules as jdeps found them in the jars (the HTTP client, Unsafe users, JDBC-typed APIs...)
        String modules = built.stream().filter(l -> l.startsWith("dist: runtime modules ")).findFirst().orElseThrow(() -> new AssertionError(built.toString()));
        for (String m : List.of("java.base", "java.net.http", "jdk.unsupported", "jdk.management", "jdk.crypto.ec")) {
            assertTrue(("," + modules.substring("dist: runtime modules ".length()) + ",").contains("," + m + ","), modules);
        }
        Path tarball = out.resolve("mx.tar.gz");
        assertTrue(Files.size(tarball) > 1 << 20);

        Path target = Files.createDirectories(tmp.resolve("elsewhere"));
        assertEquals("exit 0", run(Map.of(), 120, "tar", "-C", target.toString(), "-xzf", tarball.toString()).getLast());
        // PATH with a shell and dirname only: no java, no JDK
        Path bin = Files.createDirectories(tmp.resolve("path"));
        for (String tool : List.of("sh", "dirname")) {
            Path real = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
        }
        Map<String, String> bare = Map.of("PATH", bin.toString());
        String launcher = target.resolve("mx/bin/mictlanx").toString();
        List<String> help = run(bare, 60, launcher, "all-in-one", "--help");
        assertEquals("exit 0", help.getLast(), help.toString());
        assertTrue(help.getFirst().startsWith("usage: bin/mictlanx all-in-one"), help.toString());
        List<String> peerHelp = run(bare, 60, launcher, "peer", "--help");
        assertTrue(peerHelp.getFirst().startsWith("usage: bin/mictlanx peer"), peerHelp.toString());
        assertEquals("exit 2", run(bare, 60, launcher, "all-in-one", "--replicaton", "3").getLast());

        ProcessBuilder pb = new ProcessBuilder(launcher, "all-in-one", "--host", "127.0.0.1", "--port", "0", "--data",
                tmp.resolve("data").toString()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(bare);
        Process server = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("MictlanX ready at ")) lines.add(line);
            assertTrue(line != null, "started from the tarball: " + lines);
            server.toHandle().destroy();
            while ((line = r.readLine()) != null) lines.add(line);
        } finally {
            if (!server.waitFor(60, TimeUnit.SECONDS)) server.destroyForcibly();
        }
        assertTrue(lines.contains("MictlanX stopped"), lines.toString());
    }

    /** The module list is computed by jdeps over the jars given: a jar that uses AWT adds java.desktop, one using JDBC java.sql. */
    @Test
    void theModuleListComesFromJdeps() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/x"));
        Files.writeString(src.resolve("UsesSql.java"), "package x; public class UsesSql { Object f() { return java.sql.DriverManager.drivers(); } }");
        Files.writeString(src.resolve("UsesAwt.java"), "package x; public class UsesAwt { Object f() { return new java.awt.Point(1, 2); } }");
        String jdk = System.getProperty("java.home");
        Path classes = tmp.resolve("classes");
        assertEquals("exit 0", run(Map.of(), 120, jdk + "/bin/javac", "-d", classes.toString(), src.resolve("UsesSql.java").toString(),
                src.resolve("UsesAwt.java").toString()).getLast());
        Path sqlOnly = Files.createDirectories(tmp.resolve("sql"));
        assertEquals("exit 0", run(Map.of(), 120, jdk + "/bin/jar", "--create", "--file", sqlOnly.resolve("a.jar").toString(), "-C",
                classes.toString(), "x/UsesSql.class").getLast());
        Path both = Files.createDirectories(tmp.resolve("both"));
        Files.copy(sqlOnly.resolve("a.jar"), both.resolve("a.jar"));
        assertEquals("exit 0", run(Map.of(), 120, jdk + "/bin/jar", "--create", "--file", both.resolve("b.jar").toString(), "-C",
                classes.toString(), "x/UsesAwt.class").getLast());
        String dist = RepoFiles.root().resolve("bin/lib/dist.sh").toString();
        List<String> sql = run(Map.of("JAVA_HOME", jdk), 120, "bash", dist, "--modules", sqlOnly.toString());
        assertEquals("exit 0", sql.getLast(), sql.toString());
        List<String> sqlModules = List.of(sql.get(sql.size() - 2).split(","));
        assertTrue(sqlModules.contains("java.sql") && !sqlModules.contains("java.desktop"), sqlModules.toString());
        List<String> withAwt = run(Map.of("JAVA_HOME", jdk), 120, "bash", dist, "--modules", both.toString());
        assertEquals("exit 0", withAwt.getLast(), withAwt.toString());
        List<String> awtModules = List.of(withAwt.get(withAwt.size() - 2).split(","));
        assertTrue(awtModules.contains("java.sql") && awtModules.contains("java.desktop"), awtModules.toString());
    }

    /** Runs a command to its end; its output lines, then "exit N". */
    private static List<String> run(Map<String, String> env, long seconds, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (env.containsKey("PATH")) pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) lines.add(line);
        }
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            lines.add("timeout");
        } else {
            lines.add("exit " + p.exitValue());
        }
        return lines;
    }
}
