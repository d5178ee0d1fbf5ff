package org.mictlanx.xolo.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An access control list beyond the owner's implicit FULL_CONTROL (which every bucket and ball has
 * and which is not stored): grants to canonical users or to the AllUsers / AuthenticatedUsers groups.
 * Evaluated alongside policies, as S3 does, only while the bucket's ownership is not
 * {@code BucketOwnerEnforced}.
 *
 * <p>What a grant allows, as S3 maps ACL permissions to actions: on a bucket READ lists it
 * ({@code s3:ListBucket}, {@code s3:ListBucketVersions}, {@code s3:ListBucketMultipartUploads}),
 * WRITE creates, overwrites and deletes its balls, READ_ACP / WRITE_ACP read and replace its ACL; on
 * a ball READ reads it ({@code s3:GetObject}, {@code s3:GetObjectVersion},
 * {@code s3:GetObjectAttributes}), READ_ACP / WRITE_ACP its ACL; FULL_CONTROL all of them.
 */
public record Acl(List<Grant> grants) {

    public static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    public static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    public static final String LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";
    public static final Acl PRIVATE = new Acl(List.of());
    public static final Set<String> PERMISSIONS = Set.of("READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL");
    public static final Set<String> CANNED = Set.of("private", "public-read", "public-read-write", "authenticated-read",
            "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write", "aws-exec-read");

    public Acl {
        grants = List.copyOf(grants);
    }

    /**
     * One grant: {@code group} true for a group grantee ({@code id} its URI), else a canonical user id.
     *
     * @param displayName shown in GetBucketAcl / GetObjectAcl; may be null
     */
    public record Grant(boolean group, String id, String displayName, String permission) {
    }

    /** The grants of a canned ACL ({@code x-amz-acl}); {@code bucketOwner} is the bucket owner's id (for bucket-owner-*). */
    public static Acl canned(String name, String bucketOwner) {
        String owner = Caller.canonicalId(bucketOwner);
        return new Acl(switch (name.toLowerCase(Locale.ROOT)) {
            case "public-read" -> List.of(new Grant(true, ALL_USERS, null, "READ"));
            case "public-read-write" -> List.of(new Grant(true, ALL_USERS, null, "READ"), new Grant(true, ALL_USERS, null, "WRITE"));
            case "authenticated-read" -> List.of(new Grant(true, AUTHENTICATED_USERS, null, "READ"));
            case "bucket-owner-read" -> List.of(new Grant(false, owner, bucketOwner, "READ"));
            case "bucket-owner-full-control" -> List.of(new Grant(false, owner, bucketOwner, "FULL_CONTROL"));
            case "log-delivery-write" -> List.of(new Grant(true, LOG_DELIVERY, null, "WRITE"),
                    new Grant(true, LOG_DELIVERY, null, "READ_ACP"));
            default -> List.of(); // private, aws-exec-read: the owner only
        });
    }

    /** Whether some grant goes to everyone or to every authenticated caller. */
    public boolean isPublic() {
        for (Grant g : grants) {
            if (g.group() && (g.id().equals(ALL_USERS) || g.id().equals(AUTHENTICATED_USERS))) {
                return true;
            }
        }
        return false;
    }

    /** The grants without the public ones (IgnorePublicAcls). */
    public Acl withoutPublic() {
        List<Grant> out = new ArrayList<>();
        for (Grant g : grants) {
            if (!(g.group() && (g.id().equals(ALL_USERS) || g.id().equals(AUTHENTICATED_USERS)))) {
                out.add(g);
            }
        }
        return new Acl(out);
    }

    /** Whether a grant of this ACL lets {@code caller} run {@code action} ({@code object}: a ball's ACL, else a bucket's). */
    public boolean allows(Caller caller, String action, boolean object) {
        for (Grant g : grants) {
            if (matches(g, caller) && permits(g.permission(), action, object)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Grant g, Caller caller) {
        if (g.group()) {
            return g.id().equals(ALL_USERS) || g.id().equals(AUTHENTICATED_USERS) && !caller.anonymous();
        }
        return g.id().equals(Caller.canonicalId(caller.ownerId()));
    }

    private static final Set<String> OBJECT_READ = Set.of("s3:getobject", "s3:getobjectversion", "s3:getobjectattributes",
            "s3:getobjectversionattributes");
    private static final Set<String> BUCKET_READ = Set.of("s3:listbucket", "s3:listbucketversions",
            "s3:listbucketmultipartuploads");
    private static final Set<String> BUCKET_WRITE = Set.of("s3:putobject", "s3:deleteobject", "s3:deleteobjectversion",
            "s3:abortmultipartupload", "s3:listmultipartuploadparts");

    private static boolean permits(String permission, String action, boolean object) {
        String a = action.toLowerCase(Locale.ROOT);
        boolean read = (object ? OBJECT_READ : BUCKET_READ).contains(a);
        boolean write = !object && BUCKET_WRITE.contains(a);
        boolean readAcp = a.equals(object ? "s3:getobjectacl" : "s3:getbucketacl");
        boolean writeAcp = a.equals(object ? "s3:putobjectacl" : "s3:putbucketacl");
        return switch (permission) {
            case "READ" -> read;
            case "WRITE" -> write;
            case "READ_ACP" -> readAcp;
            case "WRITE_ACP" -> writeAcp;
            case "FULL_CONTROL" -> read || write || readAcp || writeAcp;
            default -> false;
        };
    }
}
