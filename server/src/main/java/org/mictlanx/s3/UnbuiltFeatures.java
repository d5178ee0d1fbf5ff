package org.mictlanx.s3;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline's validator step: refuses requests that ask for S3 features this store does not
 * build, instead of accepting them and silently dropping the promise (a lock that is not kept, a
 * customer key that is not required to read). Runs after authentication, authorization and the
 * bucket check, before dispatch and before any body byte is read; keyed by operation. Each refusal
 * is S3's specific error where S3 has one for the situation, else 501 {@code NotImplemented} naming
 * the header.
 *
 * <ul>
 *   <li>Object Lock is built (issue 14): {@code x-amz-bucket-object-lock-enabled} other than
 *       true/false → 400 InvalidArgument; lock headers on writes are checked by the handlers
 *       ({@code LockHeaders}).</li>
 *   <li>Dual-layer SSE-KMS: {@code x-amz-server-side-encryption: aws:kms:dsse} → 501; a value other
 *       than {@code AES256} / {@code aws:kms} → 400 {@code InvalidArgument} (SSE-S3, SSE-KMS and SSE-C
 *       themselves are built: {@code org.mictlanx.s3.sse}).</li>
 *   <li>Storage classes: {@code x-amz-storage-class} other than the two the store has
 *       ({@code STANDARD}, {@code REDUCED_REDUNDANCY}) → 400 {@code InvalidStorageClass}, S3's other
 *       classes (GLACIER, STANDARD_IA, ...) included.</li>
 * </ul>
 * ACL headers ({@code x-amz-acl}, {@code x-amz-grant-*}, {@code x-amz-object-ownership}) are built
 * (canned ACLs, grants, ownership controls) and checked by the ACL code, not here.
 */
final class UnbuiltFeatures {

    private static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "REDUCED_REDUNDANCY");

    /**
     * Throws the S3 refusal for the first unbuilt feature {@code headers} ask of {@code op}.
     *
     * @param headers lower-case header names (presigned query {@code x-amz-*} parameters included)
     */
    void check(S3Operation op, Map<String, List<String>> headers) {
        switch (op) {
            case S3Operation.CreateBucket c -> checkCreateBucket(headers);
            case S3Operation.PutObject p -> checkObjectWrite(headers);
            case S3Operation.CopyObject c -> checkObjectWrite(headers);
            case S3Operation.CreateMultipartUpload c -> checkObjectWrite(headers);
            default -> {
            }
        }
    }

    private static void checkCreateBucket(Map<String, List<String>> headers) {
        String lock = first(headers, "x-amz-bucket-object-lock-enabled");
        if (lock != null) {
            if (!lock.strip().equalsIgnoreCase("false") && !lock.strip().equalsIgnoreCase("true")) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                        "x-amz-bucket-object-lock-enabled must be true or false");
            }
        }
    }

    private static void checkObjectWrite(Map<String, List<String>> headers) {
        String sse = first(headers, "x-amz-server-side-encryption");
        if (sse != null) {
            String v = sse.strip();
            if (v.equals("aws:kms:dsse")) {
                throw notImplemented("x-amz-server-side-encryption", "dual-layer server-side encryption with " + v);
            }
            if (!v.equals("AES256") && !v.equals("aws:kms")) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The encryption method specified is not supported");
            }
        }
        String storageClass = first(headers, "x-amz-storage-class");
        if (storageClass != null && !STORAGE_CLASSES.contains(storageClass)) {
            throw new S3Exception(S3ErrorCode.INVALID_STORAGE_CLASS);
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static S3Exception notImplemented(String header, String feature) {
        return new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                "A header you provided implies functionality that is not implemented: " + header + " (" + feature + ")");
    }
}
