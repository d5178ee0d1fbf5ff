package org.mictlanx.peer.api;

/**
 * A whole chunk's bytes, {@code array[offset, offset + length)}, already verified against its stored
 * checksum. The array may hold more than the chunk (an in-process peer hands out the value it read,
 * header included, rather than copying the payload out of it), and it belongs to the receiver: every
 * implementation hands out an array nobody else holds, so the router may decrypt it in place.
 */
public record ChunkBytes(byte[] array, int offset, int length) {
    public ChunkBytes {
        if (offset < 0 || length < 0 || offset + length > array.length) throw new IllegalArgumentException("bad slice");
    }
}
