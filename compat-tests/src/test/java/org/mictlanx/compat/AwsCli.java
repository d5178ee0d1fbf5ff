package org.mictlanx.compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code aws} CLI (found on PATH, as src/test/cli/aws-cli-compat.sh does) against an
 * all-in-one with its root credentials, isolated from the user's own config and credential files.
 * CI installs the CLI when the machine lacks it; without it the calls fail.
 */
public final class AwsCli {

    private final AllInOne store;
    private final Path home;

    /** @param home a scratch directory for the CLI's (absent) config and credential files */
    public AwsCli(AllInOne store, Path home) {
        this.store = store;
        this.home = home;
    }

    /** {@code aws --endpoint-url EP args...}: its stdout bytes; fails with its stderr when it exits non-zero. */
    public byte[] run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("aws", "--endpoint-url", store.endpoint().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("AWS_ACCESS_KEY_ID", AllInOne.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", AllInOne.SECRET_KEY);
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().put("AWS_CONFIG_FILE", home.resolve("aws-config").toString());
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("aws-credentials").toString());
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put("AWS_PAGER", "");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            byte[] out = readAll(p.getInputStream());
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("aws " + String.join(" ", args) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("aws " + String.join(" ", args) + " exited " + p.exitValue() + ": "
                        + new String(err.join(), StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the aws CLI (is it on PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@link #run} as UTF-8 text. */
    public String text(String... args) {
        return new String(run(args), StandardCharsets.UTF_8);
    }

    /** Writes {@code data} to a new file under the scratch directory. */
    public Path file(String name, byte[] data) throws IOException {
        return Files.write(home.resolve(name), data);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
