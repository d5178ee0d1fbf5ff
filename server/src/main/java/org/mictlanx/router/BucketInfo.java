package org.mictlanx.router;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bucket: its name, owner (an access-key owner id), region, creation time, replication factor
 * tag set (S3 bucket tags, in stored order; empty for none) and versioning state.
 */
public record BucketInfo(String name, String owner, String region, Instant created, int replication,
                         Map<String, String> tags, VersioningState versioning, ObjectLockConfig objectLock) {

    public BucketInfo {
        tags = tags == null || tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        versioning = versioning == null ? VersioningState.OFF : versioning;
        objectLock = objectLock == null ? ObjectLockConfig.NONE : objectLock;
    }

    /** A bucket without object lock. */
    public BucketInfo(String name, String owner, String region, Instant created, int replication,
                      Map<String, String> tags, VersioningState versioning) {
        this(name, owner, region, created, replication, tags, versioning, ObjectLockConfig.NONE);
    }

    /** This bucket with object lock configuration {@code config}. */
    public BucketInfo withObjectLock(ObjectLockConfig config) {
        return new BucketInfo(name, owner, region, created, replication, tags, versioning, config);
    }

    /** An unversioned bucket with tags. */
    public BucketInfo(String name, String owner, String region, Instant created, int replication,
                      Map<String, String> tags) {
        this(name, owner, region, created, replication, tags, VersioningState.OFF);
    }

    /** This bucket with versioning state {@code state}. */
    public BucketInfo withVersioning(VersioningState state) {
        return new BucketInfo(name, owner, region, created, replication, tags, state, objectLock);
    }

    /** A bucket without tags. */
    public BucketInfo(String name, String owner, String region, Instant created, int replication) {
        this(name, owner, region, created, replication, Map.of());
    }

    /** This bucket with {@code newTags} as its whole tag set. */
    public BucketInfo withTags(Map<String, String> newTags) {
        return new BucketInfo(name, owner, region, created, replication, newTags, versioning, objectLock);
    }
}
