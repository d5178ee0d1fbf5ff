package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Bucket versioning and delete markers through the AWS SDK for Java v2 against a real all-in-one. */
class VersioningCompatTest {

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

    static S3Exception error(Runnable call) {
        return assertThrows(S3Exception.class, call::run);
    }

    static String enable(String b, BucketVersioningStatus status) {
        s3.putBucketVersioning(r -> r.bucket(b).versioningConfiguration(c -> c.status(status)));
        return b;
    }

    static String put(String b, String key, String body) {
        return s3.putObject(r -> r.bucket(b).key(key), RequestBody.fromString(body)).versionId();
    }

    static String get(String b, String key, String versionId) {
        return s3.getObjectAsBytes(r -> r.bucket(b).key(key).versionId(versionId)).asUtf8String();
    }

    @Test
    void getBucketVersioningFollowsPutAndNeverGoesBack() {
        String b = CompatData.newBucket(s3, "ver");
        assertNull(s3.getBucketVersioning(r -> r.bucket(b)).status());
        enable(b, BucketVersioningStatus.ENABLED);
        assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket(b)).status());
        enable(b, BucketVersioningStatus.SUSPENDED);
        assertEquals(BucketVersioningStatus.SUSPENDED, s3.getBucketVersioning(r -> r.bucket(b)).status());
        S3Exception bad = error(() -> s3.putBucketVersioning(r -> r.bucket(b)
                .versioningConfiguration(c -> c.status("Off"))));
        assertEquals("MalformedXML", bad.awsErrorDetails().errorCode());
        S3Exception mfa = error(() -> s3.putBucketVersioning(r -> r.bucket(b)
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED).mfaDelete("Enabled"))));
        assertEquals(501, mfa.statusCode());
        assertEquals(BucketVersioningStatus.SUSPENDED, s3.getBucketVersioning(r -> r.bucket(b)).status());
        S3Exception none = error(() -> s3.getBucketVersioning(r -> r.bucket("no-such-bucket-ver")));
        assertEquals("NoSuchBucket", none.awsErrorDetails().errorCode());
    }

    @Test
    void unversionedBucketsAnswerNoVersionHeaders() {
        String b = CompatData.newBucket(s3, "ver");
        assertNull(s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("x")).versionId());
        assertNull(s3.headObject(r -> r.bucket(b).key("k")).versionId());
        assertEquals("x", get(b, "k", "null"));
        S3Exception bad = error(() -> s3.getObject(r -> r.bucket(b).key("k").versionId("not-an-id")));
        assertEquals("InvalidArgument", bad.awsErrorDetails().errorCode());
        S3Exception missing = error(() -> s3.getObject(r -> r.bucket(b).key("k").versionId("0000000000000000aaaaaaaa")));
        assertEquals("NoSuchVersion", missing.awsErrorDetails().errorCode());
        assertNull(s3.deleteObject(r -> r.bucket(b).key("k")).versionId());
        assertEquals(404, error(() -> s3.headObject(r -> r.bucket(b).key("k"))).statusCode());
    }

    @Test
    void versionsOverwritesDeleteMarkersAndPermanentDeletes() {
        String b = enable(CompatData.newBucket(s3, "ver"), BucketVersioningStatus.ENABLED);
        String v1 = put(b, "doc", "one");
        String v2 = put(b, "doc", "two");
        assertNotNull(v1);
        assertNotEquals(v1, v2);
        assertTrue(v1.compareTo(v2) < 0, "ids are time-ordered");
        assertEquals("two", get(b, "doc", null));
        assertEquals("one", get(b, "doc", v1));
        assertEquals(v2, s3.headObject(r -> r.bucket(b).key("doc")).versionId());
        assertEquals(v1, s3.headObject(r -> r.bucket(b).key("doc").versionId(v1)).versionId());

        var del = s3.deleteObject(r -> r.bucket(b).key("doc"));
        assertTrue(del.deleteMarker());
        String marker = del.versionId();
        assertNotNull(marker);
        S3Exception gone = error(() -> s3.getObject(r -> r.bucket(b).key("doc")));
        assertEquals(404, gone.statusCode());
        assertEquals("NoSuchKey", gone.awsErrorDetails().errorCode());
        assertEquals(Optional.of("true"), gone.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker"));
        S3Exception byId = error(() -> s3.getObject(r -> r.bucket(b).key("doc").versionId(marker)));
        assertEquals(405, byId.statusCode());
        assertEquals("MethodNotAllowed", byId.awsErrorDetails().errorCode());
        assertEquals("one", get(b, "doc", v1));
        assertEquals(0, s3.listObjectsV2(r -> r.bucket(b)).keyCount(), "a delete marker hides the key from listings");

        // removing the marker brings v2 back as the latest
        var undelete = s3.deleteObject(r -> r.bucket(b).key("doc").versionId(marker));
        assertTrue(undelete.deleteMarker());
        assertEquals(marker, undelete.versionId());
        assertEquals("two", get(b, "doc", null));
        // permanently deleting the latest version promotes the one before it
        assertEquals(v2, s3.deleteObject(r -> r.bucket(b).key("doc").versionId(v2)).versionId());
        assertEquals("one", get(b, "doc", null));
        assertEquals("NoSuchVersion", error(() -> s3.getObject(r -> r.bucket(b).key("doc").versionId(v2)))
                .awsErrorDetails().errorCode());
        // a bucket holding versions is not empty
        assertEquals("BucketNotEmpty", error(() -> s3.deleteBucket(r -> r.bucket(b))).awsErrorDetails().errorCode());
        s3.deleteObject(r -> r.bucket(b).key("doc").versionId(v1));
        assertEquals(0, s3.listObjectVersions(r -> r.bucket(b)).versions().size());
        s3.deleteBucket(r -> r.bucket(b));
    }

    @Test
    void anUnversionedBallBecomesTheNullVersion() {
        String b = CompatData.newBucket(s3, "ver");
        put(b, "k", "old");
        enable(b, BucketVersioningStatus.ENABLED);
        String v = put(b, "k", "new");
        assertEquals("old", get(b, "k", "null"));
        assertEquals("new", get(b, "k", v));
        ListObjectVersionsResponse l = s3.listObjectVersions(r -> r.bucket(b));
        assertEquals(List.of(v, "null"), l.versions().stream().map(ObjectVersion::versionId).toList());
        assertEquals(List.of(true, false), l.versions().stream().map(ObjectVersion::isLatest).toList());
    }

    @Test
    void suspendedWritesReplaceTheNullVersionAndKeepTheOthers() {
        String b = enable(CompatData.newBucket(s3, "ver"), BucketVersioningStatus.ENABLED);
        String v1 = put(b, "k", "kept");
        enable(b, BucketVersioningStatus.SUSPENDED);
        assertEquals("null", put(b, "k", "n1"));
        assertEquals("null", put(b, "k", "n2"));
        assertEquals("n2", get(b, "k", null));
        assertEquals("n2", get(b, "k", "null"));
        assertEquals("kept", get(b, "k", v1));
        List<ObjectVersion> vs = s3.listObjectVersions(r -> r.bucket(b)).versions();
        assertEquals(List.of("null", v1), vs.stream().map(ObjectVersion::versionId).toList());
        var del = s3.deleteObject(r -> r.bucket(b).key("k"));
        assertTrue(del.deleteMarker());
        assertEquals("null", del.versionId());
        ListObjectVersionsResponse l = s3.listObjectVersions(r -> r.bucket(b));
        assertEquals(List.of(v1), l.versions().stream().map(ObjectVersion::versionId).toList(), "the marker replaced null");
        assertEquals(List.of("null"), l.deleteMarkers().stream().map(DeleteMarkerEntry::versionId).toList());
        assertTrue(l.deleteMarkers().get(0).isLatest());
    }

    @Test
    void listObjectVersionsPagesWithMarkersPrefixAndDelimiter() {
        String b = enable(CompatData.newBucket(s3, "ver"), BucketVersioningStatus.ENABLED);
        List<String> expected = new ArrayList<>();
        for (String key : List.of("a", "b/x", "b/y", "c")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) ids.add(0, key + "@" + put(b, key, key + i));
            expected.addAll(ids);
        }
        List<String> seen = new ArrayList<>();
        String km = null;
        String vm = null;
        int pages = 0;
        while (true) {
            String k = km;
            String v = vm;
            ListObjectVersionsResponse page = s3.listObjectVersions(r -> r.bucket(b).maxKeys(5).keyMarker(k).versionIdMarker(v));
            page.versions().forEach(o -> seen.add(o.key() + "@" + o.versionId()));
            pages++;
            if (!page.isTruncated()) break;
            km = page.nextKeyMarker();
            vm = page.nextVersionIdMarker();
        }
        assertEquals(expected, seen);
        assertEquals(3, pages);
        ListObjectVersionsResponse d = s3.listObjectVersions(r -> r.bucket(b).delimiter("/"));
        assertEquals(List.of("b/"), d.commonPrefixes().stream().map(p -> p.prefix()).toList());
        assertEquals(6, d.versions().size());
        ListObjectVersionsResponse p = s3.listObjectVersions(r -> r.bucket(b).prefix("b/"));
        assertEquals(6, p.versions().size());
        assertEquals(2, p.versions().stream().filter(ObjectVersion::isLatest).count());
        assertEquals("InvalidArgument", error(() -> s3.listObjectVersions(r -> r.bucket(b).versionIdMarker(vm0())))
                .awsErrorDetails().errorCode());
    }

    private static String vm0() {
        return "0000000000000000aaaaaaaa";
    }

    @Test
    void copyAndMultipartCreateVersionsAndCopyReadsAnOldVersion() {
        String b = enable(CompatData.newBucket(s3, "ver"), BucketVersioningStatus.ENABLED);
        String v1 = put(b, "src", "first");
        put(b, "src", "second");
        var copy = s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").sourceVersionId(v1)
                .destinationBucket(b).destinationKey("restored"));
        assertNotNull(copy.versionId());
        assertEquals(v1, copy.copySourceVersionId());
        assertEquals("first", get(b, "restored", null));

        String up = s3.createMultipartUpload(r -> r.bucket(b).key("mp")).uploadId();
        String etag = s3.uploadPart(r -> r.bucket(b).key("mp").uploadId(up).partNumber(1),
                RequestBody.fromString("parted")).eTag();
        var done = s3.completeMultipartUpload(r -> r.bucket(b).key("mp").uploadId(up)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertNotNull(done.versionId());
        assertEquals(done.versionId(), s3.headObject(r -> r.bucket(b).key("mp")).versionId());
    }

    @Test
    void deleteObjectsWithVersionIdsAndMarkers() {
        String b = enable(CompatData.newBucket(s3, "ver"), BucketVersioningStatus.ENABLED);
        String v1 = put(b, "x", "1");
        put(b, "y", "1");
        var res = s3.deleteObjects(r -> r.bucket(b).delete(d -> d.objects(
                ObjectIdentifier.builder().key("x").versionId(v1).build(),
                ObjectIdentifier.builder().key("y").build())));
        assertEquals(2, res.deleted().size());
        var x = res.deleted().stream().filter(d -> d.key().equals("x")).findFirst().orElseThrow();
        assertEquals(v1, x.versionId());
        assertFalse(Boolean.TRUE.equals(x.deleteMarker()));
        var y = res.deleted().stream().filter(d -> d.key().equals("y")).findFirst().orElseThrow();
        assertTrue(y.deleteMarker());
        assertNotNull(y.deleteMarkerVersionId());
        assertEquals("NoSuchVersion", error(() -> s3.getObject(r -> r.bucket(b).key("x").versionId(v1)))
                .awsErrorDetails().errorCode());
        assertEquals(1, s3.listObjectVersions(r -> r.bucket(b)).deleteMarkers().size());
    }

    @Test
    void taggingAndAttributesByVersion() {
        String b = enable(CompatData.newBucket(s3, "ver"), BucketVersioningStatus.ENABLED);
        String v1 = s3.putObject(r -> r.bucket(b).key("t").tagging("a=1"), RequestBody.fromString("one")).versionId();
        String v2 = s3.putObject(r -> r.bucket(b).key("t").tagging("a=2"), RequestBody.fromString("two!")).versionId();
        assertEquals("1", s3.getObjectTagging(r -> r.bucket(b).key("t").versionId(v1)).tagSet().get(0).value());
        assertEquals(v1, s3.getObjectTagging(r -> r.bucket(b).key("t").versionId(v1)).versionId());
        s3.putObjectTagging(r -> r.bucket(b).key("t").versionId(v2).tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("a").value("3").build())));
        assertEquals("3", s3.getObjectTagging(r -> r.bucket(b).key("t").versionId(v2)).tagSet().get(0).value());
        // a noncurrent version's tags change (S3 tags any version) and the latest's stay as they were
        var put = s3.putObjectTagging(r -> r.bucket(b).key("t").versionId(v1).tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("old").value("yes").build())));
        assertEquals(v1, put.versionId());
        assertEquals("old", s3.getObjectTagging(r -> r.bucket(b).key("t").versionId(v1)).tagSet().get(0).key());
        assertEquals("3", s3.getObjectTagging(r -> r.bucket(b).key("t")).tagSet().get(0).value());
        assertEquals(v1, s3.deleteObjectTagging(r -> r.bucket(b).key("t").versionId(v1)).versionId());
        assertTrue(s3.getObjectTagging(r -> r.bucket(b).key("t").versionId(v1)).tagSet().isEmpty());
        assertEquals("3", s3.getObjectTagging(r -> r.bucket(b).key("t").versionId(v2)).tagSet().get(0).value());
        assertEquals("NoSuchVersion", error(() -> s3.deleteObjectTagging(r -> r.bucket(b).key("t")
                .versionId("0000000000000001aaaaaaaa"))).awsErrorDetails().errorCode());
        String marker = s3.deleteObject(r -> r.bucket(b).key("t")).versionId();
        assertEquals(405, error(() -> s3.deleteObjectTagging(r -> r.bucket(b).key("t").versionId(marker))).statusCode());
        assertEquals(405, error(() -> s3.putObjectTagging(r -> r.bucket(b).key("t").versionId(marker).tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("m").value("1").build())))).statusCode());
        var attrs = s3.getObjectAttributes(r -> r.bucket(b).key("t").versionId(v1)
                .objectAttributes(software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_SIZE));
        assertEquals(3L, attrs.objectSize());
        assertEquals(v1, attrs.versionId());
        byte[] body = s3.getObjectAsBytes(r -> r.bucket(b).key("t").versionId(v2)).asByteArray();
        assertArrayEquals("two!".getBytes(), body);
    }

    /**
     * The wire order of a ListObjectVersions page: versions and delete markers interleaved, key
     * ascending and newest first across both kinds, as S3 lists them (the SDK splits them into two
     * lists, so the raw body is read), and pages of one element each give the same sequence.
     */
    @Test
    void listObjectVersionsInterleavesVersionsAndDeleteMarkers() {
        String b = enable(CompatData.newBucket(s3, "ver"), BucketVersioningStatus.ENABLED);
        String a1 = put(b, "a", "1");
        String am = s3.deleteObject(r -> r.bucket(b).key("a")).versionId();
        String a2 = put(b, "a", "2");
        String bm = s3.deleteObject(r -> r.bucket(b).key("b")).versionId();
        String b1 = put(b, "b", "1");
        List<String> expected = List.of("V a " + a2, "D a " + am, "V a " + a1, "V b " + b1, "D b " + bm);
        java.util.concurrent.atomic.AtomicReference<String> body = new java.util.concurrent.atomic.AtomicReference<>();
        var capture = new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public Optional<java.io.InputStream> modifyHttpResponseContent(
                    software.amazon.awssdk.core.interceptor.Context.ModifyHttpResponse context,
                    software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                return context.responseBody().map(in -> {
                    try {
                        byte[] bytes = in.readAllBytes();
                        body.set(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                        return new java.io.ByteArrayInputStream(bytes);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        };
        try (S3Client raw = S3Client.builder().endpointOverride(store.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(capture)).build()) {
            raw.listObjectVersions(r -> r.bucket(b));
            assertEquals(expected, wireOrder(body.get()));
            List<String> paged = new ArrayList<>();
            String km = null;
            String vm = null;
            while (true) {
                String k = km;
                String v = vm;
                var page = raw.listObjectVersions(r -> r.bucket(b).maxKeys(1).keyMarker(k).versionIdMarker(v));
                paged.addAll(wireOrder(body.get()));
                if (!page.isTruncated()) break;
                km = page.nextKeyMarker();
                vm = page.nextVersionIdMarker();
            }
            assertEquals(expected, paged, "one-element pages resume where the last one stopped");
        }
    }

    /** "V key id" / "D key id" per element of a ListVersionsResult body, in document order. */
    private static List<String> wireOrder(String xml) {
        List<String> out = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("<(Version|DeleteMarker)><Key>([^<]*)</Key><VersionId>([^<]*)</VersionId>")
                .matcher(xml);
        while (m.find()) out.add((m.group(1).equals("Version") ? "V " : "D ") + m.group(2) + " " + m.group(3));
        return out;
    }
}
