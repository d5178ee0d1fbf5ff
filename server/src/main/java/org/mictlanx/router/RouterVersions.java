package org.mictlanx.router;

import org.jspecify.annotations.Nullable;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.io.BallService;
import org.mictlanx.router.io.BucketService;
import org.mictlanx.router.io.VersionService;
import org.mictlanx.router.meta.VersionIds;

/**
 * The version operations of the {@link Router} facade: each checks the version id (BAD_REQUEST
 * when malformed) and the bucket (NO_SUCH_BUCKET), then asks {@link VersionService}, and maps its
 * answers onto the {@link BallStore} types.
 */
final class RouterVersions {

    private final BucketService buckets;
    private final BallService balls;
    private final VersionService versions;

    RouterVersions(BucketService buckets, BallService balls, VersionService versions) {
        this.buckets = buckets;
        this.balls = balls;
        this.versions = versions;
    }

    Optional<BallInfo> changeLock(String bucket, String key, @Nullable String versionId, UnaryOperator<Map<String, String>> change) {
        if (versionId != null) requireVersionId(versionId);
        buckets.require(bucket);
        return versions.changeLock(bucket, key, versionId, change);
    }

    Optional<BallInfo> replaceTags(String bucket, String key, String versionId, Map<String, String> tags) {
        requireVersionId(versionId);
        buckets.require(bucket);
        return versions.changeTags(bucket, key, versionId, tags);
    }

    Optional<BallInfo> head(String bucket, String key, String versionId) {
        requireVersionId(versionId);
        return head(buckets.require(bucket), key, versionId);
    }

    /** As above in a bucket the caller resolved (not read again). */
    Optional<BallInfo> head(BucketInfo bucket, String key, String versionId) {
        requireVersionId(versionId);
        return versions.version(bucket.name(), key, versionId);
    }

    BallStore.VersionPage list(String bucket, @Nullable String prefix, @Nullable String after, int limit) {
        return list(buckets.require(bucket), prefix, after, limit);
    }

    /** As above in a bucket the caller resolved (not read again). */
    BallStore.VersionPage list(BucketInfo bucket, @Nullable String prefix, @Nullable String after, int limit) {
        VersionService.Page page = versions.list(bucket.name(), prefix, after, limit);
        return new BallStore.VersionPage(page.entries().stream()
                .map(e -> new BallStore.VersionEntry(e.sortKey(), e.ball(), e.latest())).toList(), page.more());
    }

    /** See {@link BallStore#versionPosition}. */
    Optional<String> position(String bucket, String key, @Nullable String versionId) {
        return position(bucket, key, versionId, () -> balls.head(bucket, key));
    }

    /** As above in a bucket the caller resolved (not read again). */
    Optional<String> position(BucketInfo bucket, String key, @Nullable String versionId) {
        return position(bucket.name(), key, versionId, () -> balls.head(bucket, key));
    }

    private Optional<String> position(String bucket, String key, @Nullable String versionId, Supplier<Optional<BallInfo>> latest) {
        if (versionId == null) return Optional.of(VersionIds.afterKey(key));
        requireVersionId(versionId);
        if (!VersionIds.NULL.equals(versionId)) return VersionIds.sortKeyOf(key, versionId);
        // a ball written while the bucket was unversioned: its layout carries no version id
        Optional<BallInfo> legacy = latest.get().filter(b -> {
            BallLayout layout = b.layout();
            return layout == null || layout.versionId() == null;
        });
        if (legacy.isPresent()) return Optional.of(VersionIds.keyPrefix(key));
        return versions.locate(bucket, key, versionId).map(MetaRecord::sortKey);
    }

    private static void requireVersionId(String versionId) {
        if (!VersionIds.NULL.equals(versionId) && !VersionIds.wellFormed(versionId)) {
            throw new RouterException(RouterException.Kind.BAD_REQUEST, "invalid version id");
        }
    }
}
