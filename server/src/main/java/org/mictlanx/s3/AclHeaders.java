package org.mictlanx.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.xml.InitiateMultipartUploadResult;
import org.mictlanx.xolo.policy.Acl;
import org.mictlanx.xolo.policy.PolicyStore;

/**
 * ACLs carried by requests ({@code x-amz-acl}, {@code x-amz-grant-*}) and object ownership on
 * CreateBucket ({@code x-amz-object-ownership}), as S3 treats them. Before dispatch ({@link #check}):
 * an ownership other than BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter is InvalidArgument;
 * a canned ACL other than {@code private} / {@code bucket-owner-full-control}, or a grant header, is
 * {@code InvalidBucketAclWithObjectOwnership} on CreateBucket under BucketOwnerEnforced (the default)
 * and {@code AccessControlListNotSupported} on object writes to a BucketOwnerEnforced bucket; a
 * public ACL under BlockPublicAcls is AccessDenied. After a successful write ({@link #applied}) the
 * ACL is stored: a bucket's, a ball's (bound to its new metadata version), or an upload's until it
 * completes.
 */
public final class AclHeaders {

    private static final List<String> GRANT_HEADERS = List.of("x-amz-grant-read", "x-amz-grant-write",
            "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control");
    private static final Pattern GRANTEE = Pattern.compile("\\s*(id|uri|emailAddress)\\s*=\\s*\"?([^\",]*)\"?\\s*(,|$)");
    private static final Pattern CANONICAL = Pattern.compile("[0-9a-f]{64}");

    private final PolicyStore policies;
    private final BallStore store;

    AclHeaders(PolicyStore policies, BallStore store) {
        this.policies = policies;
        this.store = store;
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
     * or grantee, InvalidRequest for a canned ACL together with grants, UnresolvableGrantByEmailAddress.
     */
    public static Acl fromHeaders(Map<String, List<String>> headers, String bucketOwner) {
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
                out.add(grant(m.group(1), m.group(2).strip(), permission));
                at = m.end();
            }
        }
        return new Acl(out);
    }

    /** One grant by grantee kind ({@code id}, {@code uri}, {@code emailAddress}). */
    public static Acl.Grant grant(String kind, String value, String permission) {
        return switch (kind) {
            case "id" -> {
                if (!CANONICAL.matcher(value).matches()) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid id");
                }
                yield new Acl.Grant(false, value, null, permission);
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
                fromHeaders(headers, callerId == null ? "" : callerId);
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
        Acl acl = fromHeaders(headers, bucket.get().owner());
        if (acl.isPublic() && access.block().blockPublicAcls()) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
    }

    /** Stores what a successful request asked for (see the class comment) and who owns a ball written by {@code writer}. */
    void applied(S3Operation op, Map<String, List<String>> headers, Optional<BucketInfo> bucket, S3Response response,
                 String writer) {
        applied(op, headers, bucket, response);
        switch (op) {
            case S3Operation.PutObject p -> storeWriter(bucket, p.key(), writer, headers);
            case S3Operation.CopyObject p -> storeWriter(bucket, p.key(), writer, headers);
            case S3Operation.CompleteMultipartUpload p -> storeWriter(bucket, p.key(), writer, headers);
            default -> {
            }
        }
    }

    /**
     * Who owns a new ball, as S3's object ownership decides: the writer under ObjectWriter, and under
     * BucketOwnerPreferred unless it was written with {@code x-amz-acl: bucket-owner-full-control};
     * else (and for anonymous writers) the bucket owner, which needs no record.
     */
    private void storeWriter(Optional<BucketInfo> bucket, String key, String writer, Map<String, List<String>> headers) {
        if (bucket.isEmpty() || writer == null || writer.equals(bucket.get().owner())) {
            return;
        }
        String ownership = policies.ownership(bucket.get());
        String canned = first(headers, "x-amz-acl");
        boolean writerOwns = "ObjectWriter".equals(ownership) || "BucketOwnerPreferred".equals(ownership)
                && (canned == null || !canned.strip().equals("bucket-owner-full-control"));
        if (writerOwns) {
            store.headBall(bucket.get().name(), key)
                    .ifPresent(b -> policies.putObjectOwner(bucket.get(), key, b.version(), writer));
        }
    }

    private void applied(S3Operation op, Map<String, List<String>> headers, Optional<BucketInfo> bucket, S3Response response) {
        switch (op) {
            case S3Operation.CreateBucket c -> {
                String ownership = first(headers, "x-amz-object-ownership");
                if (ownership == null && !asked(headers)) {
                    return;
                }
                BucketInfo created = store.bucket(c.bucketName()).orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET));
                if (ownership != null) {
                    policies.putOwnership(created, ownership.strip());
                }
                Acl acl = fromHeaders(headers, created.owner());
                if (acl != null && !PolicyStore.BUCKET_OWNER_ENFORCED.equals(policies.ownership(created))) {
                    policies.putBucketAcl(created, acl);
                }
            }
            case S3Operation.PutObject p -> storeObjectAcl(bucket, p.key(), () -> fromHeaders(headers, bucket.get().owner()), headers);
            case S3Operation.CopyObject p -> storeObjectAcl(bucket, p.key(), () -> fromHeaders(headers, bucket.get().owner()), headers);
            case S3Operation.CreateMultipartUpload p -> {
                if (asked(headers) && enabled(bucket) && response.body() instanceof S3Response.Xml x
                        && x.value() instanceof InitiateMultipartUploadResult r) {
                    policies.putUploadAcl(bucket.get(), r.uploadId(), fromHeaders(headers, bucket.get().owner()));
                }
            }
            case S3Operation.CompleteMultipartUpload p -> {
                if (enabled(bucket)) {
                    Acl acl = policies.takeUploadAcl(bucket.get(), p.uploadId());
                    if (!acl.grants().isEmpty()) {
                        store.headBall(p.bucketName(), p.key()).ifPresent(b -> policies.putObjectAcl(bucket.get(), p.key(), b.version(), acl));
                    }
                }
            }
            default -> {
            }
        }
    }

    private boolean enabled(Optional<BucketInfo> bucket) {
        return bucket.isPresent() && policies.bucketAccess(bucket.get()).aclsEnabled();
    }

    private void storeObjectAcl(Optional<BucketInfo> bucket, String key, java.util.function.Supplier<Acl> acl,
                                Map<String, List<String>> headers) {
        if (!asked(headers) || !enabled(bucket)) {
            return; // a new version without an ACL is private: an older version's ACL no longer applies
        }
        Optional<BallInfo> ball = store.headBall(bucket.get().name(), key);
        ball.ifPresent(b -> policies.putObjectAcl(bucket.get(), key, b.version(), acl.get()));
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
