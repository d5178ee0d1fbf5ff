package org.mictlanx.s3.handler;

import java.util.LinkedHashMap;
import java.util.Map;

import org.mictlanx.router.Redundancy;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/**
 * S3 storage classes: STANDARD (the bucket's N replicas per chunk) and REDUCED_REDUNDANCY (N - 1
 * replicas, at least 1; see {@link Redundancy}). Any other {@code x-amz-storage-class} value, the
 * other AWS classes included, is InvalidStorageClass. A ball's class is kept in its stored system
 * headers under {@link #HEADER} (absent means STANDARD) and reported on GET/HEAD (for classes other
 * than STANDARD, as S3 does), in listings and in GetObjectAttributes.
 */
final class StorageClasses {

    static final String HEADER = "x-amz-storage-class";
    static final String STANDARD = "STANDARD";
    static final String REDUCED_REDUNDANCY = "REDUCED_REDUNDANCY";

    private StorageClasses() {
    }

    /** The class the request asks for, validated; null when the header is absent. */
    static String requested(S3Request req) {
        String value = req.header(HEADER);
        if (value == null) {
            return null;
        }
        return switch (value.trim()) {
            case STANDARD -> STANDARD;
            case REDUCED_REDUNDANCY -> REDUCED_REDUNDANCY;
            default -> throw new S3Exception(S3ErrorCode.INVALID_STORAGE_CLASS);
        };
    }

    /** The class the request asks for, STANDARD when absent. */
    static String requestedOrStandard(S3Request req) {
        String c = requested(req);
        return c == null ? STANDARD : c;
    }

    /** The replica policy of a class. */
    static Redundancy redundancy(String storageClass) {
        return REDUCED_REDUNDANCY.equals(storageClass) ? Redundancy.REDUCED : Redundancy.STANDARD;
    }

    /** Whether chunks written for {@code sourceClass} have fewer replicas than {@code targetClass} promises. */
    static boolean needsMoreReplicas(String sourceClass, String targetClass) {
        return redundancy(sourceClass) == Redundancy.REDUCED && redundancy(targetClass) == Redundancy.STANDARD;
    }

    /** {@code headers} recording {@code storageClass} (STANDARD is recorded by absence). */
    static Map<String, String> withClass(Map<String, String> headers, String storageClass) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        out.remove(HEADER);
        if (!STANDARD.equals(storageClass)) {
            out.put(HEADER, storageClass);
        }
        return out;
    }

    /** The class recorded in a ball's (or upload's) stored headers. */
    static String of(Map<String, String> storedHeaders) {
        return storedHeaders.getOrDefault(HEADER, STANDARD);
    }
}
