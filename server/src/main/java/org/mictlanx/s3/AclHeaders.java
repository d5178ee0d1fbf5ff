package org.mictlanx.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.xml.DeleteResult;
import org.mictlanx.s3.xml.InitiateMultipartUploadResult;
import org.mictlanx.xolo.policy.Acl;
import org.mictlanx.xolo.policy.Grantees;
import org.mictlanx.xolo.policy.ObjectVersion;
import org.mictlanx.xolo.policy.PolicyStore;

/**
 * ACLs carried by requests ({@code x-amz-acl}, {@code x-amz-grant-*}) and object ownership on
 * CreateBucket ({@code x-amz-object-ownership}), as S3 treats them. Before dispatch ({@link #check}):
 * an ownership other than BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter is InvalidArgument;
 * a canned ACL other than {@code private} / {@code bucket-owner-full-control}, or a grant header, is
 * {@code InvalidBucketAclWithObjectOwnership} on CreateBucket under BucketOwnerEnforced (the default)
 * and {@code AccessControlListNotSupported} on object writes to a BucketOwnerEnforced bucket; a
 * public ACL under BlockPublicAcls is AccessDenied. A ball's owner (when not the bucket owner) and the
 * ACL its write asks for are committed with the ball itself ({@link #ownership}: PutObject, CopyObject,
 * POST object, and CreateMultipartUpload for the completed ball), so no crash between the commit and
 * a second write can leave a writer's version bucket-owned. After a successful write ({@link #applied})
 * the rest is stored: a bucket's ACL, an upload's initiator record (for its listings); a version
 * deleted for good loses its ACL record.
 */
public final class AclHeaders {

    private static final List<String> GRANT_HEADERS = List.of("x-amz-grant-read", "x-amz-grant-write",
            "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control");
    private static final Pattern GRANTEE = Pattern.compile("\\s*(id|uri|emailAddress)\\s*=\\s*\"?([^\",]*)\"?\\s*(,|$)");
    private static final Pattern CANONICAL = Pattern.compile("[0-9a-f]{64}");

    private final PolicyStore policies;
    private final BallStore store;
    private final Grantees grantees;

    AclHeaders(PolicyStore policies, BallStore store, Grantees grantees) {
        this.policies = policies;
        this.store = store;
        this.grantees = grantees;
    }

    /** Whether the headers ask for any ACL at all. */
    public static boolean asked(Map<String, List<String>> headers) {
        return first(headers, "x-amz-acl") != null || GRANT_HEADERS.stream().anyMatch(headers::containsKey);
    }

    /** Whether the asked ACL gives nobody but the bucket owner anything (what BucketOwnerEnforced accepts). */
    public static boolean ownerOnly(Map<String, List<String>> headers) {
        String canned = first(headers, "x-amz-acl");
        return GRANT_HEADERS.stream().noneMatch(headers::containsKey) && (canned == null
                || List.of("private", "bucket-owner-full-control").contains(canned.strip().toLowerCase(Locale.ROOT)));
    }

