package org.mictlanx.peer.api;

import java.util.List;

/** Result of walking every chunk: how many were checked and which failed verification. */
public record ScrubReport(long checked, List<String> corruptIds) {
    public ScrubReport {
        corruptIds = List.copyOf(corruptIds);
    }
}
