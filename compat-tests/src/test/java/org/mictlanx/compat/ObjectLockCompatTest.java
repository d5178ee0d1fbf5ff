package org.mictlanx.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.server.AdminClient;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3 Object Lock through the AWS SDK for Java v2 against a real all-in-one. */
class ObjectLockCompatTest {

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

    static String code(Runnable call) {
        return assertThrows(S3Exception.class, call::run).awsErrorDetails().errorCode();
    }

    static String lockedBucket(String prefix) {
        String b = prefix + "-" + System.nanoTime();
        s3.createBucket(r -> r.bucket(b).objectLockEnabledForBucket(true));
        return b;
    }

    static Instant in(long seconds) {
        return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void lockBucketConfigurationAndVersioning() {
        String b = lockedBucket("lock");
        assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket(b)).status());
        assertEquals("Enabled", s3.getObjectLockConfiguration(r -> r.bucket(b)).objectLockConfiguration().objectLockEnabledAsString());
        assertNull(s3.getObjectLockConfiguration(r -> r.bucket(b)).objectLockConfiguration().rule());
        assertEquals("InvalidBucketState", code(() -> s3.putBucketVersioning(r -> r.bucket(b)
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED)))));
        s3.putObjectLockConfiguration(r -> r.bucket(b).objectLockConfiguration(c -> c.objectLockEnabled("Enabled")
                .rule(rule -> rule.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
        var rule = s3.getObjectLockConfiguration(r -> r.bucket(b)).objectLockConfiguration().rule().defaultRetention();
        assertEquals(ObjectLockRetentionMode.GOVERNANCE, rule.mode());
        assertEquals(1, rule.days());
        assertEquals("InvalidRetentionPeriod", code(() -> s3.putObjectLockConfiguration(r -> r.bucket(b)
                .objectLockConfiguration(c -> c.objectLockEnabled("Enabled")
                        .rule(x -> x.defaultRetention(d -> d.mode(ObjectLockRetentionMode.COMPLIANCE).days(-1)))))));
        assertEquals("MalformedXML", code(() -> s3.putObjectLockConfiguration(r -> r.bucket(b)
                .objectLockConfiguration(c -> c.objectLockEnabled("Enabled")
                        .rule(x -> x.defaultRetention(d -> d.mode(ObjectLockRetentionMode.COMPLIANCE).days(1).years(1)))))));
        // the default applies to a new version without lock headers
        String v = s3.putObject(r -> r.bucket(b).key("d"), RequestBody.fromString("x")).versionId();
        var ret = s3.getObjectRetention(r -> r.bucket(b).key("d").versionId(v)).retention();
        assertEquals(ObjectLockRetentionMode.GOVERNANCE, ret.mode());
        assertEquals("AccessDenied", code(() -> s3.deleteObject(r -> r.bucket(b).key("d").versionId(v))));
        s3.deleteObject(r -> r.bucket(b).key("d").versionId(v).bypassGovernanceRetention(true));

        String plain = CompatData.newBucket(s3, "nolock");
        assertEquals("ObjectLockConfigurationNotFoundError", code(() -> s3.getObjectLockConfiguration(r -> r.bucket(plain))));
        assertEquals("InvalidBucketState", code(() -> s3.putObjectLockConfiguration(r -> r.bucket(plain)
                .objectLockConfiguration(c -> c.objectLockEnabled("Enabled")))));
        assertEquals("InvalidRequest", code(() -> s3.putObject(r -> r.bucket(plain).key("k")
                .objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(in(60)), RequestBody.fromString("x"))));
        s3.putObject(r -> r.bucket(plain).key("k"), RequestBody.fromString("x"));
        assertEquals("InvalidRequest", code(() -> s3.getObjectRetention(r -> r.bucket(plain).key("k"))));
    }

    @Test
    void complianceRetentionCanOnlyBeExtended() {
        String b = lockedBucket("comp");
        Instant until = in(3600);
        var put = s3.putObject(r -> r.bucket(b).key("k").objectLockMode(ObjectLockMode.COMPLIANCE)
                .objectLockRetainUntilDate(until), RequestBody.fromString("worm"));
        String v = put.versionId();
        var head = s3.headObject(r -> r.bucket(b).key("k"));
        assertEquals(ObjectLockMode.COMPLIANCE, head.objectLockMode());
        assertEquals(until, head.objectLockRetainUntilDate());
        assertEquals("AccessDenied", code(() -> s3.deleteObject(r -> r.bucket(b).key("k").versionId(v))));
        assertEquals("AccessDenied", code(() -> s3.deleteObject(r -> r.bucket(b).key("k").versionId(v)
                .bypassGovernanceRetention(true))));
        assertEquals("AccessDenied", code(() -> s3.putObjectRetention(r -> r.bucket(b).key("k").versionId(v)
                .retention(x -> x.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(in(60))))));
        assertEquals("AccessDenied", code(() -> s3.putObjectRetention(r -> r.bucket(b).key("k").versionId(v)
                .bypassGovernanceRetention(true).retention(x -> x.mode(ObjectLockRetentionMode.GOVERNANCE)
                        .retainUntilDate(in(7200))))));
        s3.putObjectRetention(r -> r.bucket(b).key("k").versionId(v)
                .retention(x -> x.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(in(7200))));
        assertEquals(in(7200).getEpochSecond(), s3.getObjectRetention(r -> r.bucket(b).key("k").versionId(v))
                .retention().retainUntilDate().getEpochSecond(), 5.0);
        // a delete without version id only adds a marker; the locked version stays
        assertEquals(true, s3.deleteObject(r -> r.bucket(b).key("k")).deleteMarker());
        assertEquals("worm", s3.getObjectAsBytes(r -> r.bucket(b).key("k").versionId(v)).asUtf8String());
        assertEquals("BucketNotEmpty", code(() -> s3.deleteBucket(r -> r.bucket(b))));
    }

    @Test
    void governanceNeedsBypassToShortenAndLegalHoldBlocksEverything() {
        String b = lockedBucket("gov");
        String v = s3.putObject(r -> r.bucket(b).key("k").objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(in(3600)), RequestBody.fromString("x")).versionId();
        assertEquals("AccessDenied", code(() -> s3.putObjectRetention(r -> r.bucket(b).key("k").versionId(v)
                .retention(x -> x.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(in(60))))));
        s3.putObjectRetention(r -> r.bucket(b).key("k").versionId(v).bypassGovernanceRetention(true)
                .retention(x -> x.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(in(60))));
        s3.putObjectLegalHold(r -> r.bucket(b).key("k").versionId(v).legalHold(h -> h.status(ObjectLockLegalHoldStatus.ON)));
        assertEquals(ObjectLockLegalHoldStatus.ON, s3.getObjectLegalHold(r -> r.bucket(b).key("k").versionId(v)).legalHold().status());
        assertEquals("AccessDenied", code(() -> s3.deleteObject(r -> r.bucket(b).key("k").versionId(v)
                .bypassGovernanceRetention(true))));
        s3.putObjectLegalHold(r -> r.bucket(b).key("k").versionId(v).legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
        s3.deleteObject(r -> r.bucket(b).key("k").versionId(v).bypassGovernanceRetention(true));
        assertEquals("NoSuchVersion", code(() -> s3.getObjectRetention(r -> r.bucket(b).key("k").versionId(v))));

        String w = s3.putObject(r -> r.bucket(b).key("plain"), RequestBody.fromString("x")).versionId();
        assertEquals("NoSuchObjectLockConfiguration", code(() -> s3.getObjectRetention(r -> r.bucket(b).key("plain"))));
        assertEquals("NoSuchObjectLockConfiguration", code(() -> s3.getObjectLegalHold(r -> r.bucket(b).key("plain"))));
        assertEquals("InvalidArgument", code(() -> s3.putObject(r -> r.bucket(b).key("bad")
                .objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(in(-60)), RequestBody.fromString("x"))));
        assertEquals("InvalidArgument", code(() -> s3.putObject(r -> r.bucket(b).key("bad")
                .objectLockMode(ObjectLockMode.GOVERNANCE), RequestBody.fromString("x"))));
        s3.deleteObject(r -> r.bucket(b).key("plain").versionId(w));
    }

    /**
     * Bypassing GOVERNANCE retention is its own IAM action: a user whose policy allows
     * PutObjectRetention and DeleteObjectVersion but not s3:BypassGovernanceRetention can extend a
     * retention but neither shorten it nor delete the version, header or not; once the policy allows
     * the bypass, both succeed. Root keeps the bypass implicitly.
     */
    @Test
    void bypassingGovernanceNeedsBypassGovernanceRetention() throws Exception {
        String b = lockedBucket("bypass");
        String v = s3.putObject(r -> r.bucket(b).key("g").objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(in(3600)), RequestBody.fromString("x")).versionId();
        AdminClient admin = new AdminClient(store.endpoint(), AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY);
        String user = "locker-" + System.nanoTime();
        AdminClient.NewUser u = admin.addUser(user);
        String allow = "\"s3:GetObjectRetention\",\"s3:PutObjectRetention\",\"s3:DeleteObjectVersion\",\"s3:GetObjectVersion\"";
        admin.putPolicy(user + "-retention", ("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
                + allow + "],\"Resource\":\"arn:aws:s3:::" + b + "/*\"}]}").getBytes(StandardCharsets.UTF_8));
        admin.attachPolicy(user, user + "-retention");
        try (S3Client c = store.client(u.accessKey(), u.secretKey(), true)) {
            c.putObjectRetention(r -> r.bucket(b).key("g").versionId(v).retention(x -> x
                    .mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(in(7200))));
            assertEquals("AccessDenied", code(() -> c.putObjectRetention(r -> r.bucket(b).key("g").versionId(v)
                    .bypassGovernanceRetention(true).retention(x -> x.mode(ObjectLockRetentionMode.GOVERNANCE)
                            .retainUntilDate(in(60))))));
            assertEquals("AccessDenied", code(() -> c.deleteObject(r -> r.bucket(b).key("g").versionId(v)
                    .bypassGovernanceRetention(true))));
            assertEquals(v, c.headObject(r -> r.bucket(b).key("g").versionId(v)).versionId(), "still there");
            admin.putPolicy(user + "-bypass", ("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":\"s3:BypassGovernanceRetention\",\"Resource\":\"arn:aws:s3:::" + b + "/*\"}]}")
                    .getBytes(StandardCharsets.UTF_8));
            admin.attachPolicy(user, user + "-bypass");
            c.putObjectRetention(r -> r.bucket(b).key("g").versionId(v).bypassGovernanceRetention(true)
                    .retention(x -> x.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(in(60))));
            assertEquals(in(60).getEpochSecond(), c.getObjectRetention(r -> r.bucket(b).key("g").versionId(v))
                    .retention().retainUntilDate().getEpochSecond(), 5);
            c.deleteObject(r -> r.bucket(b).key("g").versionId(v).bypassGovernanceRetention(true));
        }
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.headObject(r -> r.bucket(b).key("g").versionId(v)))
                .statusCode(), "the version is gone");
    }

    /**
     * Lock headers on CreateMultipartUpload apply to the version CompleteMultipartUpload creates
     * (mode, retain-until date, legal hold); its parts need no Content-MD5 (SigV4's payload hash
     * protects them, as S3 accepts); without headers the bucket default applies.
     */
    @Test
    void lockHeadersOnMultipartUploadApplyToTheCompletedVersion() throws Exception {
        String b = lockedBucket("lockmp");
        Instant until = in(3600);
        String up = s3.createMultipartUpload(r -> r.bucket(b).key("mp").objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(until).objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)).uploadId();
        // a part sent raw: no Content-MD5, no x-amz-checksum-*, only SigV4's payload hash
        var part = RawS3.send(store, "PUT", "/" + b + "/mp", "partNumber=1&uploadId=" + up, Map.of(),
                "parted".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, part.statusCode(), part.body());
        String etag = part.headers().firstValue("etag").orElseThrow();
        String v = s3.completeMultipartUpload(r -> r.bucket(b).key("mp").uploadId(up)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()))).versionId();
        var ret = s3.getObjectRetention(r -> r.bucket(b).key("mp").versionId(v)).retention();
        assertEquals(ObjectLockRetentionMode.GOVERNANCE, ret.mode());
        assertEquals(until, ret.retainUntilDate());
        assertEquals(ObjectLockLegalHoldStatus.ON, s3.getObjectLegalHold(r -> r.bucket(b).key("mp").versionId(v)).legalHold().status());
        var head = s3.headObject(r -> r.bucket(b).key("mp").versionId(v));
        assertEquals(ObjectLockMode.GOVERNANCE, head.objectLockMode());
        assertEquals(ObjectLockLegalHoldStatus.ON, head.objectLockLegalHoldStatus());
        assertEquals("AccessDenied", code(() -> s3.deleteObject(r -> r.bucket(b).key("mp").versionId(v)
                .bypassGovernanceRetention(true))), "a legal hold is not bypassed");

        // no headers: the bucket default retention applies to the completed version
        s3.putObjectLockConfiguration(r -> r.bucket(b).objectLockConfiguration(c -> c.objectLockEnabled("Enabled")
                .rule(rule -> rule.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(2)))));
        String up2 = s3.createMultipartUpload(r -> r.bucket(b).key("mp2")).uploadId();
        String e2 = s3.uploadPart(r -> r.bucket(b).key("mp2").uploadId(up2).partNumber(1), RequestBody.fromString("two")).eTag();
        String v2 = s3.completeMultipartUpload(r -> r.bucket(b).key("mp2").uploadId(up2)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e2).build()))).versionId();
        var def = s3.getObjectRetention(r -> r.bucket(b).key("mp2").versionId(v2)).retention();
        assertEquals(ObjectLockRetentionMode.GOVERNANCE, def.mode());
        assertTrue(def.retainUntilDate().isAfter(Instant.now().plusSeconds(86400)), "about two days from now");
        assertEquals("InvalidRequest", code(() -> s3.createMultipartUpload(r -> r.bucket(CompatData.newBucket(s3, "nolock"))
                .key("x").objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(until))),
                "lock headers on a bucket without object lock");
    }

    /**
     * Lock headers on CopyObject apply to the copy's new version (the source's own lock is not
     * copied); without headers the bucket default applies.
     */
    @Test
    void lockHeadersOnCopyApplyToTheNewVersion() {
        String b = lockedBucket("lockcp");
        String src = s3.putObject(r -> r.bucket(b).key("src"), RequestBody.fromString("source")).versionId();
        Instant until = in(7200);
        var copy = s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b).destinationKey("dst")
                .objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(until)
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON));
        var ret = s3.getObjectRetention(r -> r.bucket(b).key("dst").versionId(copy.versionId())).retention();
        assertEquals(ObjectLockRetentionMode.GOVERNANCE, ret.mode());
        assertEquals(until, ret.retainUntilDate());
        assertEquals(ObjectLockLegalHoldStatus.ON,
                s3.getObjectLegalHold(r -> r.bucket(b).key("dst").versionId(copy.versionId())).legalHold().status());
        assertEquals("NoSuchObjectLockConfiguration", code(() -> s3.getObjectRetention(r -> r.bucket(b).key("src").versionId(src))),
                "the source had no retention and still has none");
        assertEquals("InvalidArgument", code(() -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("src")
                .destinationBucket(b).destinationKey("bad").objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(Instant.now().minusSeconds(60)))), "a retain-until date in the past");

        s3.putObjectLockConfiguration(r -> r.bucket(b).objectLockConfiguration(c -> c.objectLockEnabled("Enabled")
                .rule(rule -> rule.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
        String plain = s3.copyObject(r -> r.sourceBucket(b).sourceKey("src").destinationBucket(b).destinationKey("dflt")).versionId();
        assertEquals(ObjectLockRetentionMode.GOVERNANCE,
                s3.getObjectRetention(r -> r.bucket(b).key("dflt").versionId(plain)).retention().mode());
    }

    /**
     * Content-MD5 or an x-amz-checksum-* header is required, as S3 requires it, for PutObject with
     * lock headers, PutObjectRetention and PutObjectLegalHold: sent without (SigV4's payload hash
     * alone), each is 400 InvalidRequest and changes nothing; with Content-MD5 each succeeds.
     */
    @Test
    void integrityHeaderRequiredForLockedPutsRetentionAndLegalHold() throws Exception {
        String b = lockedBucket("lockmd5");
        String v = s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("x")).versionId();
        byte[] body = "locked".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String until = in(3600).toString();
        var put = RawS3.send(store, "PUT", "/" + b + "/k", "", Map.of("x-amz-object-lock-mode", "GOVERNANCE",
                "x-amz-object-lock-retain-until-date", until), body);
        assertEquals(400, put.statusCode());
        assertTrue(put.body().contains("<Code>InvalidRequest</Code>") && put.body().contains("Content-MD5"), put.body());
        assertEquals(v, s3.headObject(r -> r.bucket(b).key("k")).versionId(), "nothing was written");
        var withMd5 = RawS3.send(store, "PUT", "/" + b + "/k", "", Map.of("x-amz-object-lock-mode", "GOVERNANCE",
                "x-amz-object-lock-retain-until-date", until, "content-md5", md5(body)), body);
        assertEquals(200, withMd5.statusCode(), withMd5.body());

        byte[] retention = ("<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>GOVERNANCE</Mode>"
                + "<RetainUntilDate>" + until + "</RetainUntilDate></Retention>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var ret = RawS3.send(store, "PUT", "/" + b + "/k", "retention&versionId=" + v, Map.of(), retention);
        assertEquals(400, ret.statusCode());
        assertTrue(ret.body().contains("<Code>InvalidRequest</Code>"), ret.body());
        assertEquals("NoSuchObjectLockConfiguration", code(() -> s3.getObjectRetention(r -> r.bucket(b).key("k").versionId(v))));
        var retOk = RawS3.send(store, "PUT", "/" + b + "/k", "retention&versionId=" + v, Map.of("content-md5", md5(retention)),
                retention);
        assertEquals(200, retOk.statusCode(), retOk.body());

        byte[] hold = "<LegalHold xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>ON</Status></LegalHold>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var lh = RawS3.send(store, "PUT", "/" + b + "/k", "legal-hold&versionId=" + v, Map.of(), hold);
        assertEquals(400, lh.statusCode());
        assertTrue(lh.body().contains("<Code>InvalidRequest</Code>"), lh.body());
        assertEquals(ObjectLockLegalHoldStatus.OFF, legalHoldOrOff(b, v));
        var lhOk = RawS3.send(store, "PUT", "/" + b + "/k", "legal-hold&versionId=" + v, Map.of("content-md5", md5(hold)), hold);
        assertEquals(200, lhOk.statusCode(), lhOk.body());
        assertEquals(ObjectLockLegalHoldStatus.ON, legalHoldOrOff(b, v));
    }

    private static ObjectLockLegalHoldStatus legalHoldOrOff(String b, String v) {
        try {
            return s3.getObjectLegalHold(r -> r.bucket(b).key("k").versionId(v)).legalHold().status();
        } catch (S3Exception e) {
            return ObjectLockLegalHoldStatus.OFF;
        }
    }

    private static String md5(byte[] body) throws Exception {
        return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(body));
    }
}
