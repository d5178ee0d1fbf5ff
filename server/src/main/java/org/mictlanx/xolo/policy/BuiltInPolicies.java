package org.mictlanx.xolo.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user policies every store has (names reserved, never stored):
 * <ul>
 *   <li>{@code readonly}: list buckets and keys, read balls and their tags and attributes, anywhere;</li>
 *   <li>{@code readwrite}: every S3 action, anywhere;</li>
 *   <li>{@code writeonly}: put balls (multipart included) anywhere, read and list nothing;</li>
 *   <li>{@code home-prefix}: the prefix-scoped example: list, read, write and delete only keys under
 *       {@code <user name>/} in any bucket ({@code ${aws:username}}), and list the bucket names;</li>
 *   <li>{@code consoleAdmin}: as MinIO's, every admin action ({@code admin:*}), the key service
 *       ({@code kms:*}) and every S3 action, anywhere: what root may do but rotating root's secret.</li>
 * </ul>
 */
final class BuiltInPolicies {

    static final String READONLY = """
            {"Version":"2012-10-17","Statement":[{"Sid":"ReadOnly","Effect":"Allow",
             "Action":["s3:ListAllMyBuckets","s3:ListBucket","s3:ListBucketVersions","s3:ListBucketMultipartUploads",
              "s3:ListMultipartUploadParts","s3:GetBucketLocation","s3:GetObject","s3:GetObjectVersion",
              "s3:GetObjectTagging","s3:GetObjectAttributes"],
             "Resource":"*"}]}""";
    static final String READWRITE = """
            {"Version":"2012-10-17","Statement":[{"Sid":"ReadWrite","Effect":"Allow","Action":"s3:*","Resource":"*"}]}""";
    static final String WRITEONLY = """
            {"Version":"2012-10-17","Statement":[{"Sid":"WriteOnly","Effect":"Allow",
             "Action":["s3:PutObject","s3:AbortMultipartUpload","s3:ListMultipartUploadParts"],
             "Resource":"arn:aws:s3:::*/*"}]}""";
    static final String HOME_PREFIX = """
            {"Version":"2012-10-17","Statement":[
             {"Sid":"ListBucketNames","Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetBucketLocation"],"Resource":"*"},
             {"Sid":"ListOwnPrefix","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::*",
              "Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]}}},
             {"Sid":"OwnKeys","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject",
              "s3:GetObjectTagging","s3:PutObjectTagging","s3:DeleteObjectTagging","s3:GetObjectAttributes",
              "s3:AbortMultipartUpload","s3:ListMultipartUploadParts"],
              "Resource":"arn:aws:s3:::*/${aws:username}/*"}]}""";

    static final String CONSOLE_ADMIN = """
            {"Version":"2012-10-17","Statement":[{"Sid":"ConsoleAdmin","Effect":"Allow",
             "Action":["admin:*","kms:*","s3:*"],"Resource":"*"}]}""";

    private BuiltInPolicies() {
    }

    static Map<String, UserPolicies.NamedPolicy> all() {
        Map<String, UserPolicies.NamedPolicy> m = new LinkedHashMap<>();
        m.put("readonly", new UserPolicies.NamedPolicy("readonly", READONLY, true));
        m.put("readwrite", new UserPolicies.NamedPolicy("readwrite", READWRITE, true));
        m.put("writeonly", new UserPolicies.NamedPolicy("writeonly", WRITEONLY, true));
        m.put("consoleAdmin", new UserPolicies.NamedPolicy("consoleAdmin", CONSOLE_ADMIN, true));
        m.put("home-prefix", new UserPolicies.NamedPolicy("home-prefix", HOME_PREFIX, true));
        return Map.copyOf(m);
    }
}
