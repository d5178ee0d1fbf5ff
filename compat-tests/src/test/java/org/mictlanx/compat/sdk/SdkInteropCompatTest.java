package org.mictlanx.compat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.compat.AllInOne;
import org.mictlanx.compat.AwsCli;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.PutOptions;
import org.mictlanx.sdk.PutResult;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Balls cross between the native SDK (no client-side encryption), the AWS SDK for Java v2 and the
 * aws CLI on one real all-in-one, byte for byte, in both directions and at both single-PUT and
 * multipart sizes; tags put by one are read by the other.
 */
class SdkInteropCompatTest {

    static final int MIB = 1 << 20;
    /** The SDK's part size here: balls up to it are one PUT, larger ones multipart. */
    static final int PART = 5 * MIB;
    static AllInOne store;
    static S3Client s3;
    static MictlanX sdk;
    static AwsCli cli;
    static final AtomicInteger names = new AtomicInteger();

    @TempDir
    static Path scratch;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        s3 = store.rootClient();
        sdk = MictlanX.connect("mictlanx://" + AllInOne.ACCESS_KEY + ":"
                + URLEncoder.encode(AllInOne.SECRET_KEY, StandardCharsets.UTF_8) + "@127.0.0.1:" + store.port()
                + "/?secure=false&partSize=" + PART);
        cli = new AwsCli(store, scratch);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sdk != null) sdk.close();
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static String bucket() {
        String b = "interop-" + names.incrementAndGet();
        sdk.createBucket(b);
        return b;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void sdkBallsAreReadByteIdenticalByTheAwsSdkAndTheAwsCli() throws Exception {
        String b = bucket();
        byte[] small = random(MIB + 17, 1);
        byte[] large = random(2 * PART + 3 * MIB + 5, 2);
        PutResult one = sdk.put(b, "dir/small one.bin", small, PutOptions.DEFAULT.withContentType("application/x-test"));
        PutResult multi = sdk.put(b, "dir/large+multi.bin", large);
        assertEquals(0, one.parts(), "single PUT");
        assertEquals(3, multi.parts(), "multipart");

        for (var ball : Map.of("dir/small one.bin", small, "dir/large+multi.bin", large).entrySet()) {
            String key = ball.getKey();
            var aws = s3.getObjectAsBytes(r -> r.bucket(b).key(key));
            assertArrayEquals(ball.getValue(), aws.asByteArray(), "AWS SDK reads " + key);
            assertArrayEquals(ball.getValue(), cli.run("s3", "cp", "s3://" + b + "/" + key, "-"), "aws s3 cp to stdout " + key);
            Path out = scratch.resolve("cli-" + key.replace('/', '_'));
            cli.run("s3", "cp", "s3://" + b + "/" + key, out.toString());
            assertArrayEquals(ball.getValue(), Files.readAllBytes(out), "aws s3 cp to a file " + key);
            Files.delete(out);
        }
        assertEquals("application/x-test", s3.headObject(r -> r.bucket(b).key("dir/small one.bin")).contentType());
        assertEquals(multi.etag(), s3.headObject(r -> r.bucket(b).key("dir/large+multi.bin")).eTag().replace("\"", ""));
        String listed = cli.text("s3", "ls", "s3://" + b + "/dir/");
        assertTrue(listed.contains("small one.bin") && listed.contains("large+multi.bin"), listed);
    }

    @Test
    void awsSdkAndAwsCliBallsAreReadByTheSdk() throws Exception {
        String b = bucket();
        byte[] single = random(2 * MIB + 1, 3);
        s3.putObject(r -> r.bucket(b).key("aws/single"), RequestBody.fromBytes(single));
        assertArrayEquals(single, sdk.get(b, "aws/single"));

        byte[] part1 = random(5 * MIB, 4);
        byte[] part2 = random(MIB + 9, 5);
        String upload = s3.createMultipartUpload(r -> r.bucket(b).key("aws/multi")).uploadId();
        String e1 = s3.uploadPart(r -> r.bucket(b).key("aws/multi").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(part1)).eTag();
        String e2 = s3.uploadPart(r -> r.bucket(b).key("aws/multi").uploadId(upload).partNumber(2),
                RequestBody.fromBytes(part2)).eTag();
        s3.completeMultipartUpload(r -> r.bucket(b).key("aws/multi").uploadId(upload).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
        byte[] joined = new byte[part1.length + part2.length];
        System.arraycopy(part1, 0, joined, 0, part1.length);
        System.arraycopy(part2, 0, joined, part1.length, part2.length);
        assertArrayEquals(joined, sdk.get(b, "aws/multi"));
        assertArrayEquals(java.util.Arrays.copyOfRange(joined, 5 * MIB - 7, 5 * MIB + 7), sdk.getRange(b, "aws/multi", 5 * MIB - 7, 14));

        byte[] cliSmall = random(300_000, 6);
        byte[] cliLarge = random(9 * MIB + 11, 7); // above the CLI's 8 MB multipart threshold
        cli.run("s3", "cp", cli.file("small.bin", cliSmall).toString(), "s3://" + b + "/cli/small.bin");
        cli.run("s3", "cp", cli.file("large.bin", cliLarge).toString(), "s3://" + b + "/cli/large.bin");
        assertTrue(s3.headObject(r -> r.bucket(b).key("cli/large.bin")).eTag().endsWith("-2\""), "the CLI went multipart");
        assertArrayEquals(cliSmall, sdk.get(b, "cli/small.bin"));
        assertArrayEquals(cliLarge, sdk.get(b, "cli/large.bin"));
        Path back = scratch.resolve("sdk-large.bin");
        sdk.get(b, "cli/large.bin", back);
        assertArrayEquals(cliLarge, Files.readAllBytes(back));
    }

    @Test
    void tagsCrossBetweenTheSdkAndTheAwsSdk() {
        String b = bucket();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("project", "mictlanx");
        tags.put("owner", "ana maría");
        tags.put("path", "a/b=c&d+e");
        sdk.put(b, "tagged-small", random(1000, 8), PutOptions.DEFAULT.withTags(tags));
        sdk.put(b, "tagged-large", random(PART + 1, 9), PutOptions.DEFAULT.withTags(tags));
        for (String key : List.of("tagged-small", "tagged-large")) {
            Map<String, String> seen = new LinkedHashMap<>();
            for (Tag t : s3.getObjectTagging(r -> r.bucket(b).key(key)).tagSet()) seen.put(t.key(), t.value());
            assertEquals(tags, seen, key);
            assertEquals(tags, sdk.tags(b, key), key);
            assertEquals(3, s3.getObject(r -> r.bucket(b).key(key)).response().tagCount(), key);
        }
        s3.putObjectTagging(r -> r.bucket(b).key("tagged-small").tagging(t -> t.tagSet(
                Tag.builder().key("from").value("aws").build())));
        assertEquals(Map.of("from", "aws"), sdk.tags(b, "tagged-small"));
        s3.deleteObjectTagging(r -> r.bucket(b).key("tagged-small"));
        assertEquals(Map.of(), sdk.tags(b, "tagged-small"));
        assertEquals(Map.of(), sdk.tags(b, sdk.put(b, "untagged", new byte[1]).key()));
        var missing = org.junit.jupiter.api.Assertions.assertThrows(org.mictlanx.sdk.MictlanXException.class,
                () -> sdk.tags(b, "absent"));
        assertTrue(missing.isNotFound());
        var invalid = org.junit.jupiter.api.Assertions.assertThrows(org.mictlanx.sdk.MictlanXException.class,
                () -> sdk.put(b, "bad", new byte[1], PutOptions.DEFAULT.withTags(Map.of("aws:reserved", "x"))));
        assertEquals("InvalidTag", invalid.code());
        assertTrue(sdk.async().tags(b, "tagged-large").join().containsKey("project"));
    }
}
