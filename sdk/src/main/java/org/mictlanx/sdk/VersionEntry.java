package org.mictlanx.sdk;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a version listing: a version of a ball or a delete marker ({@code deleteMarker}: no
 * size or ETag), with its version id and whether it is the key's latest.
 */
public record VersionEntry(String key, String versionId, boolean latest, boolean deleteMarker, long size,
                           @Nullable String etag, String lastModified) {
}
