package org.mictlanx.xolo.policy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;


import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.MetaTable;
import org.mictlanx.xolo.identity.MetaRecords;

/**
 * Where access configuration lives: in the replicated {@link MetaTable}, each kind in its own
 * partition so it merges with other bucket settings.
 *
 * <ul>
 *   <li>{@value #BUCKET_POLICY}: bucket → {@link BucketPolicyEntry} (the policy JSON as written);</li>
 *   <li>{@value #BUCKET_PAB}: bucket → {@link PublicAccessBlockEntry};</li>
 *   <li>user policies, their attachments to users, groups of users: {@link UserPolicies} ({@link #users()});</li>
 *   <li>{@value #BUCKET_OWNERSHIP}: bucket → {@link OwnershipEntry} (none: {@value #BUCKET_OWNER_ENFORCED},
 *       S3's default for new buckets);</li>
 *   <li>{@value #BUCKET_ACL}: bucket → {@link AclEntry}; {@value #OBJECT_ACL}: one record per version
 *       of a ball ({@link ObjectVersion}): {@code bucket/key} for a ball written while its bucket was
 *       unversioned, {@code bucket/key NUL versionId} for a version of a versioned bucket (the null
 *       version included) → {@link AclEntry} (grants and writer-owner) bound to the version's metadata
 *       version (an overwritten ball's, or a replaced null version's, record is ignored: private and
 *       bucket-owned, fail closed); setting one version's ACL never touches another's, and deleting a
 *       version removes its record ({@link #deleteObjectAcl}); {@value #UPLOAD_ACL}: upload id → the ACL
 *       CreateMultipartUpload asked for.</li>
 * </ul>
 *
 * <p>Bucket records carry the creation time of the bucket they were written for and are ignored for
 * any other bucket of the same name, so a deleted and re-created bucket never inherits a policy.
 *
 * <p>Cache bound: what is read is reused for {@code ttl} (production {@link #DEFAULT_TTL}). A change
 * made through this instance applies at once; made through another router, within the TTL. This
 * bound is the one {@code docs/architecture.md} documents.
 */
public final class PolicyStore {

    public static final String BUCKET_POLICY = "xolo-bucket-policy";
    public static final String BUCKET_PAB = "xolo-bucket-pab";
    public static final String BUCKET_OWNERSHIP = "xolo-bucket-ownership";
    public static final String BUCKET_ACL = "xolo-bucket-acl";
    public static final String OBJECT_ACL = "xolo-object-acl";
    public static final String UPLOAD_ACL = "xolo-upload-acl";
    public static final String BUCKET_OWNER_ENFORCED = "BucketOwnerEnforced";
    public static final java.util.Set<String> OWNERSHIPS = java.util.Set.of(BUCKET_OWNER_ENFORCED, "BucketOwnerPreferred",
            "ObjectWriter");
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(2);
    private static final int CACHE_LIMIT = 10_000;

    public record BucketPolicyEntry(long bucketCreatedMillis, String json) {
    }

    public record PublicAccessBlockEntry(long bucketCreatedMillis, boolean blockPublicAcls, boolean ignorePublicAcls,
                                         boolean blockPublicPolicy, boolean restrictPublicBuckets) {
    }

    /** @param ownership null once deleted (ACLs then apply, as with ObjectWriter) */
    public record OwnershipEntry(long bucketCreatedMillis, String ownership) {
    }

    /**
     * @param ballVersion the ball's metadata version the ACL was set for; 0 for a bucket's or an upload's
     * @param owner       a ball's owner when it is not the bucket owner (ObjectWriter, BucketOwnerPreferred
     *                    without {@code bucket-owner-full-control}); null: the bucket owner (records
     *                    written before this field read as null)
     */
    public record AclEntry(long bucketCreatedMillis, long ballVersion, List<Acl.Grant> grants, String owner) {
        public AclEntry(long bucketCreatedMillis, long ballVersion, List<Acl.Grant> grants) {
            this(bucketCreatedMillis, ballVersion, grants, null);
        }
    }

    /**
     * What authorization needs of a bucket: its policy (parsed), public access block, object
     * ownership (null when deleted) and ACL.
     */
    public record BucketAccess(Optional<Policy> policy, PublicAccessBlock block, String ownership, Acl acl) {
        public static final BucketAccess NONE = new BucketAccess(Optional.empty(), PublicAccessBlock.NONE,
                BUCKET_OWNER_ENFORCED, Acl.PRIVATE);

