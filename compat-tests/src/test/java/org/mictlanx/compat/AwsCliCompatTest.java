package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Runs src/test/cli/aws-cli-compat.sh (aws s3 mb/cp/ls/sync/rm/rb and aws s3api calls) against a
 * real all-in-one. CI installs the aws CLI when the machine lacks it; without it this test fails.
 */
class AwsCliCompatTest {

    @Test
    void awsCliScriptPasses() throws Exception {
        Path work = Files.createTempDirectory("mictlanx-cli");
        try (AllInOne store = AllInOne.start()) {
            ProcessBuilder pb = new ProcessBuilder("bash", Path.of("src/test/cli/aws-cli-compat.sh").toAbsolutePath().toString(),
                    store.endpoint().toString(), work.toString()).redirectErrorStream(true);
            pb.environment().put("AWS_ACCESS_KEY_ID", AllInOne.ACCESS_KEY);
            pb.environment().put("AWS_SECRET_ACCESS_KEY", AllInOne.SECRET_KEY);
            pb.environment().put("AWS_CONFIG_FILE", work.resolve("aws-config").toString());
            pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("aws-credentials").toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
            System.out.println(out);
            assertEquals(0, p.exitValue(), out);
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
