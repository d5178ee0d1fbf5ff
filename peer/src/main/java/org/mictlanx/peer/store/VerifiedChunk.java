package org.mictlanx.peer.store;

/**
 * A chunk's bytes as read from a {@link ChunkStore}, together with the stored CRC32C that they were
 * just verified against: callers that need the checksum (for a response header) use this one
 * instead of computing it again.
 */
public record VerifiedChunk(byte[] bytes, int crc32c) {
}
