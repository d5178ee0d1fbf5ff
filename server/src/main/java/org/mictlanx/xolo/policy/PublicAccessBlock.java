package org.mictlanx.xolo.policy;

/**
 * A bucket's public access block ({@code PublicAccessBlockConfiguration}); {@link #NONE} when the
 * bucket has none.
 *
 * <ul>
 *   <li>{@code blockPublicAcls}: PutBucketAcl, PutObjectAcl and writes carrying a public ACL are refused;</li>
 *   <li>{@code ignorePublicAcls}: public grants in ACLs are ignored when authorizing;</li>
 *   <li>{@code blockPublicPolicy}: PutBucketPolicy with a public policy is refused (403 AccessDenied);</li>
 *   <li>{@code restrictPublicBuckets}: while the bucket policy is public, it grants nothing to
 *       anonymous callers (only to the store's users named in it).</li>
 * </ul>
 */
public record PublicAccessBlock(boolean blockPublicAcls, boolean ignorePublicAcls, boolean blockPublicPolicy,
                                boolean restrictPublicBuckets) {

    public static final PublicAccessBlock NONE = new PublicAccessBlock(false, false, false, false);
}
