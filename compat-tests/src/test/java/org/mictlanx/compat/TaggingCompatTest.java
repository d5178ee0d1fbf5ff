package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/** Object tagging through the AWS SDK for Java v2 (default settings) against a real all-in-one. */
class TaggingCompatTest {

    static AllInOne store;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        s3 = store.rootClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static Tagging tagging(String... kv) {
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) tags.add(Tag.builder().key(kv[i]).value(kv[i + 1]).build());
        return Tagging.builder().tagSet(tags).build();
    }

    static Map<String, String> tagsOf(String bucket, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : s3.getObjectTagging(r -> r.bucket(bucket).key(key)).tagSet()) out.put(t.key(), t.value());
        return out;
    }

    static Optional<String> headCount(String bucket, String key) {
        return s3.headObject(r -> r.bucket(bucket).key(key)).sdkHttpResponse().firstMatchingHeader("x-amz-tagging-count");
    }

    static String errorCode(Runnable call) {
        return assertThrows(S3Exception.class, call::run).awsErrorDetails().errorCode();
    }

    @Test
    void putWithTaggingThenGetPutDeleteRoundTrip() {
        String b = CompatData.newBucket(s3, "tags");
        byte[] body = CompatData.random(4096, 1);
        s3.putObject(r -> r.bucket(b).key("k").tagging(tagging("team", "core", "stage", "a b/c=d"))
                .metadata(Map.of("m", "v")), RequestBody.fromBytes(body));
        assertEquals(Map.of("team", "core", "stage", "a b/c=d"), tagsOf(b, "k"));
        assertEquals(Optional.of("2"), headCount(b, "k"));
        var got = s3.getObjectAsBytes(r -> r.bucket(b).key("k"));
        assertEquals(2, got.response().tagCount());
        assertArrayEquals(body, got.asByteArray());
        String etag = got.response().eTag();

        s3.putObjectTagging(r -> r.bucket(b).key("k").tagging(tagging("only", "one", "ñ", "☃")));
        assertEquals(Map.of("only", "one", "ñ", "☃"), tagsOf(b, "k"));
        var head = s3.headObject(r -> r.bucket(b).key("k"));
        assertEquals(etag, head.eTag(), "tagging moves no data");
        assertEquals(got.response().lastModified(), head.lastModified());
        assertEquals("v", head.metadata().get("m"));

        var deleted = s3.deleteObjectTagging(r -> r.bucket(b).key("k"));
        assertEquals(204, deleted.sdkHttpResponse().statusCode());
        assertEquals(Map.of(), tagsOf(b, "k"));
        assertEquals(Optional.empty(), headCount(b, "k"));
        assertNull(s3.getObject(r -> r.bucket(b).key("k")).response().tagCount());
        assertArrayEquals(body, s3.getObjectAsBytes(r -> r.bucket(b).key("k")).asByteArray());

        assertEquals("NoSuchKey", errorCode(() -> s3.getObjectTagging(r -> r.bucket(b).key("absent"))));
        assertEquals("NoSuchKey", errorCode(() -> s3.putObjectTagging(r -> r.bucket(b).key("absent").tagging(tagging("a", "b")))));
        assertEquals("NoSuchKey", errorCode(() -> s3.deleteObjectTagging(r -> r.bucket(b).key("absent"))));
    }

    @Test
    void invalidTagsAreRefusedWithInvalidTag() {
        String b = CompatData.newBucket(s3, "tags");
        s3.putObject(r -> r.bucket(b).key("k").tagging(tagging("keep", "me")), RequestBody.fromString("x"));
        List<Tagging> bad = List.of(
                tagging("a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6", "g", "7", "h", "8", "i", "9", "j", "10", "k", "11"),
                tagging("dup", "1", "dup", "2"),
                tagging("aws:reserved", "x"),
                tagging("k".repeat(129), "v"),
                tagging("k", "v".repeat(257)));
        for (Tagging t : bad) {
            assertEquals("InvalidTag", errorCode(() -> s3.putObjectTagging(r -> r.bucket(b).key("k").tagging(t))), t.toString());
            assertEquals("InvalidTag", errorCode(() -> s3.putObject(r -> r.bucket(b).key("new").tagging(t),
                    RequestBody.fromString("y"))), t.toString());
            assertEquals("InvalidTag", errorCode(() -> s3.createMultipartUpload(r -> r.bucket(b).key("new").tagging(t))));
        }
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.headObject(r -> r.bucket(b).key("new"))).statusCode(),
                "no refused put stored anything");
        assertEquals(Map.of("keep", "me"), tagsOf(b, "k"));
        assertEquals(0, s3.listMultipartUploads(r -> r.bucket(b)).uploads().size());
        // the limits themselves are accepted
        s3.putObjectTagging(r -> r.bucket(b).key("k").tagging(tagging("k".repeat(128), "v".repeat(256))));
        assertEquals(Map.of("k".repeat(128), "v".repeat(256)), tagsOf(b, "k"));
    }

    @Test
    void copyWithBothDirectivesAndMultipartWithTags() {
        String b = CompatData.newBucket(s3, "tags");
        byte[] body = CompatData.random(100_000, 2);
        s3.putObject(r -> r.bucket(b).key("src").tagging(tagging("src", "yes")), RequestBody.fromBytes(body));
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b).destinationKey("copy"));
        assertEquals(Map.of("src", "yes"), tagsOf(b, "copy"));
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b).destinationKey("copy-explicit")
                .taggingDirective(TaggingDirective.COPY));
        assertEquals(Map.of("src", "yes"), tagsOf(b, "copy-explicit"));
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b).destinationKey("copy-replaced")
                .taggingDirective(TaggingDirective.REPLACE).tagging(tagging("dst", "new")));
        assertEquals(Map.of("dst", "new"), tagsOf(b, "copy-replaced"));
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b).destinationKey("copy-cleared")
                .taggingDirective(TaggingDirective.REPLACE));
        assertEquals(Map.of(), tagsOf(b, "copy-cleared"));
        assertArrayEquals(body, s3.getObjectAsBytes(r -> r.bucket(b).key("copy-replaced")).asByteArray());

        byte[] part1 = CompatData.random(5 * 1024 * 1024, 3);
        byte[] part2 = CompatData.random(1000, 4);
        String upload = s3.createMultipartUpload(r -> r.bucket(b).key("mp").tagging(tagging("mp", "1", "team", "core")))
                .uploadId();
        String e1 = s3.uploadPart(r -> r.bucket(b).key("mp").uploadId(upload).partNumber(1), RequestBody.fromBytes(part1)).eTag();
        String e2 = s3.uploadPart(r -> r.bucket(b).key("mp").uploadId(upload).partNumber(2), RequestBody.fromBytes(part2)).eTag();
        assertEquals("NoSuchKey", errorCode(() -> s3.getObjectTagging(r -> r.bucket(b).key("mp"))));
        s3.completeMultipartUpload(r -> r.bucket(b).key("mp").uploadId(upload).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
        assertEquals(Map.of("mp", "1", "team", "core"), tagsOf(b, "mp"));
        assertEquals(Optional.of("2"), headCount(b, "mp"));
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("mp").destinationBucket(b).destinationKey("mp-copy"));
        assertEquals(Map.of("mp", "1", "team", "core"), tagsOf(b, "mp-copy"));
    }
}
