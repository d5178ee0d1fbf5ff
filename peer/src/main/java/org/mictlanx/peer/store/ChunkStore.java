package org.mictlanx.peer.store;

import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.peer.api.ScrubReport;

import org.mictlanx.peer.api.PeerException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Durable map from chunk id to bytes plus their CRC32C.
 *
 * <p>Invariants: every stored value carries the checksum acknowledged at put time; {@link #get}
 * verifies it and throws {@code PeerException(CORRUPT)} instead of returning damaged bytes. A method
 * that returns normally has made its write durable. Ids are validated by the caller
 * ({@link org.mictlanx.peer.api.ChunkIds}).
 */
public interface ChunkStore extends AutoCloseable {

    /** Stores {@code data} (whose CRC32C the caller has verified to be {@code crc32c}), replacing any previous value. */
    void put(String id, byte[] data, int crc32c);

    /**
     * Like {@link #put} for a chunk held in {@code framed[ChunkCodec.HEADER_BYTES..]}: the first
     * {@link ChunkCodec#HEADER_BYTES} bytes are spare room that the implementation may overwrite
     * with its value header, so the stored value needs no copy of the chunk. The caller gives up
     * {@code framed}.
     */
    default void putFramed(String id, byte[] framed, int crc32c) {
        put(id, java.util.Arrays.copyOfRange(framed, ChunkCodec.HEADER_BYTES, framed.length), crc32c);
    }

    /**
     * Like {@link #putFramed(String, byte[], int)} for a chunk held in a buffer: bytes
     * {@code [0, HEADER_BYTES)} are spare room, the chunk runs from there to the limit. The buffer's
     * contents may be overwritten. {@code bufferFree} runs at most once, as soon as the store no longer
     * reads the buffer (which may be before the chunk is durable; this method still returns only once
     * it is), so the caller can lend the buffer to the next put while this one waits for its sync. When
     * this method returns or throws, the buffer is free whether or not {@code bufferFree} ran.
     */
    default void putFramed(String id, java.nio.ByteBuffer framed, int crc32c, Runnable bufferFree) {
        byte[] copy = new byte[framed.limit()];
        framed.get(0, copy);
        bufferFree.run();
        putFramed(id, copy, crc32c);
    }

    /**
     * The chunk's bytes, verified against its stored checksum, with that checksum; empty when absent.
     * Throws CORRUPT when the stored checksum fails.
     */
    Optional<VerifiedChunk> read(String id);

    /**
     * {@link #read} into a {@link org.mictlanx.peer.api.ChunkBuffer} that the caller gives back: the
     * default wraps the verified array; a store may read into a pooled buffer instead. Same
     * errors; empty when absent.
     */
    default Optional<org.mictlanx.peer.api.ChunkBuffer> readBuffer(String id) {
        return read(id).map(v -> org.mictlanx.peer.api.ChunkBuffer.of(new org.mictlanx.peer.api.ChunkBytes(v.array(), v.offset(), v.length())));
    }

    /** The verified bytes of the chunk ({@link #read} without the checksum); empty when absent. */
    default Optional<byte[]> get(String id) {
        return read(id).map(VerifiedChunk::bytes);
    }

    /** Size and checksum without reading the bytes. */
    Optional<ChunkInfo> head(String id);

    /** Removes the chunk; returns whether it existed. */
    boolean delete(String id);

    /** Ids in ascending order strictly after {@code after} (null: from the start), at most {@code limit}. */
    ChunkPage list(String after, int limit);

    /**
     * One step of an incremental scrub: reads and verifies the chunks after {@code after} (null:
     * from the first) in id order, at most {@code maxChunks}. A chunk that fails verification is
     * listed in {@link ScrubStep#damaged()}, one that cannot be read for another reason in
     * {@link ScrubStep#unreadable()}; either way the step goes on with the next id, so one damaged
     * chunk never stops a pass. A failure of the listing itself (damaged index) throws: a scrub never
     * reports "nothing found" for chunks it could not reach.
     */
    default ScrubStep scrubStep(String after, int maxChunks) {
        ChunkPage page = list(after, maxChunks);
        List<String> damaged = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        long bytes = 0;
        for (String id : page.ids()) {
            try {
                Optional<VerifiedChunk> c = read(id);
                if (c.isPresent()) bytes += c.get().length();
            } catch (PeerException e) {
                if (e.kind() == PeerException.Kind.CORRUPT) damaged.add(id);
                else unreadable.add(id);
            }
        }
        String last = page.ids().isEmpty() ? null : page.ids().get(page.ids().size() - 1);
        return new ScrubStep(page.ids().size(), bytes, damaged, unreadable, page.nextAfter() == null ? null : last);
    }

    /**
     * What one {@link #scrubStep} found. {@code next} is the cursor for the following step, null
     * when the pass reached the end.
     */
    record ScrubStep(int checked, long bytes, List<String> damaged, List<String> unreadable, String next) {
        public ScrubStep {
            damaged = List.copyOf(damaged);
            unreadable = List.copyOf(unreadable);
        }
    }

    /**
     * Verifies every stored chunk in one pass (steps of {@link #scrubStep}); the report lists the
     * damaged and the unreadable ids.
     */
    default ScrubReport scrub() {
        long checked = 0;
        List<String> bad = new ArrayList<>();
        String after = null;
        do {
            ScrubStep step = scrubStep(after, 256);
            checked += step.checked();
            bad.addAll(step.damaged());
            bad.addAll(step.unreadable());
            after = step.next();
        } while (after != null);
        bad.sort(null);
        return new ScrubReport(checked, bad);
    }

    /** Number of stored chunks. */
    long count();

    /** Sum of stored chunk sizes. */
    long bytes();

    @Override
    void close();
}
