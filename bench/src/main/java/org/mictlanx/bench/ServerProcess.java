package org.mictlanx.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An S3 server running in its own JVM. Its combined stdout/stderr goes to {@code server.log} in its
 * work directory; the server counts as ready when a line yields an endpoint through
 * {@code readyLine} before the deadline. {@link #close} stops the process (SIGTERM, then SIGKILL
 * after 10 s) and deletes the work directory unless {@code keepDir}.
 */
public final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path workDir;
    private final URI endpoint;
    private final ProcCpu cpu;
    private final boolean keepDir;

    private ServerProcess(String name, Process process, Path workDir, URI endpoint, ProcCpu cpu, boolean keepDir) {
        this.name = name;
        this.process = process;
        this.workDir = workDir;
        this.endpoint = endpoint;
        this.cpu = cpu;
        this.keepDir = keepDir;
    }

    /**
     * Starts {@code command} in {@code workDir} and waits up to {@code startTimeoutSeconds} for
     * {@code readyLine} to map an output line to the endpoint (null for lines that do not announce it).
     */
    public static ServerProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                      Function<String, URI> readyLine, int startTimeoutSeconds,
                                      int ticksPerSecond, boolean keepDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<URI> ready = new CompletableFuture<>();
        Path log = workDir.resolve("server.log");
        Thread pump = new Thread(() -> pump(p, log, readyLine, ready), name + "-log");
        pump.setDaemon(true);
        pump.start();
        try {
            URI endpoint = ready.get(startTimeoutSeconds, TimeUnit.SECONDS);
            return new ServerProcess(name, p, workDir, endpoint, new ProcCpu(p.pid(), ticksPerSecond), keepDir);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            String tail = tail(log);
            throw new IOException(name + " did not start within " + startTimeoutSeconds + " s: "
                    + (e instanceof ExecutionException ee ? ee.getCause().getMessage() : "timeout") + "\n" + tail, e);
        }
    }

    private static void pump(Process p, Path log, Function<String, URI> readyLine, CompletableFuture<URI> ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            for (String line; (line = r.readLine()) != null; ) {
                w.println(line);
                if (!ready.isDone()) {
                    URI u = readyLine.apply(line);
                    if (u != null) ready.complete(u);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IOException("server output ended before it announced its endpoint"));
    }

    private static String tail(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no log)";
        }
    }

    public String name() {
        return name;
    }

    public URI endpoint() {
        return endpoint;
    }

    public ProcCpu cpu() {
        return cpu;
    }

    public long pid() {
        return process.pid();
    }

    public Path workDir() {
        return workDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of the server's output, for error reports. */
    public String logTail() {
        return tail(workDir.resolve("server.log"));
    }

    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (!keepDir) deleteTree(workDir);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