        /** Whether ACLs take part in authorization: not under BucketOwnerEnforced. */
        public boolean aclsEnabled() {
            return !BUCKET_OWNER_ENFORCED.equals(ownership);
        }
    }

    /** @param bucketCreatedMillis the creation time of the bucket the value was read for (0 for users) */
    private record Cached<T>(T value, long expiresNanos, long bucketCreatedMillis) {
    }

    private final MetaTable table;
    private final PolicyParser parser = new PolicyParser();
    private final Duration ttl;
    private final MetaRecords records;
    private final ConcurrentHashMap<String, Cached<BucketAccess>> buckets = new ConcurrentHashMap<>();
    private final UserPolicies users;

    /** @param ttl how long a read configuration is reused; {@code Duration.ZERO} disables caching */
    public PolicyStore(MetaTable table, Duration ttl) {
        this.table = table;
        this.records = new MetaRecords(table, "access");
        this.ttl = ttl;
        this.users = new UserPolicies(table, ttl);
    }

    /** The user policies, their attachments to users and groups (IAM's side of access configuration). */
    public UserPolicies users() {
        return users;
    }

    /** Production defaults: a {@link #DEFAULT_TTL} cache. */
    public PolicyStore(MetaTable table) {
        this(table, DEFAULT_TTL);
    }

    /** The cache bound: how long another router may still apply a policy changed here. */
    public Duration ttl() {
        return ttl;
    }

    // ---- bucket configuration ----

    /** The bucket's policy and public access block, cached for the TTL. */
    public BucketAccess bucketAccess(BucketInfo bucket) {
        long created = bucket.created().toEpochMilli();
        long now = System.nanoTime();
        Cached<BucketAccess> hit = buckets.get(bucket.name());
        if (hit != null && now - hit.expiresNanos() < 0 && hit.bucketCreatedMillis() == created) {
            return hit.value();
        }
        String ownership = ownership(bucket);
        BucketAccess fresh = new BucketAccess(bucketPolicy(bucket).map(j -> parser.parse(
                j.getBytes(StandardCharsets.UTF_8), new PolicyParser.Kind.Bucket(bucket.name()))), publicAccessBlock(bucket)
                .orElse(PublicAccessBlock.NONE), ownership,
                BUCKET_OWNER_ENFORCED.equals(ownership) ? Acl.PRIVATE : bucketAcl(bucket));
        if (!ttl.isZero()) {
            if (buckets.size() >= CACHE_LIMIT) {
                buckets.clear();
            }
            buckets.put(bucket.name(), new Cached<>(fresh, now + ttl.toNanos(), created));
        }
        return fresh;
    }

    /** The bucket policy JSON as written, if any. */
    public Optional<String> bucketPolicy(BucketInfo bucket) {
        return table.get(BUCKET_POLICY, bucket.name()).map(v -> records.read(v, BucketPolicyEntry.class))
                .filter(e -> e.bucketCreatedMillis() == bucket.created().toEpochMilli()).map(BucketPolicyEntry::json);
    }

    /** Validates and stores a bucket policy; throws {@link PolicyException} when malformed. */
    public Policy putBucketPolicy(BucketInfo bucket, byte[] document) {
        Policy p = parser.parse(document, new PolicyParser.Kind.Bucket(bucket.name()));
        table.put(BUCKET_POLICY, bucket.name(), records.write(new BucketPolicyEntry(bucket.created().toEpochMilli(), p.json())));
        forgetBucket(bucket.name());
        return p;
    }

    /** Parses a bucket policy without storing it. */
    public Policy parseBucketPolicy(BucketInfo bucket, byte[] document) {
        return parser.parse(document, new PolicyParser.Kind.Bucket(bucket.name()));
    }

    public void deleteBucketPolicy(BucketInfo bucket) {
        table.delete(BUCKET_POLICY, bucket.name());
        forgetBucket(bucket.name());
    }

    public Optional<PublicAccessBlock> publicAccessBlock(BucketInfo bucket) {
        return table.get(BUCKET_PAB, bucket.name()).map(v -> records.read(v, PublicAccessBlockEntry.class))
                .filter(e -> e.bucketCreatedMillis() == bucket.created().toEpochMilli())
                .map(e -> new PublicAccessBlock(e.blockPublicAcls(), e.ignorePublicAcls(), e.blockPublicPolicy(),
                        e.restrictPublicBuckets()));
    }

