package org.mictlanx.peer.store;

import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.PeerException;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Stored forms of a chunk. The value is {@code [format=1][crc32c: 4 bytes BE][bytes]}; the meta entry
 * (small, read by head and listing without touching the value) is {@code [size: 8 BE][crc32c: 4 BE]}.
 */
public final class ChunkCodec {
    static final byte FORMAT = 1;
    static final int HEADER = 5;
    /** Bytes in front of the chunk in a stored value (see {@link ChunkStore#putFramed}). */
    public static final int HEADER_BYTES = HEADER;

    private ChunkCodec() {
    }

    public static int crc32c(byte[] data, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(data, off, len);
        return (int) c.getValue();
    }

    static byte[] encodeValue(byte[] data, int crc32c) {
        byte[] v = new byte[HEADER + data.length];
        System.arraycopy(data, 0, v, HEADER, data.length);
        return frame(v, crc32c);
    }

    /** Writes the value header into the spare room of a framed chunk; returns it, now a stored value. */
    static byte[] frame(byte[] framed, int crc32c) {
        framed[0] = FORMAT;
        ByteBuffer.wrap(framed, 1, 4).putInt(crc32c);
        return framed;
    }

    /**
     * Writes the value header into the spare room of a framed chunk held in a buffer (position 0: the
     * header, then the chunk up to the limit); returns the buffer, now a stored value.
     */
    static ByteBuffer frame(ByteBuffer framed, int crc32c) {
        framed.put(0, FORMAT).putInt(1, crc32c);
        return framed;
    }

    /** Verified payload of a stored value with its checksum; throws CORRUPT on a bad header or checksum. */
    static VerifiedChunk decodeValue(String id, byte[] stored) {
        if (!verify(stored)) throw new PeerException(PeerException.Kind.CORRUPT, "chunk " + id + " fails its checksum");
        return new VerifiedChunk(stored, HEADER, stored.length - HEADER, storedCrc(stored));
    }

    private static int storedCrc(byte[] stored) {
        return ByteBuffer.wrap(stored, 1, 4).getInt();
    }

    static boolean verify(byte[] stored) {
        if (stored == null || stored.length < HEADER || stored[0] != FORMAT) return false;
        return crc32c(stored, HEADER, stored.length - HEADER) == storedCrc(stored);
    }

    /** {@link #verify(byte[])} for a stored value held in {@code stored[0, limit)}. */
    static boolean verify(ByteBuffer stored) {
        if (stored.limit() < HEADER || stored.get(0) != FORMAT) return false;
        CRC32C c = new CRC32C();
        c.update(stored.slice(HEADER, stored.limit() - HEADER));
        return (int) c.getValue() == stored.getInt(1);
    }

    static byte[] encodeMeta(long size, int crc32c) {
        return ByteBuffer.allocate(12).putLong(size).putInt(crc32c).array();
    }

    static ChunkInfo decodeMeta(String id, byte[] meta) {
        ByteBuffer b = ByteBuffer.wrap(meta);
        return new ChunkInfo(id, b.getLong(), b.getInt());
    }
}
