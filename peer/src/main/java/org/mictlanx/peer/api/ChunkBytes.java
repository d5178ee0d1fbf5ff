package org.mictlanx.peer.api;

/**
 * A whole chunk's bytes, {@code array[offset, offset + length)}, already verified against its stored
 * checksum. Read-only: the array may hold more than the chunk (an in-process peer hands out the value
 * it read, header included, rather than copying the payload out of it).
 */
public record ChunkBytes(byte[] array, int offset, int length) {
    public ChunkBytes {
        if (offset < 0 || length < 0 || offset + length > array.length) throw new IllegalArgumentException("bad slice");
    }
}
