package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signature Version 2 from the tools that still sign with it, against a real all-in-one: the aws CLI v1
 * with {@code signature_version = s3} in its profile (cp up and down, ls, rm with header auth; a
 * {@code presign} URL fetched with a plain HTTP client) and s3cmd with {@code signature_v2 = True}
 * (put, get, ls, del, signurl). s3cmd is skipped only where it is not installed locally; in CI
 * ({@code CI=true}, where .ci/run installs it) it must be there.
 */
class SigV2CliCompatTest {

    private static AllInOne store;
    private static Path home;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        home = Files.createTempDirectory("mictlanx-sigv2-cli");
        Files.writeString(home.resolve("aws-config"), "[default]\nsignature_version = s3\n");
        Files.writeString(home.resolve("s3cfg"), "[default]\naccess_key = " + AllInOne.ACCESS_KEY + "\nsecret_key = "
                + AllInOne.SECRET_KEY + "\nhost_base = 127.0.0.1:" + store.port() + "\nhost_bucket = 127.0.0.1:"
                + store.port() + "\nuse_https = False\nsignature_v2 = True\nbucket_location = us-east-1\n"
                + "check_ssl_certificate = False\n");
        try (var root = store.rootClient()) {
            root.createBucket(r -> r.bucket("v2-cli"));
            root.putObject(r -> r.bucket("v2-cli").key("presign/me.txt"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("signed the old way"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) store.close();
        if (home != null) {
            try (var walk = Files.walk(home)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void awsCliV1SignsWithSignatureVersion2() throws Exception {
        AwsCli aws = new AwsCli(store, home);
        String url = aws.text("s3", "presign", "s3://v2-cli/presign/me.txt", "--expires-in", "300").strip();
        assertTrue(url.contains("AWSAccessKeyId=") && url.contains("Signature=") && !url.contains("X-Amz-"), url);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("signed the old way", r.body());
        HttpResponse<String> tampered = http.send(HttpRequest.newBuilder(URI.create(url.replace("me.txt", "you.txt"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, tampered.statusCode());
        assertTrue(tampered.body().contains("<Code>SignatureDoesNotMatch</Code>"), tampered.body());
        Path file = aws.file("cli-upload.txt", "aws cli v2 body".getBytes(StandardCharsets.UTF_8));
        aws.run("s3", "cp", file.toString(), "s3://v2-cli/cli/upload.txt");
        assertEquals("aws cli v2 body", aws.text("s3", "cp", "s3://v2-cli/cli/upload.txt", "-"));
        assertTrue(aws.text("s3", "ls", "s3://v2-cli/cli/").contains("upload.txt"));
        aws.run("s3", "rm", "s3://v2-cli/cli/upload.txt");
        // (aws s3 ls exits 1 on an empty listing; s3api answers JSON either way)
        assertTrue(!aws.text("s3api", "list-objects-v2", "--bucket", "v2-cli", "--prefix", "cli/").contains("upload.txt"));
    }

    @Test
    void s3cmdWithSignatureV2PutsGetsListsDeletesAndSignsUrls() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/s3cmd"))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("s3cmd is not installed; .ci/run installs it");
            }
            Assumptions.abort("s3cmd is not installed locally");
        }
        Path file = Files.writeString(home.resolve("upload.txt"), "s3cmd v2 body");
        s3cmd("put", file.toString(), "s3://v2-cli/cmd/upload.txt");
        Path back = home.resolve("download.txt");
        s3cmd("get", "--force", "s3://v2-cli/cmd/upload.txt", back.toString());
        assertEquals("s3cmd v2 body", Files.readString(back));
        assertTrue(s3cmd("ls", "s3://v2-cli/cmd/").contains("s3://v2-cli/cmd/upload.txt"));
        String url = s3cmd("signurl", "s3://v2-cli/cmd/upload.txt", "+300").strip();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + " -> " + r.body());
        assertEquals("s3cmd v2 body", r.body());
        s3cmd("del", "s3://v2-cli/cmd/upload.txt");
        assertTrue(!s3cmd("ls", "s3://v2-cli/cmd/").contains("upload.txt"));
    }

    private static String s3cmd(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("s3cmd", "-c", home.resolve("s3cfg").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("s3cmd " + args[0] + " did not finish");
        }
        assertEquals(0, p.exitValue(), "s3cmd " + String.join(" ", args) + ": " + out + err.join());
        return out;
    }
}
