package org.mictlanx.compat.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One "container": deploy/docker-entrypoint.sh run as a child process with exactly the given environment
 * (nothing inherited) and arguments, its stdout and stderr merged and kept (bounded) for diagnostics.
 */
final class ContainerProcess implements AutoCloseable {
    private final Thread reader;


    private static final int MAX_LINES = 2000;

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(Pattern pattern, CompletableFuture<Matcher> found) {
    }

    private ContainerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        reader = new Thread(this::pump, "out-" + name);
        reader.setDaemon(true);
        reader.start();
        process.onExit().thenRun(() -> {
            synchronized (lines) {
                for (Waiter w : waiters) {
                    w.found().completeExceptionally(new IllegalStateException(name + " exited with " + process.exitValue() + " before printing "
                            + w.pattern() + "; output:\n" + output()));
                }
            }
        });
    }

    /** Starts {@code entrypoint args...} in {@code workDir} with {@code env} as its whole environment. */
    static ContainerProcess start(String name, Path entrypoint, List<String> args, Map<String, String> env, Path workDir) {
        List<String> command = new ArrayList<>();
        command.add(entrypoint.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            return new ContainerProcess(name, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                synchronized (lines) {
                    if (lines.size() < MAX_LINES) lines.add(line);
                    for (Waiter w : waiters) {
                        Matcher m = w.pattern().matcher(line);
                        if (m.find()) w.found().complete(m);
                    }
                }
            }
        } catch (IOException e) {
            // the process went away; onExit reports it
        }
    }

    /** Waits until a line matches (searching lines already printed first); fails on exit or deadline. */
    Matcher await(Pattern pattern, Duration deadline) throws InterruptedException {
        CompletableFuture<Matcher> found = new CompletableFuture<>();
        synchronized (lines) {
            for (String line : lines) {
                Matcher m = pattern.matcher(line);
                if (m.find()) return m;
            }
            if (!process.isAlive()) throw new IllegalStateException(name + " already exited with " + process.exitValue() + ":\n" + output());
            waiters.add(new Waiter(pattern, found));
        }
        try {
            return found.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(name + " printed no " + pattern + " within " + deadline + "; output:\n" + output());
        }
    }

    /** Waits for the process to end by itself; fails at the deadline. */
    int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + deadline + "; output:\n" + output());
        }
        // The process is gone, so its output pipe reaches end of stream: wait until all of it is read.
        reader.join(deadline.toMillis());
        return process.exitValue();
    }

    /** SIGTERM, as docker stop sends it; returns the exit code. */
    int terminate(Duration deadline) throws InterruptedException {
        process.destroy();
        return awaitExit(deadline);
    }

    long pid() {
        return process.pid();
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /**
     * Ends the process and anything it started (a broken entrypoint that forgot to exec leaves its JVM as
     * a child): SIGTERM, then SIGKILL after 20 s.
     */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        children.forEach(c -> c.onExit().completeOnTimeout(c, 20, TimeUnit.SECONDS).join());
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
