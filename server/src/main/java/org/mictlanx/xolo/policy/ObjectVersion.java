package org.mictlanx.xolo.policy;

import org.mictlanx.router.BallInfo;

/**
 * Which version of a key an object ACL belongs to: its S3 version id ({@code null} for a ball written
 * while its bucket was unversioned) and its metadata version. Each version has its own ACL record
 * (see {@link PolicyStore}); the metadata version binds the record to that exact commit, so a record
 * left behind by a replaced ball never applies to its successor (fail closed: private, bucket-owned).
 *
 * @param versionId   the layout's version id: an opaque id, {@code "null"}, or null (unversioned ball)
 * @param ballVersion what binds the record to one commit: for a version of a versioned bucket its
 *                    creation stamp (the same in its history record and in the latest record, even
 *                    when it becomes the latest again after a newer version is deleted), else the
 *                    ball's metadata record version; -1 for none
 * @param owner       the owner committed with the version itself ({@link StoredOwnership}); null
 *                    when none was (the bucket owner, unless an ACL record says otherwise)
 * @param grants      the ACL committed with the version itself (empty: private unless an ACL record
 *                    says otherwise)
 */
public record ObjectVersion(String versionId, long ballVersion, String owner, java.util.List<Acl.Grant> grants) {

    /** No ball: nothing but the bucket owner's rights apply. */
    public static final ObjectVersion NONE = new ObjectVersion(null, -1);

    public ObjectVersion {
        grants = grants == null ? java.util.List.of() : java.util.List.copyOf(grants);
    }

    /** A version with nothing committed with it about its owner or ACL. */
    public ObjectVersion(String versionId, long ballVersion) {
        this(versionId, ballVersion, null, java.util.List.of());
    }

    /** The version {@code ball} is, with the owner and ACL committed with it. */
    public static ObjectVersion of(BallInfo ball) {
        String id = ball.layout() == null ? null : ball.layout().versionId();
        long stamp = id == null ? 0 : ball.layout().stamp();
        java.util.Map<String, String> h = ball.headers() == null ? java.util.Map.of() : ball.headers();
        return new ObjectVersion(id, stamp > 0 ? stamp : ball.version(), StoredOwnership.owner(h).orElse(null),
                StoredOwnership.grants(h));
    }
}
