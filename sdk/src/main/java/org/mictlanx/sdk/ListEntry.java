package org.mictlanx.sdk;

/**
 * One entry of a listing: a ball ({@code prefix == false}: key, size, ETag, last modified) or a
 * common prefix rolled up by the delimiter ({@code prefix == true}: only {@code key} is set).
 */
public record ListEntry(String key, long size, String etag, String lastModified, boolean prefix) {
}
