package org.mictlanx.sdk;

import java.util.Map;
import java.util.Objects;

/**
 * Options of a put: content type (may be null: the server's default), user metadata (sent as
 * {@code x-amz-meta-*}), tags (sent as {@code x-amz-tagging}) and a progress listener.
 */
public record PutOptions(String contentType, Map<String, String> metadata, Map<String, String> tags,
                         ProgressListener progress) {

    /** No content type, metadata or tags; no progress reports. */
    public static final PutOptions DEFAULT = new PutOptions(null, Map.of(), Map.of(), ProgressListener.NONE);

    /** Copies the maps; a null listener means none. */
    public PutOptions {
        metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
        tags = Map.copyOf(tags == null ? Map.of() : tags);
        progress = progress == null ? ProgressListener.NONE : progress;
    }

    /** These options with {@code type} as content type. */
    public PutOptions withContentType(String type) {
        return new PutOptions(type, metadata, tags, progress);
    }

    /** These options with {@code meta} as user metadata. */
    public PutOptions withMetadata(Map<String, String> meta) {
        return new PutOptions(contentType, Objects.requireNonNull(meta), tags, progress);
    }

    /** These options with {@code t} as tags. */
    public PutOptions withTags(Map<String, String> t) {
        return new PutOptions(contentType, metadata, Objects.requireNonNull(t), progress);
    }

    /** These options with {@code listener} told of progress. */
    public PutOptions withProgress(ProgressListener listener) {
        return new PutOptions(contentType, metadata, tags, listener);
    }
}
