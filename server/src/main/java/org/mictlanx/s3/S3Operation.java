package org.mictlanx.s3;

import java.util.Map;
import java.util.Optional;

/**
 * A request parsed into the S3 action it asks for. Each case is named after the AWS action, carries
 * its typed parameters, and states the {@link Permission} it needs. Built only by
 * {@link S3RequestParser}; keys are exact decoded strings and are never interpreted as paths.
 */
public sealed interface S3Operation {

    /** The bucket the operation addresses; empty for service-level operations. */
    Optional<String> bucket();

    Permission permission();

    /** The AWS action name, e.g. {@code GetObject}; used in logs and metrics. */
    default String action() {
        return getClass().getSimpleName();
    }

    /** Operations on a bucket (or a ball in it); the bucket must exist before authorization. */
    sealed interface BucketScoped extends S3Operation {
        String bucketName();

        @Override
        default Optional<String> bucket() {
            return Optional.of(bucketName());
        }
    }

    /**
     * Listing parameters shared by the listing operations.
     *
     * @param prefix      keys must start with it; empty for any
     * @param delimiter   rolls keys up into common prefixes; null for none
     * @param maxKeys     0 .. 1000
     * @param urlEncoding {@code encoding-type=url}: keys and prefixes in the answer are URL-encoded
     */
    record ListParams(String prefix, String delimiter, int maxKeys, boolean urlEncoding) {
    }

    /**
     * {@code response-*} query overrides of GET/HEAD response headers, by response header name
     * (e.g. {@code Content-Type}).
     */
    record ResponseOverrides(Map<String, String> headers) {
        public ResponseOverrides {
            headers = Map.copyOf(headers);
        }
    }

    record ListBuckets() implements S3Operation {
        @Override
        public Optional<String> bucket() {
            return Optional.empty();
        }

        @Override
        public Permission permission() {
            return Permission.LIST_BUCKETS;
        }
    }

    record CreateBucket(String bucketName) implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.CREATE_BUCKET;
        }
    }

    record HeadBucket(String bucketName) implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.READ;
        }
    }

    record DeleteBucket(String bucketName) implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.OWNER;
        }
    }

    record GetBucketLocation(String bucketName) implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.READ;
        }
    }

    record PutObject(String bucketName, String key) implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.WRITE;
        }
    }

    /** @param versionId the requested version id, or null; only {@code "null"} exists while versioning is off */
    record GetObject(String bucketName, String key, String versionId, ResponseOverrides overrides)
            implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.READ;
        }
    }

    record HeadObject(String bucketName, String key, String versionId, ResponseOverrides overrides)
            implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.READ;
        }
    }

    record DeleteObject(String bucketName, String key, String versionId) implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.WRITE;
        }
    }

    record DeleteObjects(String bucketName) implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.WRITE;
        }
    }

    /** ListObjects (v1); {@code marker} null when absent. */
    record ListObjects(String bucketName, ListParams params, String marker) implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.READ;
        }
    }

    /** ListObjectsV2; {@code continuationToken} and {@code startAfter} null when absent. */
    record ListObjectsV2(String bucketName, ListParams params, String continuationToken, String startAfter,
                         boolean fetchOwner) implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.READ;
        }
    }

    /** ListObjectVersions while versioning is off: one version per key, id {@code null}. */
    record ListObjectVersions(String bucketName, ListParams params, String keyMarker, String versionIdMarker)
            implements BucketScoped {
        @Override
        public Permission permission() {
            return Permission.READ;
        }
    }

    /**
     * A known S3 action this server does not implement (yet); always answered with
     * {@code 501 NotImplemented} after authentication, never executed.
     */
    record NotImplemented(String action, Optional<String> bucket) implements S3Operation {
        @Override
        public Permission permission() {
            return Permission.READ;
        }
    }
}