    public void putPublicAccessBlock(BucketInfo bucket, PublicAccessBlock b) {
        table.put(BUCKET_PAB, bucket.name(), records.write(new PublicAccessBlockEntry(bucket.created().toEpochMilli(),
                b.blockPublicAcls(), b.ignorePublicAcls(), b.blockPublicPolicy(), b.restrictPublicBuckets())));
        forgetBucket(bucket.name());
    }

    public void deletePublicAccessBlock(BucketInfo bucket) {
        table.delete(BUCKET_PAB, bucket.name());
        forgetBucket(bucket.name());
    }

    /** Drops every configuration of a deleted bucket (its balls' ACLs are ignored by the bucket's creation time). */
    public void bucketDeleted(String name) {
        table.delete(BUCKET_POLICY, name);
        table.delete(BUCKET_PAB, name);
        table.delete(BUCKET_OWNERSHIP, name);
        table.delete(BUCKET_ACL, name);
        forgetBucket(name);
    }

    // ---- object ownership and ACLs ----

    /** The bucket's object ownership: stored, else {@value #BUCKET_OWNER_ENFORCED}; null once deleted. */
    public String ownership(BucketInfo bucket) {
        Optional<OwnershipEntry> e = table.get(BUCKET_OWNERSHIP, bucket.name()).map(v -> records.read(v, OwnershipEntry.class))
                .filter(x -> x.bucketCreatedMillis() == bucket.created().toEpochMilli());
        return e.isEmpty() ? BUCKET_OWNER_ENFORCED : e.get().ownership();
    }

    /** Sets (one of {@link #OWNERSHIPS}) or deletes ({@code null}) the bucket's object ownership. */
    public void putOwnership(BucketInfo bucket, String ownership) {
        table.put(BUCKET_OWNERSHIP, bucket.name(), records.write(new OwnershipEntry(bucket.created().toEpochMilli(), ownership)));
        forgetBucket(bucket.name());
    }

    public Acl bucketAcl(BucketInfo bucket) {
        return table.get(BUCKET_ACL, bucket.name()).map(v -> records.read(v, AclEntry.class))
                .filter(e -> e.bucketCreatedMillis() == bucket.created().toEpochMilli())
                .map(e -> new Acl(e.grants())).orElse(Acl.PRIVATE);
    }

    public void putBucketAcl(BucketInfo bucket, Acl acl) {
        table.put(BUCKET_ACL, bucket.name(), records.write(new AclEntry(bucket.created().toEpochMilli(), 0, acl.grants())));
        forgetBucket(bucket.name());
    }

    /** The ACL record's sort key of one version of a ball (see the class comment). */
    static String objectAclKey(BucketInfo bucket, String key, String versionId) {
        return versionId == null ? bucket.name() + "/" + key : bucket.name() + "/" + key + "\0" + versionId;
    }

    private Optional<AclEntry> objectEntry(BucketInfo bucket, String key, ObjectVersion version) {
        if (version.ballVersion() < 0) return Optional.empty();
        return table.get(OBJECT_ACL, objectAclKey(bucket, key, version.versionId())).map(v -> records.read(v, AclEntry.class))
                .filter(e -> e.bucketCreatedMillis() == bucket.created().toEpochMilli() && e.ballVersion() == version.ballVersion());
    }

    /**
     * The ACL of one version of the ball at {@code key}: its ACL record (PutObjectAcl), else the ACL
     * committed with the version ({@link StoredOwnership}); private when neither.
     */
    public Acl objectAcl(BucketInfo bucket, String key, ObjectVersion version) {
        return objectEntry(bucket, key, version).map(e -> new Acl(e.grants())).orElse(new Acl(version.grants()));
    }

    /**
     * Sets the ACL of one version of a ball, keeping its owner; a private ACL of a ball the bucket
     * owner owns, written without an ACL, removes the record.
     */
    public void putObjectAcl(BucketInfo bucket, String key, ObjectVersion version, Acl acl) {
        String owner = objectOwner(bucket, key, version).orElse(null);
        String sk = objectAclKey(bucket, key, version.versionId());
        // a record replacing the ACL committed with the version stays, even private (else that ACL would apply again)
        if (acl.grants().isEmpty() && owner == null && version.grants().isEmpty()) {
            table.delete(OBJECT_ACL, sk);
        } else {
            table.put(OBJECT_ACL, sk, records.write(new AclEntry(bucket.created().toEpochMilli(), version.ballVersion(),
                    acl.grants(), owner)));
        }
    }

