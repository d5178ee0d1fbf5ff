package org.mictlanx.s3.handler;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.ObjectLockConfig;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.VersioningState;
import org.mictlanx.router.lock.LockState;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Permissions;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.ObjectLockDocuments;
import org.mictlanx.s3.xml.S3Xml;

/**
 * S3 Object Lock: Put/GetObjectLockConfiguration, Put/GetObjectRetention, Put/GetObjectLegalHold.
 * Every change of a version's lock goes through {@link BallStore#changeBallLock}, which decides it
 * under the key's guard, the same guard every permanent delete takes: a retention or hold
 * acknowledged here is never bypassed by a concurrent delete through another router. COMPLIANCE
 * retention can only be extended, by anyone, root included; GOVERNANCE can be shortened, changed or
 * removed only with {@code x-amz-bypass-governance-retention: true} (by a caller allowed to write the
 * bucket; there are no per-action policies to grant it separately).
 */
public final class ObjectLockHandler {

    private final BallStore store;
    private final Authorizer authorizer;
    private final S3Config config;
    private final S3Xml xml;
    private final Clock clock;

    public ObjectLockHandler(BallStore store, Authorizer authorizer, S3Config config, S3Xml xml, Clock clock) {
        this.store = store;
        this.authorizer = authorizer;
        this.config = config;
        this.xml = xml;
        this.clock = clock;
    }

    /** The GetObjectLockConfiguration document; ObjectLockConfigurationNotFoundError when lock is off. */
    static ObjectLockDocuments.ObjectLockConfiguration document(BucketInfo bucket) {
        ObjectLockConfig c = bucket.objectLock();
        if (!c.enabled()) throw new S3Exception(S3ErrorCode.OBJECT_LOCK_CONFIGURATION_NOT_FOUND);
        ObjectLockDocuments.Rule rule = c.defaultMode() == null ? null : new ObjectLockDocuments.Rule(
                new ObjectLockDocuments.DefaultRetention(c.defaultMode(), c.days() > 0 ? c.days() : null,
                        c.years() > 0 ? c.years() : null));
        return new ObjectLockDocuments.ObjectLockConfiguration(S3Xml.NS, "Enabled", rule);
    }

