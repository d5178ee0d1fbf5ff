package org.mictlanx.sdk;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Options of a put: content type (may be null: the server's default), user metadata (sent as
 * {@code x-amz-meta-*}), tags (sent URL-encoded as {@code x-amz-tagging} on the PUT or the
 * CreateMultipartUpload, stored with the ball; S3's rules apply: at most 10, keys of 1 to 128 and values of at
 * most 256 characters, no key starting with {@code aws:}, else the put fails with {@code InvalidTag}; read them
 * back with {@link MictlanX#tags}), a progress listener, and the id of a client key to encrypt the ball with
 * (AES-256-GCM per chunk; null stores plaintext).
 */
public record PutOptions(@Nullable String contentType, Map<String, String> metadata, Map<String, String> tags,
                         ProgressListener progress, @Nullable String encryptionKeyId) {

    /** No content type, metadata or tags; no progress reports; no client-side encryption. */
    public static final PutOptions DEFAULT = new PutOptions(null, Map.of(), Map.of(), ProgressListener.NONE, null);

    /** Copies the maps (null maps are empty); a null listener means none. */
    public PutOptions(@Nullable String contentType, @Nullable Map<String, String> metadata,
                      @Nullable Map<String, String> tags, @Nullable ProgressListener progress,
                      @Nullable String encryptionKeyId) {
        this.contentType = contentType;
        this.metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
        this.tags = Map.copyOf(tags == null ? Map.of() : tags);
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.encryptionKeyId = encryptionKeyId;
    }

    /** These options with {@code type} as content type. */
    public PutOptions withContentType(@Nullable String type) {
        return new PutOptions(type, metadata, tags, progress, encryptionKeyId);
    }

    /** These options with {@code meta} as user metadata. */
    public PutOptions withMetadata(Map<String, String> meta) {
        return new PutOptions(contentType, Objects.requireNonNull(meta), tags, progress, encryptionKeyId);
    }

    /** These options with {@code t} as tags. */
    public PutOptions withTags(Map<String, String> t) {
        return new PutOptions(contentType, metadata, Objects.requireNonNull(t), progress, encryptionKeyId);
    }

    /** These options encrypting with the client's key {@code keyId} (see {@code MictlanX.Builder#encryptionKey}). */
    public PutOptions withEncryptionKeyId(@Nullable String keyId) {
        return new PutOptions(contentType, metadata, tags, progress, keyId);
    }

    /** These options with {@code listener} told of progress. */
    public PutOptions withProgress(@Nullable ProgressListener listener) {
        return new PutOptions(contentType, metadata, tags, listener, encryptionKeyId);
    }
}