    /**
     * Removes the ACL record of a deleted version ({@code versionId} as S3 names it; for {@code "null"}
     * also the record of a ball written while the bucket was unversioned, which is that null version).
     */
    public void deleteObjectAcl(BucketInfo bucket, String key, String versionId) {
        table.delete(OBJECT_ACL, objectAclKey(bucket, key, versionId));
        if ("null".equals(versionId)) table.delete(OBJECT_ACL, objectAclKey(bucket, key, null));
    }

    /**
     * The owner of one version of a ball when it is not the bucket owner (the writer, by ownership
     * controls): the one committed with the version ({@link StoredOwnership}), else its ACL record's
     * (versions written before owners were committed with them).
     */
    public Optional<String> objectOwner(BucketInfo bucket, String key, ObjectVersion version) {
        if (version.owner() != null) {
            return Optional.of(version.owner());
        }
        return objectEntry(bucket, key, version).map(AclEntry::owner);
    }

    /** Records {@code owner} (not the bucket owner) as the owner of one version of a ball, keeping its ACL. */
    public void putObjectOwner(BucketInfo bucket, String key, ObjectVersion version, String owner) {
        Acl acl = objectAcl(bucket, key, version);
        table.put(OBJECT_ACL, objectAclKey(bucket, key, version.versionId()),
                records.write(new AclEntry(bucket.created().toEpochMilli(), version.ballVersion(), acl.grants(), owner)));
    }

    /**
     * What CreateMultipartUpload recorded for its upload, applied when it completes.
     *
     * @param grants                 the ACL it asked for (empty: private)
     * @param initiator              the owner id of who initiated it (null: the bucket owner, or a
     *                               record written before initiators were kept)
     * @param bucketOwnerFullControl whether it was sent with {@code x-amz-acl: bucket-owner-full-control}
     */
    public record UploadEntry(long bucketCreatedMillis, List<Acl.Grant> grants, String initiator,
                              boolean bucketOwnerFullControl) {
        public Acl acl() {
            return new Acl(grants == null ? List.of() : grants);
        }
    }

    /** Remembers what a multipart upload asked for and who initiated it, applied when it completes. */
    public void putUpload(BucketInfo bucket, String uploadId, UploadEntry entry) {
        table.put(UPLOAD_ACL, uploadId, records.write(entry));
    }

    /** What an upload of this bucket recorded, if anything. */
    public Optional<UploadEntry> upload(BucketInfo bucket, String uploadId) {
        return table.get(UPLOAD_ACL, uploadId).map(v -> records.read(v, UploadEntry.class))
                .filter(x -> x.bucketCreatedMillis() == bucket.created().toEpochMilli());
    }

    /** What an upload recorded (see {@link #upload}), removing the record (completed or aborted). */
    public Optional<UploadEntry> takeUpload(BucketInfo bucket, String uploadId) {
        Optional<byte[]> v = table.get(UPLOAD_ACL, uploadId);
        v.ifPresent(x -> table.delete(UPLOAD_ACL, uploadId));
        return v.map(x -> records.read(x, UploadEntry.class)).filter(x -> x.bucketCreatedMillis() == bucket.created().toEpochMilli());
    }

    /**
     * Who owns a ball written by {@code writer} (an owner id) under the bucket's object ownership, as
     * S3 decides: the writer under ObjectWriter and without ownership controls ({@code ownership}
     * null: deleted, S3's behaviour before them), and under BucketOwnerPreferred unless it was written
     * with {@code bucket-owner-full-control}; else (BucketOwnerEnforced) the bucket owner.
     */
    public static String ballOwner(String ownership, String bucketOwner, String writer, boolean bucketOwnerFullControl) {
        if (writer == null) {
            return bucketOwner;
        }
        boolean writerOwns = ownership == null || "ObjectWriter".equals(ownership)
                || "BucketOwnerPreferred".equals(ownership) && !bucketOwnerFullControl;
        return writerOwns ? writer : bucketOwner;
    }

    private void forgetBucket(String name) {
        buckets.remove(name);
    }
}
