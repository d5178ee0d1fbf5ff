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
        sizes = sizes == null ? List.of() : List.copyOf(sizes);
        if (!sizes.isEmpty() && sizes.size() != ids.size()) throw new IllegalArgumentException("one size per id");
    }

    public ChunkPage(List<String> ids, String nextAfter) {
        this(ids, nextAfter, List.of());
    }
}
