package org.mictlanx.peer.testing;

import org.mictlanx.peer.PeerMain;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer running {@link PeerMain} in a child JVM (same java binary and classpath as the test), on an
 * ephemeral port. {@link #start} returns once the peer printed its listening line.
 */
public final class ChildPeer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("peer (\\S+) listening on (https?://\\S+)");
    private final Process process;
    private final URI uri;

    private ChildPeer(Process process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    public static ChildPeer start(String id, Path data, String secret, long timeoutSeconds) throws Exception {
        return start(id, data, secret, timeoutSeconds, List.of());
    }

    /** Like {@link #start(String, Path, String, long)} with extra {@code PeerMain} options. */
    public static ChildPeer start(String id, Path data, String secret, long timeoutSeconds, List<String> extraArgs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                PeerMain.class.getName(), "--id", id, "--port", "0", "--data", data.toString(), "--secret", secret,
                "--disk-reserve-bytes", "0"));
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<URI> ready = CompletableFuture.supplyAsync(() -> {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        // keep draining stdout so the child never blocks on a full pipe
                        Thread.ofVirtual().start(() -> {
                            try (r) {
                                r.lines().forEach(l -> { });
                            } catch (Exception ignored) {
                                // the child died: nothing more to drain
                            }
                        });
                        return URI.create(m.group(2));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("child peer exited before listening");
        });
        try {
            return new ChildPeer(p, ready.get(timeoutSeconds, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    public URI uri() {
        return uri;
    }

    public Process process() {
        return process;
    }

    /** SIGKILL: no shutdown hook, no flush, no close. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) kill();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
