package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.server.AdminClient;

/**
 * The unmodified aws CLI with {@code --sse-customer-key} and {@code --sse aws:kms} against a real
 * all-in-one (SSE-C over plain HTTP allowed by {@code sse-customer-keys-over-http} for the test).
 */
class AwsCliSseCompatTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "0123456789abcdef0123456789abcdef"; // 32 bytes: the CLI base64-encodes it and adds the MD5
    static AllInOne store;
    static Path home;
    static AwsCli aws;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start("--sse-customer-keys-over-http", "true");
        home = Files.createTempDirectory("mictlanx-cli-sse");
        aws = new AwsCli(store, home);
        aws.run("s3api", "create-bucket", "--bucket", "clisse");
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) store.close();
        if (home != null) {
            try (var walk = Files.walk(home)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void sseCustomerKeyPutGetAndRefusalWithoutTheKey() throws Exception {
        Path body = aws.file("ssec.txt", "customer keyed".getBytes(StandardCharsets.UTF_8));
        JsonNode put = JSON.readTree(aws.text("s3api", "put-object", "--bucket", "clisse", "--key", "c", "--body",
                body.toString(), "--sse-customer-algorithm", "AES256", "--sse-customer-key", KEY));
        assertEquals("AES256", put.path("SSECustomerAlgorithm").asText());
        Path out = home.resolve("ssec.out");
        aws.run("s3api", "get-object", "--bucket", "clisse", "--key", "c", "--sse-customer-algorithm", "AES256",
                "--sse-customer-key", KEY, out.toString());
        assertEquals("customer keyed", Files.readString(out));
        AssertionError refused = assertThrows(AssertionError.class, () -> aws.run("s3api", "get-object", "--bucket",
                "clisse", "--key", "c", home.resolve("nokey.out").toString()));
        assertTrue(refused.getMessage().contains("InvalidRequest"), refused.getMessage());
    }

    @Test
    void sseKmsWithAKeyId() throws Exception {
        String id = new AdminClient(store.endpoint(), AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY).createKmsKey("cli")
                .path("keyId").asText();
        Path body = aws.file("kms.txt", "kms keyed".getBytes(StandardCharsets.UTF_8));
        JsonNode put = JSON.readTree(aws.text("s3api", "put-object", "--bucket", "clisse", "--key", "k", "--body",
                body.toString(), "--server-side-encryption", "aws:kms", "--ssekms-key-id", id));
        assertEquals("aws:kms", put.path("ServerSideEncryption").asText());
        assertTrue(put.path("SSEKMSKeyId").asText().endsWith("key/" + id));
        aws.run("s3", "cp", body.toString(), "s3://clisse/k2", "--sse", "aws:kms", "--sse-kms-key-id", id);
        JsonNode head = JSON.readTree(aws.text("s3api", "head-object", "--bucket", "clisse", "--key", "k2"));
        assertEquals("aws:kms", head.path("ServerSideEncryption").asText());
        Path out = home.resolve("kms.out");
        aws.run("s3", "cp", "s3://clisse/k2", out.toString());
        assertEquals("kms keyed", Files.readString(out));
    }
}
