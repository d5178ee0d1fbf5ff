package org.mictlanx.sdk;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a listing: a ball ({@code prefix == false}: key, size, ETag, last modified) or a
 * common prefix rolled up by the delimiter ({@code prefix == true}: only {@code key} is set).
 */
public record ListEntry(String key, long size, @Nullable String etag, @Nullable String lastModified, boolean prefix) {
}
