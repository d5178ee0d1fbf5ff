package org.mictlanx.peer;

import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.http.BodyDigest;
import org.mictlanx.peer.store.ChunkCodec;
import org.mictlanx.peer.store.DirectBufferPool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One chunk put in progress on a {@link LocalPeer}: the body is appended piece by piece (from the
 * HTTP layer's buffers or a stream) into one framed buffer, its CRC32C computed on the way, and
 * {@link #commit()} stores it only if exactly {@code length} bytes arrived and they match the
 * announced checksum (and, for a chunk received over HTTP, the body digest its request signature
 * covers, computed on each piece as it arrives, like the CRC). Large chunks are staged in a pooled direct buffer (handed to RocksDB without a
 * further copy, and returned to the pool as soon as the chunk is in the memtable), others in a heap
 * array. Not thread-safe; {@link #close()} (always) returns the buffer if that has not happened yet.
 */
public final class ChunkUpload implements AutoCloseable {
    /**
     * How long an upload waits for a staging buffer before it takes the heap path. Buffers come back
     * as soon as a chunk is in the memtable (not after its sync), within tens of milliseconds; the
     * waiting upload has not read its body yet, so TCP holds the sender back meanwhile.
     */
    static final long STAGING_WAIT_MILLIS = 1_000;
    private final LocalPeer peer;
    private final String id;
    private final int length;
    private final int expectedCrc;
    private final DirectBufferPool pool;
    private final ByteBuffer framed;
    private final CRC32C crc = new CRC32C();
    /** Null unless the body must also match a signed digest. */
    private final BodyDigest digest;
    private final String expectedDigest;
    private boolean closed;
    private boolean bufferReturned;

    ChunkUpload(LocalPeer peer, String id, int length, int expectedCrc, BodyDigest digest, String expectedDigest,
                DirectBufferPool pool) {
        this.peer = peer;
        this.digest = digest;
        this.expectedDigest = expectedDigest;
        this.id = id;
        this.length = length;
        this.expectedCrc = expectedCrc;
        int framedLength = ChunkCodec.HEADER_BYTES + length;
        ByteBuffer direct = pool != null && framedLength <= pool.capacity() ? pool.acquire(STAGING_WAIT_MILLIS) : null;
        this.pool = direct == null ? null : pool;
        this.framed = (direct != null ? direct : ByteBuffer.allocate(framedLength)).limit(framedLength).position(ChunkCodec.HEADER_BYTES);
    }

    /** Whether the body is staged in a pooled direct buffer (else a heap array). */
    boolean direct() {
        return pool != null;
    }

    /** Bytes still expected. */
    public int remaining() {
        return framed.remaining();
    }

    /** Appends {@code src} (consumed); BAD_REQUEST when it goes past the announced length. */
    public void write(ByteBuffer src) {
        if (src.remaining() > framed.remaining()) throw tooLong();
        crc.update(src.duplicate());
        if (digest != null) digest.update(src);
        framed.put(src);
    }

    /** Reads exactly the remaining bytes from {@code in} and checks that it ends there. */
    public void readFrom(InputStream in) {
        try {
            if (framed.hasArray()) {
                int off = framed.arrayOffset() + framed.position();
                int n = in.readNBytes(framed.array(), off, framed.remaining());
                crc.update(framed.array(), off, n);
                if (digest != null) digest.update(framed.array(), off, n);
                framed.position(framed.position() + n);
            } else {
                byte[] staging = new byte[64 << 10];
                while (framed.hasRemaining()) {
                    int n = in.read(staging, 0, Math.min(staging.length, framed.remaining()));
                    if (n < 0) break;
                    write(ByteBuffer.wrap(staging, 0, n));
                }
            }
            if (framed.hasRemaining()) throw tooShort();
            if (in.read() != -1) throw tooLong();
        } catch (IOException e) {
            throw new PeerException(PeerException.Kind.BAD_REQUEST, "cannot read chunk body: " + e.getMessage(), e);
        }
    }

    /** Verifies length, checksum and (when signed) body digest, then stores the chunk durably (returns after the sync). */
    public void commit() {
        if (closed) throw new IllegalStateException("upload closed");
        if (framed.hasRemaining()) throw tooShort();
        if ((int) crc.getValue() != expectedCrc) {
            throw new PeerException(PeerException.Kind.CHECKSUM_MISMATCH, "chunk " + id + " does not match its CRC32C");
        }
        if (digest != null && !digest.matches(expectedDigest)) {
            throw new PeerException(PeerException.Kind.CHECKSUM_MISMATCH, "chunk " + id + " does not match its signed body digest");
        }
        peer.storeFramed(id, framed.flip(), expectedCrc, this::returnBuffer);
    }

    /** Gives the staging buffer back to the pool (once; later calls do nothing). */
    private void returnBuffer() {
        if (bufferReturned) return;
        bufferReturned = true;
        if (pool != null) pool.release(framed);
    }

    private PeerException tooShort() {
        return new PeerException(PeerException.Kind.BAD_REQUEST, "body shorter than its length (" + length + ")");
    }

    private static PeerException tooLong() {
        return new PeerException(PeerException.Kind.BAD_REQUEST, "body longer than its length");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        returnBuffer();
    }
}
