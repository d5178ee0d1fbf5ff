package org.mictlanx.peer.api;

import java.util.List;

/** One page of a chunk-id listing; {@code nextAfter} is null when the listing is complete. */
public record ChunkPage(List<String> ids, String nextAfter) {
    public ChunkPage {
        ids = List.copyOf(ids);
    }
}
