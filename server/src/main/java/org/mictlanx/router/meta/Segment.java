package org.mictlanx.router.meta;

/**
 * The chunks written by one put or one uploaded part. Chunk {@code i} has id {@code id + "." + i}
 * (also its GCM AAD with {@code i}) and holds plaintext bytes {@code [i * chunkSize, min(size,
 * (i+1) * chunkSize))}. Balls and parts refer to byte ranges of segments ({@link Slice}); several
 * balls (copies) and open upload parts may share a segment, which GC keeps while any of them
 * refers to it (see {@code References}).
 *
 * <p>An <em>inline</em> segment (a small single put) has no chunks: its one sealed chunk (index 0,
 * same encryption) is kept in the metadata record that names the segment, so it is replicated,
 * read-repaired and released with that record; GC, repair and references ignore it.
 *
 * @param id         unique: 12 hex digits of creation millis, then 12 random hex digits
 * @param keyId      id of the master key that wrapped {@code wrappedKey}
 * @param wrappedKey the segment's data key, wrapped with AAD bound to {@code id}
 * @param inline     the sealed chunk 0 of an inline segment, else null
 */
public record Segment(String id, long size, int chunkSize, int replication, String keyId, byte[] wrappedKey,
                      byte[] inline) {

    /** A segment whose chunks are stored on peers. */
    public Segment(String id, long size, int chunkSize, int replication, String keyId, byte[] wrappedKey) {
        this(id, size, chunkSize, replication, keyId, wrappedKey, null);
    }

    public boolean isInline() {
        return inline != null;
    }

    public long chunkCount() {
        return size == 0 || inline != null ? 0 : (size + chunkSize - 1) / chunkSize;
    }

    public String chunkId(long index) {
        return ChunkIdScheme.chunkId(id, index);
    }

    /** Plaintext length of chunk {@code index}. */
    public int chunkLength(long index) {
        return (int) Math.min(chunkSize, size - index * chunkSize);
    }

    /** Creation millis encoded in the id. */
    public long createdMillis() {
        return ChunkIdScheme.idMillis(id);
    }
}
