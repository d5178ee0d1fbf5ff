package org.mictlanx.router;

import java.util.List;

/**
 * One page of open uploads ordered by key (UTF-8 byte order), then by initiation time (then upload
 * id); {@code truncated} when more follow (continue with the last key and upload id as markers).
 */
public record UploadPage(List<UploadInfo> uploads, boolean truncated) {
    public UploadPage {
        uploads = List.copyOf(uploads);
    }
}