    public S3Response putObjectLockConfiguration(S3Request req) {
        BucketInfo bucket = req.requireBucket();
        LockHeaders.requireIntegrityHeader(req, "Put Object Lock Configuration requests");
        var doc = xml.read(Bodies.readSmall(req, config.maxXmlBodyBytes()), ObjectLockDocuments.ObjectLockConfiguration.class);
        if (!"Enabled".equals(doc.objectLockEnabled())) throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        ObjectLockConfig next = new ObjectLockConfig(true, null, 0, 0);
        if (doc.rule() != null) {
            var d = doc.rule().defaultRetention();
            if (d == null || d.mode() == null || (d.days() == null) == (d.years() == null)) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            if (!LockState.GOVERNANCE.equals(d.mode()) && !LockState.COMPLIANCE.equals(d.mode())) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            int days = d.days() == null ? 0 : d.days();
            int years = d.years() == null ? 0 : d.years();
            if (d.days() != null && (days <= 0 || days > 36_500) || d.years() != null && (years <= 0 || years > 100)) {
                throw new S3Exception(S3ErrorCode.INVALID_RETENTION_PERIOD);
            }
            next = new ObjectLockConfig(true, d.mode(), days, years);
        }
        if (!bucket.objectLock().enabled() && bucket.versioning() != VersioningState.ENABLED) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_STATE,
                    "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
        }
        store.setBucketObjectLock(bucket.name(), next);
        return S3Response.status(200).header("Content-Length", "0").empty();
    }

    public S3Response getObjectRetention(S3Request req, S3Operation.GetObjectRetention op) {
        BallInfo ball = readable(req, op.key(), op.versionId());
        LockState s = LockState.of(ball.headers());
        if (s.mode() == null) throw new S3Exception(S3ErrorCode.NO_SUCH_OBJECT_LOCK_CONFIGURATION);
        return S3Response.status(200).xml(new ObjectLockDocuments.Retention(S3Xml.NS, s.mode(), s.retainUntil().toString()));
    }

    public S3Response getObjectLegalHold(S3Request req, S3Operation.GetObjectLegalHold op) {
        BallInfo ball = readable(req, op.key(), op.versionId());
        String hold = ball.headers().get(LockState.HOLD);
        if (hold == null) throw new S3Exception(S3ErrorCode.NO_SUCH_OBJECT_LOCK_CONFIGURATION);
        return S3Response.status(200).xml(new ObjectLockDocuments.LegalHold(S3Xml.NS, hold));
    }

    /**
     * Sets, extends, shortens or (empty document) removes a version's retention, under S3's rules;
     * AccessDenied when the current retention forbids it.
     */
    public S3Response putObjectRetention(S3Request req, S3Operation.PutObjectRetention op) {
        requireLockBucket(req);
        Versions.checkId(op.versionId());
        LockHeaders.requireIntegrityHeader(req, "Put Object Retention requests");
        var doc = xml.read(Bodies.readSmall(req, config.maxXmlBodyBytes()), ObjectLockDocuments.Retention.class);
        Instant now = clock.instant();
        if ((doc.mode() == null) != (doc.retainUntilDate() == null)) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        String mode = doc.mode() == null ? null : LockHeaders.mode(doc.mode());
        Instant until = doc.retainUntilDate() == null ? null : LockHeaders.futureDate(doc.retainUntilDate(), now);
        boolean bypass = bypass(req, authorizer, op.bucketName(), op.key());
        change(req, op.key(), op.versionId(), headers -> {
            if (!LockState.of(headers).allowsRetention(mode, until, clock.instant(), bypass)) {
                throw new RouterException(RouterException.Kind.LOCKED, "Access Denied because object protected by object lock.");
            }
            return LockState.withRetention(headers, mode, until);
        });
        return S3Response.status(200).header("Content-Length", "0").empty();
    }

    public S3Response putObjectLegalHold(S3Request req, S3Operation.PutObjectLegalHold op) {
        requireLockBucket(req);
        Versions.checkId(op.versionId());
        LockHeaders.requireIntegrityHeader(req, "Put Object Legal Hold requests");
        var doc = xml.read(Bodies.readSmall(req, config.maxXmlBodyBytes()), ObjectLockDocuments.LegalHold.class);
        boolean on = LockHeaders.legalHold(doc.status(), S3ErrorCode.MALFORMED_XML).equals("ON");
        change(req, op.key(), op.versionId(), headers -> LockState.withLegalHold(headers, on));
        return S3Response.status(200).header("Content-Length", "0").empty();
    }

    /**
     * Whether the request may bypass GOVERNANCE retention of {@code key}: it asks to
     * ({@code x-amz-bypass-governance-retention: true}) and the caller is allowed
     * {@code s3:BypassGovernanceRetention} on the object by the policy engine (root, and a bucket
     * owner without policies, hold it implicitly). Asked without the permission, the bypass is not
     * applied, so a protected version stays protected (AccessDenied), as S3 answers.
     */
    static boolean bypass(S3Request req, Authorizer authorizer, String bucket, String key) {
        if (!"true".equalsIgnoreCase(req.header("x-amz-bypass-governance-retention"))) {
            return false;
        }
        return authorizer.allowed(req.caller(), S3Permissions.BYPASS_GOVERNANCE, S3Permissions.object(bucket, key),
                req.bucket(), req.conditionKeys());
    }

    private void change(S3Request req, String key, String versionId, UnaryOperator<Map<String, String>> change) {
        Optional<BallInfo> done;
        try {
            done = store.changeBallLock(req.requireBucket().name(), key, versionId, change);
        } catch (RouterException e) {
            if (e.kind() == RouterException.Kind.BAD_REQUEST && "delete marker".equals(e.getMessage())) {
                throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            }
            throw e;
        }
        if (done.isEmpty()) {
            throw new S3Exception(versionId == null ? S3ErrorCode.NO_SUCH_KEY : S3ErrorCode.NO_SUCH_VERSION);
        }
    }

    private BallInfo readable(S3Request req, String key, String versionId) {
        BucketInfo bucket = requireLockBucket(req);
        return Versions.resolve(store, bucket, key, versionId);
    }

    private static BucketInfo requireLockBucket(S3Request req) {
        BucketInfo bucket = req.requireBucket();
        if (!bucket.objectLock().enabled()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Bucket is missing Object Lock Configuration");
        }
        return bucket;
    }
}
