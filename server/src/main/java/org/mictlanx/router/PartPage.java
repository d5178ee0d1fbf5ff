package org.mictlanx.router;

import java.util.List;

/**
 * One page of an upload's parts in ascending part number; {@code truncated} when more follow (the
 * next page starts after the last part number of this one).
 */
public record PartPage(List<PartInfo> parts, boolean truncated) {
    public PartPage {
        parts = List.copyOf(parts);
    }
}
