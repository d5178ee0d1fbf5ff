package org.mictlanx.router;

import java.time.Instant;

/** A bucket: its name, owner (an access-key owner id), region and creation time. */
public record BucketInfo(String name, String owner, String region, Instant created, int replication) {
}
