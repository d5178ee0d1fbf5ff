package org.mictlanx.peer.store;

import java.util.Arrays;

/**
 * A chunk's bytes as read from a {@link ChunkStore}: {@code array[offset, offset + length)}, together
 * with the stored CRC32C that they were just verified against. Callers that need the checksum (for a
 * response header) use this one instead of computing it again, and callers that only send the bytes
 * on use the slice as is (no copy of a stored value's header-less payload).
 */
public record VerifiedChunk(byte[] array, int offset, int length, int crc32c) {
    public VerifiedChunk {
        if (offset < 0 || length < 0 || offset + length > array.length) throw new IllegalArgumentException("bad slice");
    }

    /** The bytes as an array of their own (the backing array itself when it holds exactly them). */
    public byte[] bytes() {
        return offset == 0 && length == array.length ? array : Arrays.copyOfRange(array, offset, offset + length);
    }
}
