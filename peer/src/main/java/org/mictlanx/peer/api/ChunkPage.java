package org.mictlanx.peer.api;

import java.util.List;

/**
 * One page of a chunk-id listing; {@code nextAfter} is null when the listing is complete.
 * {@code sizes}: each listed chunk's stored size, in the order of {@code ids} (from the peer's chunk
 * metadata, no chunk bytes read); empty when the peer does not give them.
 */
public record ChunkPage(List<String> ids, String nextAfter, List<Long> sizes) {
    public ChunkPage {
        ids = List.copyOf(ids);
        sizes = sizes == null ? List.of() : longs(sizes);
        if (!sizes.isEmpty() && sizes.size() != ids.size()) throw new IllegalArgumentException("one size per id");
    }

    /** Copies the sizes as longs whatever number type a JSON reader put in the list. */
    private static List<Long> longs(List<?> in) {
        java.util.ArrayList<Long> out = new java.util.ArrayList<>(in.size());
        for (Object o : in) out.add(((Number) o).longValue());
        return List.copyOf(out);
    }

    public ChunkPage(List<String> ids, String nextAfter) {
        this(ids, nextAfter, List.of());
    }
}
