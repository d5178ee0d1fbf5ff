package org.mictlanx.peer.api;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * What a router asks of one storage peer. Two implementations exist: the in-process peer (the
 * all-in-one store calls its embedded peers directly) and the HTTP client of a remote peer. Both
 * pass the same contract test.
 *
 * <p>Contracts shared by every implementation:
 * <ul>
 *   <li>A method that returns normally has made its write durable (synced to the write-ahead log).
 *   <li>{@link #putChunk} verifies the CRC32C of the received bytes before acknowledging; a mismatch
 *       throws {@link PeerException.Kind#CHECKSUM_MISMATCH} and stores nothing.
 *   <li>{@link #getChunk} never returns bytes whose stored checksum does not match: such a chunk
 *       throws {@link PeerException.Kind#CORRUPT}.
 *   <li>Records follow last-writer-wins on {@link MetaRecord#version()}: a put whose version is older
 *       than the stored one is ignored. Deletes are tombstone records.
 *   <li>Any failure is a {@link PeerException}; transport problems are
 *       {@link PeerException.Kind#UNAVAILABLE}.
 * </ul>
 */
public interface PeerApi extends AutoCloseable {

    /** The peer's stable identifier. */
    String id();

    /**
     * Stores the chunk {@code id} (see {@link ChunkIds}) of exactly {@code length} bytes read from
     * {@code body}. Overwriting an existing id with the same bytes is allowed (idempotent retry).
     */
    void putChunk(String id, InputStream body, long length, int crc32c);

    /** Convenience form of {@link #putChunk(String, InputStream, long, int)} for an in-memory chunk. */
    default void putChunk(String id, byte[] data, int crc32c) {
        putChunk(id, new java.io.ByteArrayInputStream(data), data.length, crc32c);
    }

    /**
     * Returns bytes {@code [offset, offset + length)} of the chunk, verified against its stored
     * checksum. {@code length < 0} means "to the end". Throws NOT_FOUND or CORRUPT.
     */
    byte[] getChunk(String id, long offset, long length);

    /**
     * The whole chunk, verified, as a slice of an array that becomes the caller's (no payload copy for an
     * in-process peer; the router decrypts it in place). Same errors as {@link #getChunk}.
     */
    default ChunkBytes getChunkBytes(String id) {
        byte[] b = getChunk(id, 0, -1);
        return new ChunkBytes(b, 0, b.length);
    }

    /**
     * The whole chunk, verified, in a buffer lent to the caller (see {@link ChunkBuffer}: given back with
     * {@code close}). An in-process peer reads it straight into a pooled heap buffer when one is free
     * (no array allocated per read; the router decrypts it in place and the response is written from it);
     * the default wraps {@link #getChunkBytes}. Same errors as {@link #getChunk}.
     */
    default ChunkBuffer getChunkBuffer(String id) {
        return ChunkBuffer.of(getChunkBytes(id));
    }

    /** The chunk's size and checksum, without reading or verifying its bytes; empty when absent. */
    Optional<ChunkInfo> headChunk(String id);

    /** Deletes the chunk; returns whether it existed. Durable on return. */
    boolean deleteChunk(String id);

    /** At most this many ids per {@link #verifyChunks} call. */
    int MAX_VERIFY = 1000;

    /**
     * Reads and verifies each listed chunk against its stored checksum, as a read would, without
     * returning its bytes; returns the ids (in the order given) that are absent or fail verification
     * (a copy that cannot be served). At most {@link #MAX_VERIFY} ids (BAD_REQUEST beyond). Routers
     * ask it before a GET's status line for chunks beyond their read-ahead window.
     */
    default List<String> verifyChunks(List<String> ids) {
        if (ids.size() > MAX_VERIFY) throw new PeerException(PeerException.Kind.BAD_REQUEST, "at most " + MAX_VERIFY + " ids");
        List<String> bad = new java.util.ArrayList<>();
        for (String id : ids) {
            try {
                getChunkBytes(id);
            } catch (PeerException e) {
                if (e.kind() != PeerException.Kind.CORRUPT && e.kind() != PeerException.Kind.NOT_FOUND) throw e;
                bad.add(id);
            }
        }
        return bad;
    }

    /** Chunk ids in ascending order, strictly after {@code after} (null: from the start). */
    ChunkPage listChunks(String after, int limit);

    /**
     * Applies the record under last-writer-wins and returns true when it became (or already was) the
     * stored version; false when a newer version was already stored.
     */
    boolean putRecord(MetaRecord record);

    /** {@code expectedVersion} of {@link #putRecordIf} meaning "no record (not even a tombstone) is stored". */
    long ABSENT = -1;

    /**
     * Compare-and-set: stores {@code record} iff the record stored under its (partition, sortKey)
     * has version {@code expectedVersion} ({@link #ABSENT}: none is stored), atomically with
     * respect to every other write of that key on this peer. Not subject to last-writer-wins (the
     * new record may even be older). Returns whether it was stored; when false nothing changed.
     */
    boolean putRecordIf(MetaRecord record, long expectedVersion);

    /**
     * Applies several records atomically and durably (one sync), each under last-writer-wins: after
     * a crash either every record of the batch was applied or none was. No default: looping over
     * {@link #putRecord} would break that promise, so each implementation provides it.
     */
    void putRecords(List<MetaRecord> records);

    /** The stored record, including a tombstone; empty when none is stored. */
    Optional<MetaRecord> getRecord(String partition, String sortKey);

    /**
     * Records of {@code partition} in ascending sort-key order (UTF-8 byte order), strictly after
     * {@code startAfter} (null: from the start), whose sort key starts with {@code prefix} (null or
     * empty: any), at most {@code limit}. Tombstones are included so that quorum readers can resolve
     * conflicts; callers filter them out.
     */
    List<MetaRecord> scanRecords(String partition, String prefix, String startAfter, int limit);

    /** Liveness and readiness of the peer. */
    PeerHealth health();

    /** Counters and capacity of the peer. */
    PeerStats stats();

    /** Walks every chunk, verifies its checksum, returns the ids of corrupt chunks. */
    ScrubReport scrub();

    /**
     * Starts an online rebuild of the peer's store and returns at once: while it runs the peer is
     * not ready and refuses data calls (UNAVAILABLE: try another replica); the damaged files are set
     * aside, what still reads with checksums verified is copied into a fresh store (new identity),
     * and routers refill the rest. Runs only when the store reports damage unless {@code force};
     * a call while one runs returns its status. Peers without a store on disk throw BAD_REQUEST.
     */
    default StoreRebuildStatus rebuildStore(boolean force) {
        throw new PeerException(PeerException.Kind.BAD_REQUEST, "peer " + id() + " has no store to rebuild");
    }

    /** The last (or running) online store rebuild. */
    default StoreRebuildStatus rebuildStatus() {
        return new StoreRebuildStatus(id(), "idle", null, null, List.of(), null, 0, 0);
    }

    @Override
    void close();
}
