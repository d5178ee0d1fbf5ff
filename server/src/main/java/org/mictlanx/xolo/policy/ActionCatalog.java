package org.mictlanx.xolo.policy;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The S3 action names policies may use, each with the kind of resource it applies to, so a
 * statement naming {@code s3:GetObject} on a bucket ARN only is refused on write as S3 refuses it
 * ("Action does not apply to any resource(s) in statement"). Names match case-insensitively.
 */
public final class ActionCatalog {

    /** What an action's resource ARN names. */
    public enum ResourceKind { SERVICE, BUCKET, OBJECT }

    private static final Map<String, ResourceKind> ACTIONS = new HashMap<>();

    static {
        for (String a : ("GetObject GetObjectVersion PutObject DeleteObject DeleteObjectVersion GetObjectTagging"
                + " GetObjectVersionTagging PutObjectTagging PutObjectVersionTagging DeleteObjectTagging"
                + " DeleteObjectVersionTagging GetObjectAcl GetObjectVersionAcl PutObjectAcl PutObjectVersionAcl"
                + " AbortMultipartUpload ListMultipartUploadParts GetObjectAttributes GetObjectVersionAttributes"
                + " RestoreObject GetObjectRetention PutObjectRetention GetObjectLegalHold PutObjectLegalHold"
                + " BypassGovernanceRetention GetObjectTorrent GetObjectVersionTorrent ReplicateObject ReplicateDelete"
                + " ReplicateTags ObjectOwnerOverrideToBucketOwner GetObjectVersionForReplication").split(" ")) {
            ACTIONS.put(a.toLowerCase(Locale.ROOT), ResourceKind.OBJECT);
        }
        for (String a : ("ListBucket ListBucketVersions ListBucketMultipartUploads CreateBucket DeleteBucket"
                + " GetBucketLocation GetBucketPolicy PutBucketPolicy DeleteBucketPolicy GetBucketPolicyStatus"
                + " GetBucketPublicAccessBlock PutBucketPublicAccessBlock GetBucketOwnershipControls"
                + " PutBucketOwnershipControls GetBucketAcl PutBucketAcl GetBucketTagging PutBucketTagging"
                + " GetBucketVersioning PutBucketVersioning GetBucketCORS PutBucketCORS GetLifecycleConfiguration"
                + " PutLifecycleConfiguration GetEncryptionConfiguration PutEncryptionConfiguration GetBucketWebsite"
                + " PutBucketWebsite DeleteBucketWebsite GetBucketLogging PutBucketLogging GetBucketNotification"
                + " PutBucketNotification GetReplicationConfiguration PutReplicationConfiguration"
                + " GetBucketObjectLockConfiguration PutBucketObjectLockConfiguration GetAccelerateConfiguration"
                + " PutAccelerateConfiguration GetBucketRequestPayment PutBucketRequestPayment"
                + " GetAnalyticsConfiguration PutAnalyticsConfiguration GetInventoryConfiguration"
                + " PutInventoryConfiguration GetMetricsConfiguration PutMetricsConfiguration"
                + " GetIntelligentTieringConfiguration PutIntelligentTieringConfiguration").split(" ")) {
            ACTIONS.put(a.toLowerCase(Locale.ROOT), ResourceKind.BUCKET);
        }
        for (String a : "ListAllMyBuckets GetAccountPublicAccessBlock PutAccountPublicAccessBlock".split(" ")) {
            ACTIONS.put(a.toLowerCase(Locale.ROOT), ResourceKind.SERVICE);
        }
    }

    private ActionCatalog() {
    }

    /** The resource kind of {@code s3:NAME}, or null when S3 has no such action. */
    public static ResourceKind kind(String action) {
        String lower = action.toLowerCase(Locale.ROOT);
        return lower.startsWith("s3:") ? ACTIONS.get(lower.substring(3)) : null;
    }

    /** Every known action ({@code s3:Name}, lower case) matching {@code pattern}, with its kind. */
    static Map<String, ResourceKind> matching(String pattern) {
        Map<String, ResourceKind> out = new HashMap<>();
        ACTIONS.forEach((name, kind) -> {
            if (Wildcard.matches(pattern, "s3:" + name, true)) {
                out.put(name, kind);
            }
        });
        return out;
    }
}
