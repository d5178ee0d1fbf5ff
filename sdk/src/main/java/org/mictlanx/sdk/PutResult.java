package org.mictlanx.sdk;

/**
 * A stored ball: its ETag (unquoted), size in bytes, the number of parts (0 for a single PUT) and
 * the full-object CRC32C (base64) the client computed and the server checked.
 */
public record PutResult(String bucket, String key, String etag, long size, int parts, String crc32c) {
}
