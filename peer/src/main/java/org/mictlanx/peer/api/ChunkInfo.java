package org.mictlanx.peer.api;

/** A stored chunk's size and the CRC32C of its bytes, as acknowledged at put time. */
public record ChunkInfo(String id, long size, int crc32c) {
}