    /**
     * The ACL the headers ask for; null when none. Throws InvalidArgument for an unknown canned ACL
     * or grantee ("Invalid id" for a canonical id of nobody), InvalidRequest for a canned ACL together
     * with grants, UnresolvableGrantByEmailAddress for an address of no user.
     */
    public static Acl fromHeaders(Map<String, List<String>> headers, String bucketOwner, Grantees grantees) {
        String canned = first(headers, "x-amz-acl");
        boolean grants = GRANT_HEADERS.stream().anyMatch(headers::containsKey);
        if (canned != null && grants) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Specifying both Canned ACLs and Header Grants is not allowed");
        }
        if (canned != null) {
            String c = canned.strip().toLowerCase(Locale.ROOT);
            if (!Acl.CANNED.contains(c)) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid canned ACL: " + canned.strip());
            }
            return Acl.canned(c, bucketOwner);
        }
        if (!grants) {
            return null;
        }
        List<Acl.Grant> out = new ArrayList<>();
        for (String h : GRANT_HEADERS) {
            String value = first(headers, h);
            if (value == null) {
                continue;
            }
            String permission = h.substring("x-amz-grant-".length()).replace('-', '_').toUpperCase(Locale.ROOT);
            Matcher m = GRANTEE.matcher(value);
            int at = 0;
            while (at < value.length()) {
                if (!m.find(at) || m.start() != at) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid grantee in " + h);
                }
                out.add(grant(m.group(1), m.group(2).strip(), permission, grantees));
                at = m.end();
            }
        }
        return new Acl(out);
    }

    /**
     * One grant by grantee kind ({@code id}, {@code uri}, {@code emailAddress}); a user grantee must
     * exist (by canonical id: InvalidArgument "Invalid id"; by address: UnresolvableGrantByEmailAddress)
     * and is stored by canonical id with its name as display name. Group URIs: AllUsers,
     * AuthenticatedUsers and LogDelivery (accepted and shown as S3 does; no log delivery acts under it).
     */
    public static Acl.Grant grant(String kind, String value, String permission, Grantees grantees) {
        return switch (kind) {
            case "id" -> {
                if (!CANONICAL.matcher(value).matches()) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid id");
                }
                String owner = grantees.ownerOf(value).orElseThrow(() -> new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid id"));
                yield new Acl.Grant(false, value, owner, permission);
            }
            case "emailAddress" -> {
                String user = grantees.userOfEmail(value)
                        .orElseThrow(() -> new S3Exception(S3ErrorCode.UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS));
                yield new Acl.Grant(false, org.mictlanx.xolo.policy.Caller.canonicalId(user), user, permission);
            }
            case "uri" -> {
                if (!List.of(Acl.ALL_USERS, Acl.AUTHENTICATED_USERS, Acl.LOG_DELIVERY).contains(value)) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid group uri");
                }
                yield new Acl.Grant(true, value, null, permission);
            }
            default -> throw new S3Exception(S3ErrorCode.UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS);
        };
    }

    /** Refuses what S3 refuses before anything is written (see the class comment). */
    void check(S3Operation op, Map<String, List<String>> headers, Optional<BucketInfo> bucket, String callerId) {
        switch (op) {
            case S3Operation.CreateBucket c -> {
                String ownership = first(headers, "x-amz-object-ownership");
                if (ownership != null && !PolicyStore.OWNERSHIPS.contains(ownership.strip())) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid x-amz-object-ownership header: " + ownership.strip());
                }
                boolean enforced = ownership == null || ownership.strip().equals(PolicyStore.BUCKET_OWNER_ENFORCED);
                if (asked(headers) && !ownerOnly(headers) && enforced) {
                    throw new S3Exception(S3ErrorCode.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP);
                }
                fromHeaders(headers, callerId == null ? "" : callerId, grantees);
            }
            case S3Operation.PutObject p -> checkObjectWrite(headers, bucket);
            case S3Operation.CopyObject p -> checkObjectWrite(headers, bucket);
            case S3Operation.CreateMultipartUpload p -> checkObjectWrite(headers, bucket);
            default -> {
            }
        }
    }

    private void checkObjectWrite(Map<String, List<String>> headers, Optional<BucketInfo> bucket) {
        if (!asked(headers) || bucket.isEmpty()) {
            return;
        }
        PolicyStore.BucketAccess access = policies.bucketAccess(bucket.get());
        if (!access.aclsEnabled()) {
            if (!ownerOnly(headers)) {
                throw new S3Exception(S3ErrorCode.ACCESS_CONTROL_LIST_NOT_SUPPORTED);
            }
            return;
        }
        Acl acl = fromHeaders(headers, bucket.get().owner(), grantees);
        if (acl.isPublic() && access.block().blockPublicAcls()) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
    }

    /**
     * What a write commits about its ball's ownership, as internal stored headers
     * ({@link org.mictlanx.xolo.policy.StoredOwnership}): its owner when that is not the bucket owner
     * ({@code writer}, an owner id, under the bucket's object ownership) and the ACL it asks for when
     * ACLs are enabled. For PutObject, CopyObject (POST object as PutObject) and
     * CreateMultipartUpload (the upload's headers become the completed ball's: its initiator owns
     * it, as in S3); empty for anything else. Computed before the write, so the commit carries it.
     */
    public Map<String, String> ownership(S3Operation op, Map<String, List<String>> headers, Optional<BucketInfo> bucket,
                                         String writer) {
        if (bucket.isEmpty() || !(op instanceof S3Operation.PutObject || op instanceof S3Operation.CopyObject
                || op instanceof S3Operation.CreateMultipartUpload)) {
            return Map.of();
        }
        BucketInfo b = bucket.get();
        String owner = null;
        if (writer != null && !writer.equals(b.owner())) {
            String o = PolicyStore.ballOwner(policies.ownership(b), b.owner(), writer, bucketOwnerFullControl(headers));
            owner = o.equals(b.owner()) ? null : o;
        }
        List<Acl.Grant> grants = asked(headers) && enabled(bucket) ? fromHeaders(headers, b.owner(), grantees).grants()
                : List.of();
        return org.mictlanx.xolo.policy.StoredOwnership.headers(owner, grants);
    }

    /**
     * Stores what a successful request asked for (see the class comment) and who owns a ball written
     * by {@code writer} (an owner id: {@link org.mictlanx.xolo.policy.Caller#ownerId}). A completed
     * multipart upload's writer is its initiator, not the sender of the completion, as in S3. ACLs and
     * owners are recorded against the version this very request committed ({@link S3Response#committed}),
     * never against whatever the key's latest is by now (a racing writer's version).
     */
    void applied(S3Operation op, Map<String, List<String>> headers, Optional<BucketInfo> bucket, S3Response response,
                 String writer) {
        switch (op) {
            case S3Operation.CreateBucket c -> createdBucket(c, headers);
            // PutObject, CopyObject: owner and ACL were committed with the version ({@link #ownership})
            case S3Operation.CreateMultipartUpload p -> {
                if (bucket.isEmpty() || !(response.body() instanceof S3Response.Xml x
                        && x.value() instanceof InitiateMultipartUploadResult r)) {
                    return;
                }
                boolean acl = asked(headers) && enabled(bucket);
                boolean foreign = writer != null && !writer.equals(bucket.get().owner());
                if (acl || foreign) {
                    policies.putUpload(bucket.get(), r.uploadId(), new PolicyStore.UploadEntry(
                            bucket.get().created().toEpochMilli(),
                            acl ? fromHeaders(headers, bucket.get().owner(), grantees).grants() : List.of(),
                            foreign ? writer : null, bucketOwnerFullControl(headers)));
                }
            }
            case S3Operation.CompleteMultipartUpload p -> {
                if (bucket.isEmpty()) {
                    return;
                }
                Optional<PolicyStore.UploadEntry> upload = policies.takeUpload(bucket.get(), p.uploadId());
                if (upload.isEmpty() || response.committed() == null
                        || org.mictlanx.xolo.policy.StoredOwnership.present(response.committed().headers())) {
                    // opened by the bucket owner without an ACL, a retried completion, or (every upload
                    // opened since owners are committed with the upload) owner and ACL already committed
                    return;
                }
                // an upload opened before owners and ACLs were committed with it
                Acl acl = upload.get().acl();
                if (!acl.grants().isEmpty() && enabled(bucket) && response.committed() != null) {
                    policies.putObjectAcl(bucket.get(), p.key(), ObjectVersion.of(response.committed()), acl);
                }
                storeWriter(bucket, p.key(), upload.get().initiator(), upload.get().bucketOwnerFullControl(), response);
            }
            case S3Operation.AbortMultipartUpload p -> bucket.ifPresent(b -> policies.takeUpload(b, p.uploadId()));
            case S3Operation.DeleteObject d -> {
                if (bucket.isEmpty() || response.status() >= 300) return;
                if (d.versionId() != null) {
                    policies.deleteObjectAcl(bucket.get(), d.key(), d.versionId()); // the version is gone, its ACL too
                } else if (!bucket.get().versioning().versioned() && enabled(bucket)) {
                    policies.deleteObjectAcl(bucket.get(), d.key(), null);
                }
            }
            case S3Operation.DeleteObjects d -> {
                if (bucket.isPresent() && response.body() instanceof S3Response.Xml x && x.value() instanceof DeleteResult r
                        && r.deleted() != null) {
                    for (DeleteResult.Deleted gone : r.deleted()) {
                        if (gone.versionId() != null) policies.deleteObjectAcl(bucket.get(), gone.key(), gone.versionId());
                    }
                }
            }
            default -> {
            }
        }
    }

    private static boolean bucketOwnerFullControl(Map<String, List<String>> headers) {
        String canned = first(headers, "x-amz-acl");
        return canned != null && canned.strip().equalsIgnoreCase("bucket-owner-full-control");
    }

    /**
     * Records who owns a new ball when it is not the bucket owner ({@link PolicyStore#ballOwner}):
     * the writer (a user, or the anonymous user) under ObjectWriter, and under BucketOwnerPreferred
     * unless written with {@code bucket-owner-full-control}; against the committed version only.
     */
    private void storeWriter(Optional<BucketInfo> bucket, String key, String writer, boolean bucketOwnerFullControl,
                             S3Response response) {
        if (bucket.isEmpty() || writer == null || writer.equals(bucket.get().owner()) || response.committed() == null) {
            return;
        }
        String owner = PolicyStore.ballOwner(policies.ownership(bucket.get()), bucket.get().owner(), writer,
                bucketOwnerFullControl);
        if (!owner.equals(bucket.get().owner())) {
            policies.putObjectOwner(bucket.get(), key, ObjectVersion.of(response.committed()), owner);
        }
    }

    private void createdBucket(S3Operation.CreateBucket c, Map<String, List<String>> headers) {
        String ownership = first(headers, "x-amz-object-ownership");
        if (ownership == null && !asked(headers)) {
            return;
        }
        BucketInfo created = store.bucket(c.bucketName()).orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET));
        if (ownership != null) {
            policies.putOwnership(created, ownership.strip());
        }
        Acl acl = fromHeaders(headers, created.owner(), grantees);
        if (acl != null && !PolicyStore.BUCKET_OWNER_ENFORCED.equals(policies.ownership(created))) {
            policies.putBucketAcl(created, acl);
        }
    }

    private boolean enabled(Optional<BucketInfo> bucket) {
        return bucket.isPresent() && policies.bucketAccess(bucket.get()).aclsEnabled();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
