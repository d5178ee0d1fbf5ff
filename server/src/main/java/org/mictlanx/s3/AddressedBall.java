package org.mictlanx.s3;

import java.util.Map;
import java.util.Optional;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.meta.VersionIds;
import org.mictlanx.xolo.policy.ObjectVersion;

/**
 * The ball an operation addresses, looked up at most once and only when a policy or an ACL asks
 * (its tags for {@code s3:ExistingObjectTag/*}, its version for its ACL). One per request; not
 * thread-safe.
 */
final class AddressedBall {

    private final BallStore store;
    private final S3Operation op;
    private final Optional<BucketInfo> bucket;
    private Optional<BallInfo> ball;

    AddressedBall(BallStore store, S3Operation op, Optional<BucketInfo> bucket) {
        this.store = store;
        this.op = op;
        this.bucket = bucket;
    }

    private Optional<BallInfo> get() {
        if (ball == null) {
            ball = Optional.empty();
            String prefix = bucket.map(b -> S3Permissions.bucket(b.name()) + "/").orElse(null);
            String resource = S3Permissions.resource(op);
            if (prefix != null && !(op instanceof S3Operation.DeleteObjects) && resource.startsWith(prefix)) {
                String key = resource.substring(prefix.length());
                String versionId = versionId(op);
                if (versionId == null) {
                    ball = store.headBall(bucket.get(), key);
                } else if (versionId.equals(VersionIds.NULL) || VersionIds.wellFormed(versionId)) {
                    // the addressed version's own tags and ACL, never the latest's
                    ball = store.headBallVersion(bucket.get(), key, versionId)
                            .filter(b -> !b.deleteMarker());
                }
            }
        }
        return ball;
    }

    /** The {@code versionId} an object operation names, {@code null} for the latest. */
    private static String versionId(S3Operation op) {
        return switch (op) {
            case S3Operation.GetObject o -> o.versionId();
            case S3Operation.HeadObject o -> o.versionId();
            case S3Operation.DeleteObject o -> o.versionId();
            case S3Operation.GetObjectTagging o -> o.versionId();
            case S3Operation.PutObjectTagging o -> o.versionId();
            case S3Operation.DeleteObjectTagging o -> o.versionId();
            case S3Operation.GetObjectAttributes o -> o.versionId();
            case S3Operation.GetObjectAcl o -> o.versionId();
            case S3Operation.PutObjectAcl o -> o.versionId();
            case S3Operation.GetObjectRetention o -> o.versionId();
            case S3Operation.PutObjectRetention o -> o.versionId();
            case S3Operation.GetObjectLegalHold o -> o.versionId();
            case S3Operation.PutObjectLegalHold o -> o.versionId();
            default -> null;
        };
    }

    /** The addressed ball's tags, null when there is no such ball. */
    Map<String, String> tags() {
        return get().map(BallInfo::tags).orElse(null);
    }

    /** The addressed ball's version (owner and ACL), {@link ObjectVersion#NONE} when there is no such ball. */
    ObjectVersion version() {
        return get().map(ObjectVersion::of).orElse(ObjectVersion.NONE);
    }
}
