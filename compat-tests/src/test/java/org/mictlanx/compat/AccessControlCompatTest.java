package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mictlanx.server.AdminClient;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Access control through the all-in-one with the AWS SDK for Java v2, the admin API, unsigned raw
 * HTTP and {@code aws s3api}: user policies (read-only, prefix-scoped), bucket policies (public read,
 * a grant to a second user by ARN, deny without TLS), the public access block, ACLs and ownership controls. Every refusal is 403
 * AccessDenied and changes nothing.
 */
class AccessControlCompatTest {

    static AllInOne store;
    static S3Client root;
    static AdminClient admin;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        root = store.rootClient();
        admin = new AdminClient(store.endpoint(), AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (root != null) root.close();
        if (store != null) store.close();
    }

    private static void denied(Executable call) {
        S3Exception e = assertThrows(S3Exception.class, call);
        assertEquals(403, e.statusCode());
        assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
    }

    private static HttpResponse<String> unsigned(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(store.endpoint().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readOnlyUserListsAndGetsButCannotPutOrDelete() throws Exception {
        root.createBucket(r -> r.bucket("ac-backups"));
        root.putObject(r -> r.bucket("ac-backups").key("db.dump"), RequestBody.fromString("dump"));
        AdminClient.NewUser reader = admin.addUser("reader");
        admin.attachPolicy("reader", "readonly");
        assertEquals("readonly", admin.attachedPolicies("reader").path("attached").get(0).asText());
        try (S3Client c = store.client(reader.accessKey(), reader.secretKey(), true)) {
            assertTrue(c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("ac-backups")));
            assertEquals(List.of("db.dump"), c.listObjectsV2(r -> r.bucket("ac-backups")).contents().stream().map(o -> o.key()).toList());
            assertEquals("dump", c.getObjectAsBytes(r -> r.bucket("ac-backups").key("db.dump")).asUtf8String());
            denied(() -> c.putObject(r -> r.bucket("ac-backups").key("evil"), RequestBody.fromString("x")));
            denied(() -> c.deleteObject(r -> r.bucket("ac-backups").key("db.dump")));
            denied(() -> c.deleteBucket(r -> r.bucket("ac-backups")));
            denied(() -> c.createBucket(r -> r.bucket("readers-own")));
            denied(() -> c.putBucketPolicy(r -> r.bucket("ac-backups").policy("{}")));
        }
        assertEquals(List.of("db.dump"), root.listObjectsV2(r -> r.bucket("ac-backups")).contents().stream().map(o -> o.key()).toList());
        admin.detachPolicy("reader", "readonly");
        try (S3Client c = store.client(reader.accessKey(), reader.secretKey(), true)) {
            denied(() -> c.getObjectAsBytes(r -> r.bucket("ac-backups").key("db.dump")));
            c.createBucket(r -> r.bucket("readers-own"));
        }
    }

    @Test
    void prefixScopedUserSeesOnlyItsPrefix() throws Exception {
        root.createBucket(r -> r.bucket("ac-shared"));
        root.putObject(r -> r.bucket("ac-shared").key("ci/build.log"), RequestBody.fromString("ok"));
        root.putObject(r -> r.bucket("ac-shared").key("other/secret"), RequestBody.fromString("no"));
        AdminClient.NewUser ci = admin.addUser("ci-key");
        admin.putPolicy("ci-prefix", """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::ac-shared",
                  "Condition":{"StringLike":{"s3:prefix":["ci/*"]}}},
                 {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::ac-shared/ci/*"}]}"""
                .getBytes(StandardCharsets.UTF_8));
        admin.attachPolicy("ci-key", "ci-prefix");
        try (S3Client c = store.client(ci.accessKey(), ci.secretKey(), true)) {
            c.putObject(r -> r.bucket("ac-shared").key("ci/new.txt"), RequestBody.fromString("new"));
            assertEquals(List.of("ci/build.log", "ci/new.txt"),
                    c.listObjectsV2(r -> r.bucket("ac-shared").prefix("ci/")).contents().stream().map(o -> o.key()).toList());
            denied(() -> c.listObjectsV2(r -> r.bucket("ac-shared")));
            denied(() -> c.listObjectsV2(r -> r.bucket("ac-shared").prefix("other/")));
            denied(() -> c.getObjectAsBytes(r -> r.bucket("ac-shared").key("other/secret")));
            denied(() -> c.putObject(r -> r.bucket("ac-shared").key("other/secret"), RequestBody.fromString("overwritten")));
        }
        assertEquals("no", root.getObjectAsBytes(r -> r.bucket("ac-shared").key("other/secret")).asUtf8String());
        AdminClient.AdminException malformed = assertThrows(AdminClient.AdminException.class,
                () -> admin.putPolicy("broken", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Nope\",\"Resource\":\"*\"}]}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals("MalformedPolicy", malformed.code());
        assertEquals("Policy has invalid action", malformed.detail());
    }

    @Test
    void publicReadBucketIsReadableByUnsignedRequests() throws Exception {
        root.createBucket(r -> r.bucket("ac-website"));
        root.putObject(r -> r.bucket("ac-website").key("index.html"), RequestBody.fromString("<h1>hi</h1>"));
        assertEquals(403, unsigned("GET", "/ac-website/index.html", null).statusCode());
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*",
                 "Action":["s3:GetObject"],"Resource":["arn:aws:s3:::ac-website/*"]}]}""";
        root.putBucketPolicy(r -> r.bucket("ac-website").policy(policy));
        assertEquals(policy, root.getBucketPolicy(r -> r.bucket("ac-website")).policy());
        assertTrue(root.getBucketPolicyStatus(r -> r.bucket("ac-website")).policyStatus().isPublic());
        HttpResponse<String> read = unsigned("GET", "/ac-website/index.html", null);
        assertEquals(200, read.statusCode());
        assertEquals("<h1>hi</h1>", read.body());
        HttpResponse<String> write = unsigned("PUT", "/ac-website/defaced.html", "x");
        assertEquals(403, write.statusCode());
        assertTrue(write.body().contains("<Code>AccessDenied</Code>"), write.body());
        assertEquals(403, unsigned("GET", "/ac-website?list-type=2", null).statusCode());
        assertEquals(1, root.listObjectsV2(r -> r.bucket("ac-website")).keyCount());

        // the public access block overrides the public policy, and refuses new public policies
        root.putPublicAccessBlock(r -> r.bucket("ac-website").publicAccessBlockConfiguration(c -> c.restrictPublicBuckets(true)));
        assertEquals(403, unsigned("GET", "/ac-website/index.html", null).statusCode());
        root.putPublicAccessBlock(r -> r.bucket("ac-website").publicAccessBlockConfiguration(c -> c.blockPublicPolicy(true)));
        assertTrue(root.getPublicAccessBlock(r -> r.bucket("ac-website")).publicAccessBlockConfiguration().blockPublicPolicy());
        assertEquals(200, unsigned("GET", "/ac-website/index.html", null).statusCode());
        root.deleteBucketPolicy(r -> r.bucket("ac-website"));
        AdminClient.NewUser owner = admin.addUser("site-owner");
        try (S3Client c = store.client(owner.accessKey(), owner.secretKey(), true)) {
            c.createBucket(r -> r.bucket("ac-blocked"));
            c.putPublicAccessBlock(r -> r.bucket("ac-blocked").publicAccessBlockConfiguration(b -> b.blockPublicPolicy(true)));
            denied(() -> c.putBucketPolicy(r -> r.bucket("ac-blocked").policy(policy.replace("ac-website", "ac-blocked"))));
            assertEquals("NoSuchBucketPolicy", assertThrows(S3Exception.class,
                    () -> c.getBucketPolicy(r -> r.bucket("ac-blocked"))).awsErrorDetails().errorCode());
        }
        root.deletePublicAccessBlock(r -> r.bucket("ac-website"));
        assertEquals(403, unsigned("GET", "/ac-website/index.html", null).statusCode());
    }

    @Test
    void bucketPolicyGrantsASecondUserAndDeniesPlainHttp() throws Exception {
        AdminClient.NewUser alice = admin.addUser("ac-alice");
        AdminClient.NewUser bob = admin.addUser("ac-bob");
        try (S3Client a = store.client(alice.accessKey(), alice.secretKey(), true);
             S3Client b = store.client(bob.accessKey(), bob.secretKey(), true)) {
            a.createBucket(r -> r.bucket("ac-alice"));
            a.putObject(r -> r.bucket("ac-alice").key("report.csv"), RequestBody.fromString("1,2"));
            denied(() -> b.getObjectAsBytes(r -> r.bucket("ac-alice").key("report.csv")));
            S3Exception unknown = assertThrows(S3Exception.class, () -> a.putBucketPolicy(r -> r.bucket("ac-alice").policy("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"AWS":["arn:aws:iam::000000000000:user/ac-nobody"]},
                     "Action":"s3:GetObject","Resource":"arn:aws:s3:::ac-alice/*"}]}""")));
            assertEquals(400, unknown.statusCode());
            assertEquals("MalformedPolicy", unknown.awsErrorDetails().errorCode());
            assertEquals("Invalid principal in policy", unknown.awsErrorDetails().errorMessage());
            a.putBucketPolicy(r -> r.bucket("ac-alice").policy("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"AWS":["arn:aws:iam::000000000000:user/ac-bob"]},
                     "Action":"s3:GetObject","Resource":"arn:aws:s3:::ac-alice/*"}]}"""));
            assertFalse(a.getBucketPolicyStatus(r -> r.bucket("ac-alice")).policyStatus().isPublic());
            assertEquals("1,2", b.getObjectAsBytes(r -> r.bucket("ac-alice").key("report.csv")).asUtf8String());
            denied(() -> b.putObject(r -> r.bucket("ac-alice").key("report.csv"), RequestBody.fromString("tampered")));
            a.putBucketPolicy(r -> r.bucket("ac-alice").policy("""
                    {"Version":"2012-10-17","Statement":[{"Sid":"RestrictToTLSRequestsOnly","Effect":"Deny","Principal":"*",
                     "Action":"s3:*","Resource":["arn:aws:s3:::ac-alice","arn:aws:s3:::ac-alice/*"],
                     "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"""));
            denied(() -> a.getObjectAsBytes(r -> r.bucket("ac-alice").key("report.csv")));
            denied(() -> a.deleteObject(r -> r.bucket("ac-alice").key("report.csv")));
            denied(() -> a.deleteBucketPolicy(r -> r.bucket("ac-alice")));
        }
        root.deleteBucketPolicy(r -> r.bucket("ac-alice"));
        assertEquals("1,2", root.getObjectAsBytes(r -> r.bucket("ac-alice").key("report.csv")).asUtf8String());
    }

    @Test
    void aclGrantToASecondUserAndOwnershipControls() throws Exception {
        AdminClient.NewUser ann = admin.addUser("ac-ann");
        AdminClient.NewUser ben = admin.addUser("ac-ben");
        try (S3Client a = store.client(ann.accessKey(), ann.secretKey(), true);
             S3Client b = store.client(ben.accessKey(), ben.secretKey(), true)) {
            String benId = b.listBuckets().owner().id();
            assertEquals(64, benId.length(), "Owner shows the stable canonical user id");
            assertEquals("ac-ben", b.listBuckets().owner().displayName());
            a.createBucket(r -> r.bucket("ac-default"));
            assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, a.getBucketOwnershipControls(r -> r.bucket("ac-default"))
                    .ownershipControls().rules().get(0).objectOwnership());
            a.putObject(r -> r.bucket("ac-default").key("k"), RequestBody.fromString("v"));
            assertEquals("AccessControlListNotSupported", assertThrows(S3Exception.class, () -> a.putObjectAcl(r -> r
                    .bucket("ac-default").key("k").acl(ObjectCannedACL.PUBLIC_READ))).awsErrorDetails().errorCode());

            a.createBucket(r -> r.bucket("ac-acl").objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED));
            a.putObject(r -> r.bucket("ac-acl").key("shared.txt"), RequestBody.fromString("for ben"));
            denied(() -> b.getObjectAsBytes(r -> r.bucket("ac-acl").key("shared.txt")));
            a.putObjectAcl(r -> r.bucket("ac-acl").key("shared.txt").grantRead("id=" + benId));
            assertTrue(a.getObjectAcl(r -> r.bucket("ac-acl").key("shared.txt")).grants().stream()
                    .anyMatch(g -> benId.equals(g.grantee().id()) && g.permission() == Permission.READ));
            assertEquals("for ben", b.getObjectAsBytes(r -> r.bucket("ac-acl").key("shared.txt")).asUtf8String());
            denied(() -> b.putObject(r -> r.bucket("ac-acl").key("shared.txt"), RequestBody.fromString("tampered")));
            denied(() -> b.deleteObject(r -> r.bucket("ac-acl").key("shared.txt")));
            a.putObject(r -> r.bucket("ac-acl").key("public.txt").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("all"));
            assertEquals("all", unsigned("GET", "/ac-acl/public.txt", null).body());

            a.createBucket(r -> r.bucket("ac-writer").objectOwnership(ObjectOwnership.OBJECT_WRITER));
            a.putBucketAcl(r -> r.bucket("ac-writer").grantWrite("id=" + benId)
                    .grantFullControl("id=" + a.listBuckets().owner().id()));
            b.putObject(r -> r.bucket("ac-writer").key("bens.txt"), RequestBody.fromString("by ben"));
            assertEquals(benId, b.getObjectAcl(r -> r.bucket("ac-writer").key("bens.txt")).owner().id(), "the writer owns it");
            assertEquals(benId, a.listObjects(r -> r.bucket("ac-writer")).contents().get(0).owner().id());
            assertEquals(benId, a.listObjectsV2(r -> r.bucket("ac-writer").fetchOwner(true)).contents().get(0).owner().id());
        }
    }

    /**
     * Object ownership per version: the writer owns the version it wrote (GetObjectAcl by versionId,
     * ListObjectVersions, FULL_CONTROL of that version only). Each version has its own ACL record: a
     * newer version written (or an ACL set on one version) never changes another version's owner or
     * grants, and a version deleted for good takes its record with it.
     */
    @Test
    void writerOwnsTheVersionItWroteInAVersionedBucket() throws Exception {
        AdminClient.NewUser ann = admin.addUser("ac-vann");
        AdminClient.NewUser ben = admin.addUser("ac-vben");
        try (S3Client a = store.client(ann.accessKey(), ann.secretKey(), true);
             S3Client b = store.client(ben.accessKey(), ben.secretKey(), true)) {
            String annId = a.listBuckets().owner().id();
            String benId = b.listBuckets().owner().id();
            a.createBucket(r -> r.bucket("ac-writer-ver").objectOwnership(ObjectOwnership.OBJECT_WRITER));
            a.putBucketAcl(r -> r.bucket("ac-writer-ver").grantWrite("id=" + benId).grantFullControl("id=" + annId));
            a.putBucketVersioning(r -> r.bucket("ac-writer-ver")
                    .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
            String v1 = b.putObject(r -> r.bucket("ac-writer-ver").key("k"), RequestBody.fromString("by ben")).versionId();
            String v2 = a.putObject(r -> r.bucket("ac-writer-ver").key("k"), RequestBody.fromString("by ann")).versionId();

            assertEquals(benId, b.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k").versionId(v1)).owner().id());
            denied(() -> a.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k").versionId(v1)));
            assertEquals(annId, a.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k")).owner().id());
            var versions = a.listObjectVersions(r -> r.bucket("ac-writer-ver")).versions();
            assertEquals(benId, versions.stream().filter(v -> v.versionId().equals(v1)).findFirst().orElseThrow().owner().id());
            assertEquals(annId, versions.stream().filter(v -> v.versionId().equals(v2)).findFirst().orElseThrow().owner().id());
            assertEquals("by ben", b.getObjectAsBytes(r -> r.bucket("ac-writer-ver").key("k").versionId(v1)).asUtf8String());
            denied(() -> b.getObjectAsBytes(r -> r.bucket("ac-writer-ver").key("k").versionId(v2)));
            denied(() -> b.getObjectAsBytes(r -> r.bucket("ac-writer-ver").key("k")));

            String v3 = b.putObject(r -> r.bucket("ac-writer-ver").key("k"), RequestBody.fromString("ben again")).versionId();
            assertEquals(benId, b.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k").versionId(v3)).owner().id());
            denied(() -> a.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k").versionId(v3)));
            assertEquals(benId, b.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k").versionId(v1)).owner().id(),
                    "v1 keeps its own owner after v3");
            assertEquals("by ben", b.getObjectAsBytes(r -> r.bucket("ac-writer-ver").key("k").versionId(v1)).asUtf8String());
            assertEquals("ben again", b.getObjectAsBytes(r -> r.bucket("ac-writer-ver").key("k")).asUtf8String());

            // an ACL set on v2 (ann's) grants ben v2 only; v1's and v3's records are untouched
            a.putObjectAcl(r -> r.bucket("ac-writer-ver").key("k").versionId(v2).grantRead("id=" + benId)
                    .grantFullControl("id=" + annId));
            assertEquals("by ann", b.getObjectAsBytes(r -> r.bucket("ac-writer-ver").key("k").versionId(v2)).asUtf8String());
            assertEquals(benId, b.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k").versionId(v1)).owner().id());
            assertEquals(benId, b.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k").versionId(v3)).owner().id());
            assertTrue(a.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k").versionId(v2)).grants().stream()
                    .anyMatch(g -> benId.equals(g.grantee().id()) && g.permission() == Permission.READ));
            assertTrue(b.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k").versionId(v1)).grants().stream()
                    .noneMatch(g -> g.permission() == Permission.READ), "v1's grants are untouched");

            // deleting v3 for good removes its record: the key's latest is v2 again, with v2's own ACL
            a.deleteObject(r -> r.bucket("ac-writer-ver").key("k").versionId(v3));
            assertEquals(annId, a.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k")).owner().id());
            assertEquals("by ann", b.getObjectAsBytes(r -> r.bucket("ac-writer-ver").key("k")).asUtf8String());
            assertEquals(benId, b.getObjectAcl(r -> r.bucket("ac-writer-ver").key("k").versionId(v1)).owner().id());

            // DeleteObjectVersion is decided on the bucket's WRITE grant, as S3 does, not on the version's ACL
            b.deleteObject(r -> r.bucket("ac-writer-ver").key("k").versionId(v2));
            assertEquals("by ben", b.getObjectAsBytes(r -> r.bucket("ac-writer-ver").key("k")).asUtf8String());
        }
    }

    /**
     * Two writers racing on one key under ObjectWriter (versioned bucket): each version is owned by
     * the writer whose request committed it, never by the other racer (the owner is recorded against
     * the version the request committed, not the key's latest after it).
     */
    @Test
    void racingWritersEachOwnTheVersionTheyWrote() throws Exception {
        AdminClient.NewUser ann = admin.addUser("ac-rann");
        AdminClient.NewUser ben = admin.addUser("ac-rben");
        AdminClient.NewUser cat = admin.addUser("ac-rcat");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (S3Client a = store.client(ann.accessKey(), ann.secretKey(), true);
             S3Client b = store.client(ben.accessKey(), ben.secretKey(), true);
             S3Client c = store.client(cat.accessKey(), cat.secretKey(), true)) {
            String annId = a.listBuckets().owner().id();
            String benId = b.listBuckets().owner().id();
            String catId = c.listBuckets().owner().id();
            a.createBucket(r -> r.bucket("ac-race").objectOwnership(ObjectOwnership.OBJECT_WRITER));
            a.putBucketAcl(r -> r.bucket("ac-race").grantWrite("id=" + benId + ", id=" + catId)
                    .grantFullControl("id=" + annId));
            a.putBucketVersioning(r -> r.bucket("ac-race").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
            java.util.Map<String, String> writerOf = new java.util.HashMap<>();
            for (int round = 0; round < 8; round++) {
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                int n = round;
                var fb = pool.submit(() -> {
                    start.await();
                    return b.putObject(r -> r.bucket("ac-race").key("k"), RequestBody.fromString("ben " + n)).versionId();
                });
                var fc = pool.submit(() -> {
                    start.await();
                    return c.putObject(r -> r.bucket("ac-race").key("k"), RequestBody.fromString("cat " + n)).versionId();
                });
                writerOf.put(fb.get(), benId);
                writerOf.put(fc.get(), catId);
            }
            assertEquals(16, writerOf.size());
            for (var e : writerOf.entrySet()) {
                // under ObjectWriter only a version's owner reads its ACL: the other racer would be denied
                S3Client writer = e.getValue().equals(benId) ? b : c;
                assertEquals(e.getValue(), writer.getObjectAcl(r -> r.bucket("ac-race").key("k").versionId(e.getKey())).owner().id(),
                        "version " + e.getKey() + " is owned by its writer");
            }
            for (var v : a.listObjectVersions(r -> r.bucket("ac-race")).versions()) {
                assertEquals(writerOf.get(v.versionId()), v.owner().id());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writerOwnedObjectsUploadsAndAnonymousWritesAreOwnedAsOnS3() throws Exception {
        AdminClient.NewUser cat = admin.addUser("ac-cat");
        AdminClient.NewUser dan = admin.addUser("ac-dan");
        try (S3Client c = store.client(cat.accessKey(), cat.secretKey(), true);
             S3Client d = store.client(dan.accessKey(), dan.secretKey(), true)) {
            String catId = c.listBuckets().owner().id();
            String danId = d.listBuckets().owner().id();
            c.createBucket(r -> r.bucket("ac-ow").objectOwnership(ObjectOwnership.OBJECT_WRITER));
            c.putBucketAcl(r -> r.bucket("ac-ow").grantWrite("id=" + danId).grantFullControl("id=" + catId));

            d.putObject(r -> r.bucket("ac-ow").key("dans.txt"), RequestBody.fromString("dan's"));
            denied(() -> c.getObjectAsBytes(r -> r.bucket("ac-ow").key("dans.txt")));
            denied(() -> c.getObjectAcl(r -> r.bucket("ac-ow").key("dans.txt")));
            denied(() -> c.copyObject(r -> r.sourceBucket("ac-ow").sourceKey("dans.txt").destinationBucket("ac-ow")
                    .destinationKey("copied.txt")));
            d.putObjectAcl(r -> r.bucket("ac-ow").key("dans.txt").grantRead("id=" + catId));
            assertEquals("dan's", c.getObjectAsBytes(r -> r.bucket("ac-ow").key("dans.txt")).asUtf8String(), "granted");
            c.deleteObject(r -> r.bucket("ac-ow").key("dans.txt"));
            assertTrue(c.listObjectsV2(r -> r.bucket("ac-ow")).contents().isEmpty(), "the bucket owner may delete it");

            String uploadId = d.createMultipartUpload(r -> r.bucket("ac-ow").key("big.bin")).uploadId();
            String etag = d.uploadPart(r -> r.bucket("ac-ow").key("big.bin").uploadId(uploadId).partNumber(1),
                    RequestBody.fromString("one part")).eTag();
            var upload = c.listMultipartUploads(r -> r.bucket("ac-ow")).uploads().get(0);
            assertEquals("arn:aws:iam::000000000000:user/ac-dan", upload.initiator().id());
            assertEquals("ac-dan", upload.initiator().displayName());
            assertEquals(danId, upload.owner().id());
            var parts = d.listParts(r -> r.bucket("ac-ow").key("big.bin").uploadId(uploadId));
            assertEquals(danId, parts.owner().id());
            c.completeMultipartUpload(r -> r.bucket("ac-ow").key("big.bin").uploadId(uploadId)
                    .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
            assertEquals(danId, d.getObjectAcl(r -> r.bucket("ac-ow").key("big.bin")).owner().id(),
                    "the initiator owns the completed ball, not the sender of the completion");
            denied(() -> c.getObjectAsBytes(r -> r.bucket("ac-ow").key("big.bin")));

            c.putBucketPolicy(r -> r.bucket("ac-ow").policy("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:PutObject","s3:GetObject"],
                     "Resource":"arn:aws:s3:::ac-ow/inbox/*"}]}"""));
            assertEquals(200, unsigned("PUT", "/ac-ow/inbox/drop.txt", "anonymous").statusCode());
            var owner = c.listObjectsV2(r -> r.bucket("ac-ow").prefix("inbox/").fetchOwner(true)).contents().get(0).owner();
            assertEquals("65a011a29cdf8ec533ec3d1ccaae921c", owner.id(), "S3's anonymous user owns it");
            assertEquals("anonymous", owner.displayName());
            assertEquals("anonymous", unsigned("GET", "/ac-ow/inbox/drop.txt", null).body());

            S3Exception unknown = assertThrows(S3Exception.class, () -> c.putBucketAcl(r -> r.bucket("ac-ow")
                    .grantRead("id=" + "0".repeat(64))));
            assertEquals("InvalidArgument", unknown.awsErrorDetails().errorCode());
            S3Exception email = assertThrows(S3Exception.class, () -> c.putBucketAcl(r -> r.bucket("ac-ow")
                    .grantRead("emailAddress=nobody@example.com")));
            assertEquals("UnresolvableGrantByEmailAddress", email.awsErrorDetails().errorCode());
            S3Exception principal = assertThrows(S3Exception.class, () -> c.putBucketPolicy(r -> r.bucket("ac-ow").policy("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"CanonicalUser":"%s"},
                     "Action":"s3:GetObject","Resource":"arn:aws:s3:::ac-ow/*"}]}""".formatted("1".repeat(64)))));
            assertEquals("MalformedPolicy", principal.awsErrorDetails().errorCode());
            assertEquals("Invalid principal in policy", principal.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void aGroupsPolicyAppliesToItsMembers() throws Exception {
        root.createBucket(r -> r.bucket("ac-team"));
        root.putObject(r -> r.bucket("ac-team").key("plan.md"), RequestBody.fromString("plan"));
        AdminClient.NewUser fay = admin.addUser("ac-fay");
        admin.addGroup("ac-readers");
        admin.groupMember("ac-readers", "ac-fay", true);
        admin.attachGroupPolicy("ac-readers", "readonly");
        assertEquals("readonly", admin.groupPolicies("ac-readers").path("attached").get(0).asText());
        try (S3Client f = store.client(fay.accessKey(), fay.secretKey(), true)) {
            assertEquals("plan", f.getObjectAsBytes(r -> r.bucket("ac-team").key("plan.md")).asUtf8String());
            denied(() -> f.putObject(r -> r.bucket("ac-team").key("x"), RequestBody.fromString("x")));
            admin.groupMember("ac-readers", "ac-fay", false);
            denied(() -> f.getObjectAsBytes(r -> r.bucket("ac-team").key("plan.md")));
        }
        AdminClient.AdminException conflict = assertThrows(AdminClient.AdminException.class, () -> admin.deleteGroup("ac-readers"));
        assertEquals("DeleteConflict", conflict.code());
        admin.detachGroupPolicy("ac-readers", "readonly");
        admin.deleteGroup("ac-readers");
    }

    @Test
    void awsCliPutsAndReadsBucketPolicies() throws Exception {
        Path home = Files.createTempDirectory("ac-cli");
        try {
            AwsCli aws = new AwsCli(store, home);
            aws.run("s3api", "create-bucket", "--bucket", "ac-cli");
            Path policy = aws.file("policy.json", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
                     "Resource":"arn:aws:s3:::ac-cli/*"}]}""".getBytes(StandardCharsets.UTF_8));
            aws.run("s3api", "put-bucket-policy", "--bucket", "ac-cli", "--policy", "file://" + policy);
            assertTrue(aws.text("s3api", "get-bucket-policy-status", "--bucket", "ac-cli").contains("\"IsPublic\": true"));
            assertTrue(aws.text("s3api", "get-bucket-policy", "--bucket", "ac-cli").contains("arn:aws:s3:::ac-cli/*"));
            aws.run("s3api", "delete-bucket-policy", "--bucket", "ac-cli");
        } finally {
            try (var walk = Files.walk(home)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
