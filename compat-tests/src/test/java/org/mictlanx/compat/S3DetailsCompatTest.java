package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.*;

/**
 * S3 behaviour details (issue 13) through the AWS SDK for Java v2 and hand-written requests against a
 * real all-in-one: listing encoding field by field, ListBuckets paging, CreateBucket repeated by the
 * owner, UploadPartCopy ranges, CompleteMultipartUpload checksums, retries and duplicate parts,
 * Content-Encoding, Transfer-Encoding chunked bodies, ordering and casing.
 */
class S3DetailsCompatTest {

    static final int MIB = 1024 * 1024;
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

    static S3Exception failure(Runnable call) {
        return assertThrows(S3Exception.class, call::run);
    }

    static Document xml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Text of the direct child {@code name} of the root, or null when absent. */
    static String field(Document d, String name) {
        for (Node n = d.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) return e.getTextContent();
        }
        return null;
    }

    /** Texts of every {@code child} element under every {@code parent} element, in document order. */
    static List<String> all(Document d, String parent, String child) {
        List<String> out = new ArrayList<>();
        NodeList ps = d.getElementsByTagName(parent);
        for (int i = 0; i < ps.getLength(); i++) {
            NodeList cs = ((Element) ps.item(i)).getElementsByTagName(child);
            for (int j = 0; j < cs.getLength(); j++) out.add(cs.item(j).getTextContent());
        }
        return out;
    }

    // ---- listing encoding ----

    /** Keys holding '/', spaces, '+', '%', a newline and non-ASCII characters. */
    static final String ODD = "dir/a b+c%d\nñ☃";
    /** {@link #ODD} as S3 encodes it with encoding-type=url: '/' kept, space '+', the rest percent-encoded UTF-8. */
    static final String ODD_ENCODED = "dir/a+b%2Bc%25d%0A%C3%B1%E2%98%83";

    @Test
    void listingEncodingIsS3sFieldByField() throws Exception {
        String b = CompatData.newBucket(s3, "enc");
        for (String k : List.of(ODD, "dir/0 first", "dir/sub dir/x", "dir/zz")) {
            s3.putObject(r -> r.bucket(b).key(k), RequestBody.fromString("x"));
        }
        // V2: Prefix, Delimiter, StartAfter, Key and CommonPrefixes/Prefix are encoded; tokens are not.
        var v2 = RawS3.send(store, "GET", "/" + b, "list-type=2&encoding-type=url&prefix=dir%2F&delimiter=%2F"
                + "&start-after=dir%2F0%20first&max-keys=2");
        assertEquals(200, v2.statusCode(), v2.body());
        Document d = xml(v2.body());
        assertEquals("url", field(d, "EncodingType"));
        assertEquals("dir/", field(d, "Prefix"));
        assertEquals("/", field(d, "Delimiter"));
        assertEquals("dir/0+first", field(d, "StartAfter"));
        assertEquals(List.of(ODD_ENCODED), all(d, "Contents", "Key"));
        assertEquals(List.of("dir/sub+dir/"), all(d, "CommonPrefixes", "Prefix"));
        assertEquals("true", field(d, "IsTruncated"));
        String token = field(d, "NextContinuationToken");
        var next = xml(RawS3.send(store, "GET", "/" + b, "list-type=2&encoding-type=url&prefix=dir%2F&delimiter=%2F"
                + "&continuation-token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8)).body());
        assertEquals(token, field(next, "ContinuationToken"), "tokens are echoed as sent, never encoded");
        assertEquals(List.of("dir/zz"), all(next, "Contents", "Key"));

        // V1: Prefix, Delimiter, Marker, NextMarker and Key are encoded.
        Document v1 = xml(RawS3.send(store, "GET", "/" + b, "encoding-type=url&prefix=dir%2F&marker=dir%2F0%20first"
                + "&max-keys=1").body());
        assertEquals("dir/", field(v1, "Prefix"));
        assertEquals("dir/0+first", field(v1, "Marker"));
        assertEquals(ODD_ENCODED, field(v1, "NextMarker"));
        assertEquals(List.of(ODD_ENCODED), all(v1, "Contents", "Key"));

        // Without encoding-type, the same fields come back as they are.
        Document plain = xml(RawS3.send(store, "GET", "/" + b, "list-type=2&prefix=dir%2F&start-after=dir%2F0%20first"
                + "&max-keys=1").body());
        assertNull(field(plain, "EncodingType"));
        assertEquals("dir/0 first", field(plain, "StartAfter"));
        assertEquals(List.of(ODD), all(plain, "Contents", "Key"));

        // The SDK asks for url encoding and decodes every field back to the exact keys.
        var sdk = s3.listObjectsV2(r -> r.bucket(b).prefix("dir/").delimiter("/").encodingType(EncodingType.URL));
        assertEquals(List.of("dir/0 first", ODD, "dir/zz"), sdk.contents().stream().map(S3Object::key).toList());
        assertEquals(List.of("dir/sub dir/"), sdk.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals("dir/", sdk.prefix());
        var sdkV1 = s3.listObjects(r -> r.bucket(b).prefix("dir/").marker("dir/0 first").maxKeys(1)
                .encodingType(EncodingType.URL));
        assertEquals(List.of(ODD), sdkV1.contents().stream().map(S3Object::key).toList());
        assertEquals("dir/0 first", sdkV1.marker());
        assertEquals(ODD, sdkV1.nextMarker());
    }

    @Test
    void anEmptyContinuationTokenIsNoToken() throws Exception {
        String b = CompatData.newBucket(s3, "tok");
        s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("x"));
        var r = RawS3.send(store, "GET", "/" + b, "list-type=2&continuation-token=");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("k"), all(xml(r.body()), "Contents", "Key"));
    }

    @Test
    void listingEntriesAreInUtf8ByteOrderAndMetadataNamesLowerCase() {
        String b = CompatData.newBucket(s3, "order");
        List<String> keys = List.of("b", "B", "a", "ä", "A", "_", "a/b", "a-b", "☃", "Z");
        for (String k : keys) s3.putObject(r -> r.bucket(b).key(k), RequestBody.fromString(k));
        List<String> sorted = keys.stream().sorted((x, y) -> java.util.Arrays.compareUnsigned(
                x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8))).toList();
        assertEquals(sorted, s3.listObjectsV2(r -> r.bucket(b)).contents().stream().map(S3Object::key).toList());
        assertEquals(List.of("A", "B", "Z", "_", "a", "a-b", "a/b", "b", "ä", "☃"), sorted);
        // User metadata names are case-insensitive HTTP header names: S3 keeps them lower case.
        s3.putObject(r -> r.bucket(b).key("meta").metadata(Map.of("MixedCase", "Value Kept", "lower", "x")),
                RequestBody.fromString("m"));
        assertEquals(Map.of("mixedcase", "Value Kept", "lower", "x"), s3.headObject(r -> r.bucket(b).key("meta")).metadata());
        // Tags come back in the order they were given.
        s3.putObjectTagging(r -> r.bucket(b).key("meta").tagging(t -> t.tagSet(
                Tag.builder().key("z").value("1").build(), Tag.builder().key("a").value("2").build(),
                Tag.builder().key("M").value("3").build())));
        assertEquals(List.of("z", "a", "M"), s3.getObjectTagging(r -> r.bucket(b).key("meta")).tagSet().stream()
                .map(Tag::key).toList());
    }

    // ---- buckets ----

    @Test
    void listBucketsPagesAndFilters() {
        String prefix = "page-" + Long.toHexString(System.nanoTime() & 0xffffff) + "-";
        for (String n : List.of("c", "a", "b")) s3.createBucket(r -> r.bucket(prefix + n));
        var first = s3.listBuckets(r -> r.prefix(prefix).maxBuckets(2));
        assertEquals(List.of(prefix + "a", prefix + "b"), first.buckets().stream().map(Bucket::name).toList());
        assertEquals(prefix, first.prefix());
        assertTrue(first.continuationToken() != null && !first.continuationToken().isEmpty());
        assertEquals("us-east-1", first.buckets().get(0).bucketRegion());
        var second = s3.listBuckets(r -> r.prefix(prefix).maxBuckets(2).continuationToken(first.continuationToken()));
        assertEquals(List.of(prefix + "c"), second.buckets().stream().map(Bucket::name).toList());
        assertNull(second.continuationToken());
        List<String> paged = new ArrayList<>();
        s3.listBucketsPaginator(r -> r.prefix(prefix).maxBuckets(1)).buckets().forEach(x -> paged.add(x.name()));
        assertEquals(List.of(prefix + "a", prefix + "b", prefix + "c"), paged);
        assertEquals(3, s3.listBuckets(r -> r.prefix(prefix).bucketRegion("us-east-1")).buckets().size());
        assertEquals(0, s3.listBuckets(r -> r.prefix(prefix).bucketRegion("eu-west-1")).buckets().size());
        assertTrue(s3.listBuckets().buckets().size() >= 3, "no parameters: every bucket");
        assertEquals("InvalidArgument", failure(() -> s3.listBuckets(r -> r.maxBuckets(10_001))).awsErrorDetails().errorCode());
        assertEquals("InvalidArgument", failure(() -> s3.listBuckets(r -> r.continuationToken("***"))).awsErrorDetails().errorCode());
    }

    @Test
    void createBucketRepeatedByItsOwnerInUsEast1Is200AndKeepsTheContents() {
        String b = CompatData.newBucket(s3, "again");
        s3.putObject(r -> r.bucket(b).key("kept"), RequestBody.fromString("x"));
        assertEquals(200, s3.createBucket(r -> r.bucket(b)).sdkHttpResponse().statusCode());
        assertEquals(1, s3.listObjectsV2(r -> r.bucket(b)).keyCount());
    }

    // ---- multipart ----

    static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) md.update(p);
        return md.digest();
    }

    @Test
    void uploadPartCopyBeyondTheSourceIsInvalidRange() {
        String b = CompatData.newBucket(s3, "upc");
        s3.putObject(r -> r.bucket(b).key("src"), RequestBody.fromBytes(CompatData.random(1000, 1)));
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("dst")).uploadId();
        S3Exception e = failure(() -> s3.uploadPartCopy(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b)
                .destinationKey("dst").uploadId(id).partNumber(1).copySourceRange("bytes=0-1000")));
        assertEquals("InvalidRange", e.awsErrorDetails().errorCode());
        assertEquals(416, e.statusCode());
        s3.uploadPartCopy(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b).destinationKey("dst")
                .uploadId(id).partNumber(1).copySourceRange("bytes=0-999"));
    }

    @Test
    void completeChecksumHeadersAreTheObjectsChecksum() throws Exception {
        String b = CompatData.newBucket(s3, "cks");
        byte[] p1 = CompatData.random(5 * MIB, 2);
        byte[] p2 = CompatData.random(1234, 3);
        // FULL_OBJECT CRC32C: the header is the CRC32C of the whole object.
        String full = s3.createMultipartUpload(r -> r.bucket(b).key("full").checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
                .checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        List<CompletedPart> fullParts = List.of(
                part(b, "full", full, 1, p1, ChecksumAlgorithm.CRC32_C), part(b, "full", full, 2, p2, ChecksumAlgorithm.CRC32_C));
        CRC32C crc = new CRC32C();
        crc.update(p1);
        crc.update(p2);
        String crcB64 = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        S3Exception bad = failure(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("full").uploadId(full)
                .checksumCRC32C("AAAAAA==").checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(fullParts))));
        assertEquals("BadDigest", bad.awsErrorDetails().errorCode());
        assertEquals(2, s3.listParts(r -> r.bucket(b).key("full").uploadId(full)).parts().size(), "still open");
        var done = s3.completeMultipartUpload(r -> r.bucket(b).key("full").uploadId(full).checksumCRC32C(crcB64)
                .checksumType(ChecksumType.FULL_OBJECT).multipartUpload(m -> m.parts(fullParts)));
        assertEquals(crcB64, done.checksumCRC32C());

        // COMPOSITE SHA256: SHA-256 of the parts' SHA-256 digests, with -N.
        String comp = s3.createMultipartUpload(r -> r.bucket(b).key("comp").checksumAlgorithm(ChecksumAlgorithm.SHA256))
                .uploadId();
        List<CompletedPart> compParts = List.of(
                part(b, "comp", comp, 1, p1, ChecksumAlgorithm.SHA256), part(b, "comp", comp, 2, p2, ChecksumAlgorithm.SHA256));
        String composite = Base64.getEncoder().encodeToString(sha256(sha256(p1), sha256(p2))) + "-2";
        String wrong = Base64.getEncoder().encodeToString(sha256(p1)) + "-2";
        assertEquals("BadDigest", failure(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("comp").uploadId(comp)
                .checksumSHA256(wrong)
                .multipartUpload(m -> m.parts(compParts)))).awsErrorDetails().errorCode());
        assertEquals("InvalidRequest", failure(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("comp").uploadId(comp)
                .checksumCRC32(crcB64).multipartUpload(m -> m.parts(compParts)))).awsErrorDetails().errorCode());
        var c = s3.completeMultipartUpload(r -> r.bucket(b).key("comp").uploadId(comp).checksumSHA256(composite)
                .multipartUpload(m -> m.parts(compParts)));
        assertEquals(composite, c.checksumSHA256());
    }

    static CompletedPart part(String b, String key, String id, int n, byte[] data, ChecksumAlgorithm alg) {
        var r = s3.uploadPart(x -> x.bucket(b).key(key).uploadId(id).partNumber(n).checksumAlgorithm(alg),
                RequestBody.fromBytes(data));
        return CompletedPart.builder().partNumber(n).eTag(r.eTag()).checksumCRC32C(r.checksumCRC32C())
                .checksumSHA256(r.checksumSHA256()).build();
    }

    @Test
    void completeRetriedAfterSuccessAnswersTheSameAndDuplicatePartsAreInvalidPartOrder() {
        String b = CompatData.newBucket(s3, "retry");
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("k")).uploadId();
        byte[] p1 = CompatData.random(5 * MIB, 4);
        byte[] p2 = CompatData.random(10, 5);
        String e1 = s3.uploadPart(r -> r.bucket(b).key("k").uploadId(id).partNumber(1), RequestBody.fromBytes(p1)).eTag();
        String e2 = s3.uploadPart(r -> r.bucket(b).key("k").uploadId(id).partNumber(2), RequestBody.fromBytes(p2)).eTag();
        CompletedPart c1 = CompletedPart.builder().partNumber(1).eTag(e1).build();
        CompletedPart c2 = CompletedPart.builder().partNumber(2).eTag(e2).build();
        // A part number listed twice (a client that re-sent a part and kept both entries): InvalidPartOrder, as S3.
        assertEquals("InvalidPartOrder", failure(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id)
                .multipartUpload(m -> m.parts(c1, c1, c2)))).awsErrorDetails().errorCode());
        var first = s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id).multipartUpload(m -> m.parts(c1, c2)));
        var again = s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id).multipartUpload(m -> m.parts(c1, c2)));
        assertEquals(first.eTag(), again.eTag());
        assertEquals(first.location(), again.location());
        assertEquals(first.key(), again.key());
        assertEquals("NoSuchUpload", failure(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id)
                .multipartUpload(m -> m.parts(c1)))).awsErrorDetails().errorCode(), "other parts than the completion's");
        s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("overwritten"));
        assertEquals("NoSuchUpload", failure(() -> s3.completeMultipartUpload(r -> r.bucket(b).key("k").uploadId(id)
                .multipartUpload(m -> m.parts(c1, c2)))).awsErrorDetails().errorCode(), "the completed ball is gone");
        assertArrayEquals("overwritten".getBytes(), s3.getObjectAsBytes(r -> r.bucket(b).key("k")).asByteArray());
    }

    // ---- headers and bodies ----

    @Test
    void contentEncodingIsStoredByteExactWithoutAwsChunked() throws Exception {
        String b = CompatData.newBucket(s3, "ce");
        s3.putObject(r -> r.bucket(b).key("two").contentEncoding("deflate, gzip"), RequestBody.fromString("x"));
        assertEquals("deflate, gzip", s3.headObject(r -> r.bucket(b).key("two")).contentEncoding());
        var r = RawWire.send(store, "PUT", "/" + b + "/chunked-gzip", "", Map.of("content-encoding", "aws-chunked, gzip"),
                Map.of(), "UNSIGNED-PAYLOAD", "x".getBytes(), false);
        assertEquals(200, r.status(), r.head() + r.body());
        assertEquals("gzip", s3.headObject(x -> x.bucket(b).key("chunked-gzip")).contentEncoding());
    }

    @Test
    void transferEncodingChunkedBodiesWithoutLengthAreStreamed() throws Exception {
        String b = CompatData.newBucket(s3, "te");
        byte[] data = CompatData.random(3 * MIB + 17, 6);
        var put = RawWire.send(store, "PUT", "/" + b + "/streamed", "", Map.of(), Map.of(), "UNSIGNED-PAYLOAD", data, true);
        assertEquals(200, put.status(), put.head() + put.body());
        assertArrayEquals(data, s3.getObjectAsBytes(r -> r.bucket(b).key("streamed")).asByteArray());
        // Signed payload hash over a chunked body too.
        byte[] small = "small signed body".getBytes();
        String sha = java.util.HexFormat.of().formatHex(sha256(small));
        assertEquals(200, RawWire.send(store, "PUT", "/" + b + "/signed", "", Map.of(), Map.of(), sha, small, true).status());
        assertArrayEquals(small, s3.getObjectAsBytes(r -> r.bucket(b).key("signed")).asByteArray());
        // UploadPart too.
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("mp")).uploadId();
        var part = RawWire.send(store, "PUT", "/" + b + "/mp", "partNumber=1&uploadId=" + id, Map.of(), Map.of(),
                "UNSIGNED-PAYLOAD", data, true);
        assertEquals(200, part.status(), part.head() + part.body());
        String etag = part.head().lines().filter(l -> l.toLowerCase().startsWith("etag:")).findFirst().orElseThrow()
                .substring(5).trim();
        s3.completeMultipartUpload(r -> r.bucket(b).key("mp").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertArrayEquals(data, s3.getObjectAsBytes(r -> r.bucket(b).key("mp")).asByteArray());
    }

    @Test
    void nonAsciiMetadataAsClientsSendItVerifiesAndRoundTrips() throws Exception {
        String b = CompatData.newBucket(s3, "meta");
        String utf8 = "ñandú ☃";
        var r = RawWire.send(store, "PUT", "/" + b + "/utf8", "", Map.of("x-amz-meta-name", utf8),
                Map.of("x-amz-meta-name", utf8.getBytes(StandardCharsets.UTF_8)), "UNSIGNED-PAYLOAD", new byte[0], false);
        assertEquals(200, r.status(), r.head() + r.body());
        String latin1 = "café ñ";
        var l = RawWire.send(store, "PUT", "/" + b + "/latin1", "", Map.of("x-amz-meta-name", latin1),
                Map.of("x-amz-meta-name", latin1.getBytes(StandardCharsets.ISO_8859_1)), "UNSIGNED-PAYLOAD", new byte[0], false);
        assertEquals(200, l.status(), l.head() + l.body());
        assertEquals(rfc2047(utf8), s3.headObject(x -> x.bucket(b).key("utf8")).metadata().get("name"));
        assertEquals(rfc2047(latin1), s3.headObject(x -> x.bucket(b).key("latin1")).metadata().get("name"));
    }

    static String rfc2047(String v) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}
