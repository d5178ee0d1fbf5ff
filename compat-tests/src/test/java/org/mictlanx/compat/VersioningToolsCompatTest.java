package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versioning through the aws CLI ({@code s3api}) and rclone ({@code --s3-versions}) against a real all-in-one. */
class VersioningToolsCompatTest {

    static AllInOne store;
    static AwsCli cli;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path scratch;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        cli = new AwsCli(store, scratch);
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) store.close();
    }

    static JsonNode json(String... args) throws IOException {
        return JSON.readTree(cli.run(args));
    }

    @Test
    void s3apiVersionsAndDeleteMarkers() throws Exception {
        String b = "cli-ver-" + System.nanoTime();
        cli.run("s3api", "create-bucket", "--bucket", b);
        cli.run("s3api", "put-bucket-versioning", "--bucket", b, "--versioning-configuration", "Status=Enabled");
        assertEquals("Enabled", json("s3api", "get-bucket-versioning", "--bucket", b).get("Status").asText());
        Path one = cli.file("one.txt", "one".getBytes(StandardCharsets.UTF_8));
        Path two = cli.file("two.txt", "two".getBytes(StandardCharsets.UTF_8));
        String v1 = json("s3api", "put-object", "--bucket", b, "--key", "k", "--body", one.toString()).get("VersionId").asText();
        String v2 = json("s3api", "put-object", "--bucket", b, "--key", "k", "--body", two.toString()).get("VersionId").asText();
        JsonNode del = json("s3api", "delete-object", "--bucket", b, "--key", "k");
        assertTrue(del.get("DeleteMarker").asBoolean());
        JsonNode list = json("s3api", "list-object-versions", "--bucket", b);
        assertEquals(List.of(v2, v1), ids(list.get("Versions")));
        assertEquals(1, list.get("DeleteMarkers").size());
        assertTrue(list.get("DeleteMarkers").get(0).get("IsLatest").asBoolean());
        Path out = scratch.resolve("got.txt");
        cli.run("s3api", "get-object", "--bucket", b, "--key", "k", "--version-id", v1, out.toString());
        assertEquals("one", Files.readString(out));
        cli.run("s3api", "delete-object", "--bucket", b, "--key", "k", "--version-id", del.get("VersionId").asText());
        cli.run("s3api", "get-object", "--bucket", b, "--key", "k", out.toString());
        assertEquals("two", Files.readString(out), "removing the marker restores the latest version");
    }

    private static List<String> ids(JsonNode versions) {
        List<String> out = new ArrayList<>();
        versions.forEach(v -> out.add(v.get("VersionId").asText()));
        return out;
    }

    @Test
    void rcloneListsAndReadsOldVersions() throws Exception {
        Assumptions.assumeTrue(onPath("rclone"), "rclone is not installed");
        String b = "rclone-ver-" + System.nanoTime();
        cli.run("s3api", "create-bucket", "--bucket", b);
        cli.run("s3api", "put-bucket-versioning", "--bucket", b, "--versioning-configuration", "Status=Enabled");
        cli.run("s3api", "put-object", "--bucket", b, "--key", "doc", "--body",
                cli.file("old.txt", "old".getBytes(StandardCharsets.UTF_8)).toString());
        cli.run("s3api", "put-object", "--bucket", b, "--key", "doc", "--body",
                cli.file("new.txt", "new".getBytes(StandardCharsets.UTF_8)).toString());
        List<String> names = List.of(rclone("lsf", "--s3-versions", "mx:" + b).strip().split("\n"));
        assertEquals(2, names.size(), names.toString());
        assertTrue(names.contains("doc"), names.toString());
        String old = names.stream().filter(n -> !n.equals("doc")).findFirst().orElseThrow();
        assertTrue(old.startsWith("doc-v"), old);
        assertEquals("old", rclone("cat", "--s3-versions", "mx:" + b + "/" + old));
        assertEquals("new", rclone("cat", "mx:" + b + "/doc"));
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    private static String rclone(String... args) throws Exception {
        Path config = scratch.resolve("rclone.conf");
        if (!Files.exists(config)) Files.writeString(config, ""); // the remote comes from the environment
        List<String> cmd = new ArrayList<>(List.of("rclone", "--config", config.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_")); // e.g. an AWS_CA_BUNDLE meant for other tools
        env.put("RCLONE_CONFIG_MX_TYPE", "s3");
        env.put("RCLONE_CONFIG_MX_PROVIDER", "Other");
        env.put("RCLONE_CONFIG_MX_ACCESS_KEY_ID", AllInOne.ACCESS_KEY);
        env.put("RCLONE_CONFIG_MX_SECRET_ACCESS_KEY", AllInOne.SECRET_KEY);
        env.put("RCLONE_CONFIG_MX_ENDPOINT", store.endpoint().toString());
        env.put("RCLONE_CONFIG_MX_REGION", "us-east-1");
        env.put("RCLONE_CONFIG_MX_FORCE_PATH_STYLE", "true");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("rclone did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new AssertionError("rclone " + String.join(" ", args) + " exited " + p.exitValue() + ": " + text);
        return text;
    }
}
