package org.mictlanx.compat.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's classpath holds exactly the server's main jar, never its -tests.jar (whose
 * logback-test.xml would win: WARN only, no access log), and a server started from that layout logs at
 * INFO with an access log line per request.
 */
class DistributionLoggingTest {

    private static final String SERVER = "mictlanx-server";
    private final Path root = RepoFiles.root();

    @TempDir
    Path tmp;

    @Test
    void theJarSelectionPicksOnlyTheMainJar() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("target"));
        for (String name : List.of("mictlanx-server-0.1.0-SNAPSHOT-tests.jar", "mictlanx-server-0.1.0-SNAPSHOT.jar",
                "mictlanx-server-0.1.0-SNAPSHOT-sources.jar", "mictlanx-server-0.1.0-SNAPSHOT-javadoc.jar",
                "mictlanx-server-0.1.0-SNAPSHOT-test-sources.jar", "mictlanx-server-extras-1.0.jar", "mictlanx-peer-0.1.0-SNAPSHOT.jar")) {
            Files.writeString(dir.resolve(name), "fake");
        }
        for (String shell : List.of("sh", "bash")) { // the Dockerfile's build stage runs sh, the launcher bash
            Result r = mainJar(shell, dir);
            assertEquals(0, r.exit(), shell + ": " + r.err());
            assertEquals(dir.resolve("mictlanx-server-0.1.0-SNAPSHOT.jar").toString(), r.out().strip(), shell);
        }
        Files.delete(dir.resolve("mictlanx-server-0.1.0-SNAPSHOT.jar"));
        Result none = mainJar("sh", dir);
        assertNotEquals(0, none.exit(), "only a test jar left: no main jar, refused");
        assertTrue(none.err().contains("expected exactly one mictlanx-server-<version>.jar"), none.err());
        Files.writeString(dir.resolve("mictlanx-server-0.1.0.jar"), "fake");
        Files.writeString(dir.resolve("mictlanx-server-0.2.0.jar"), "fake");
        assertNotEquals(0, mainJar("bash", dir).exit(), "two versions: ambiguous, refused");
    }

    @Test
    void theLauncherAndTheImageCopyTheServerJarThroughTheSelection() {
        String launcher = RepoFiles.read("bin/mictlanx");
        assertTrue(launcher.contains(". \"$ROOT/bin/lib/main-jar.sh\""), "the launcher sources the selection");
        assertTrue(launcher.contains("main_jar \"$ROOT/server/target\" " + SERVER), "the launcher copies main_jar's pick");
        assertTrue(launcher.contains("rm -f \"$DIST\"/lib/*-tests.jar"), "the launcher clears test jars of older builds");
        String build = String.join("\n", DockerfileText.parse(RepoFiles.read("Dockerfile")).all("RUN"));
        assertTrue(build.contains(". bin/lib/main-jar.sh") && build.contains("main_jar server/target " + SERVER), build);
        for (String text : List.of(launcher, build)) {
            assertFalse(text.contains(SERVER + "-*.jar"), "no glob that also matches the -tests.jar");
        }
    }

    @Test
    void aServerStartedFromTheDistributionLayoutWritesAnAccessLogLine() throws Exception {
        Path lib = distributionLib();
        try (var files = Files.list(lib)) {
            List<String> testJars = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-tests.jar")).toList();
            assertEquals(List.of(), testJars, "the distribution's classpath holds no test jar");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", tmp.toString());
        env.put("MICTLANX_CLASSPATH", lib.toString()); // a directory: the entrypoint runs java -cp DIR/*, as the launcher does
        env.put("JAVA", ProcessHandle.current().info().command().orElseThrow());
        env.put("MICTLANX_HOST", "127.0.0.1");
        env.put("MICTLANX_PORT", "0");
        env.put("MICTLANX_DATA", Files.createDirectories(tmp.resolve("data")).toString());
        env.put("MICTLANX_ACCESS_KEY", "AKIADISTLOGGING00001");
        env.put("MICTLANX_SECRET_KEY", "dist/logging/secret/0000000000000000000000");
        env.put("MICTLANX_JAVA_OPTS", "-Xmx256m");
        try (ContainerProcess server = ContainerProcess.start("dist", root.resolve("deploy/docker-entrypoint.sh"),
                List.of("all-in-one"), env, tmp)) {
            Matcher ready = server.await(Pattern.compile("MictlanX ready at (\\S+)"), Duration.ofSeconds(90));
            URI endpoint = URI.create(ready.group(1));
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(endpoint.resolve("/health/live")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            server.await(Pattern.compile("INFO .*mictlanx\\.access - .*\"GET /health/live HTTP/1\\.1\" 200"), Duration.ofSeconds(30));
        }
    }

    /**
     * The launcher's layout, built from this build's jars: the server's main jar as main_jar picks it from
     * server/target, plus the other jars of this JVM's classpath (the server's runtime dependencies among
     * them; test jars and class directories left out, as copy-dependencies -DincludeScope=runtime does).
     */
    private Path distributionLib() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("dist/lib"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (!Files.isRegularFile(p) || !name.endsWith(".jar") || name.endsWith("-tests.jar") || name.startsWith(SERVER)) {
                continue;
            }
            Path link = lib.resolve(name);
            if (!Files.exists(link)) Files.createSymbolicLink(link, p.toAbsolutePath());
        }
        Result pick = mainJar("bash", root.resolve("server/target"));
        assertEquals(0, pick.exit(), "build the server module first (reactor: -pl compat-tests -am): " + pick.err());
        Path jar = Path.of(pick.out().strip());
        Files.copy(jar, lib.resolve(jar.getFileName()));
        return lib;
    }

    private record Result(int exit, String out, String err) {
    }

    private Result mainJar(String shell, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(shell, "-c", ". \"$0\" && main_jar \"$1\" " + SERVER,
                root.resolve("bin/lib/main-jar.sh").toString(), dir.toString()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(shell + " main_jar did not finish");
        }
        return new Result(p.exitValue(), out, err);
    }
}
