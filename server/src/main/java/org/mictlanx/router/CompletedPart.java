package org.mictlanx.router;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a complete-multipart request: the part number and what the client believes the
 * part is. The router checks it against the stored part atomically with the commit.
 *
 * @param etag      expected hex MD5 of the part (quotes stripped); null: not checked
 * @param checksums expected raw checksums of the part; each one given must match (empty: none checked)
 */
public record CompletedPart(int partNumber, @Nullable String etag, Map<Digest, byte[]> checksums) {
    public CompletedPart {
        if (etag != null) {
            etag = etag.strip();
            if (etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) etag = etag.substring(1, etag.length() - 1);
        }
        checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
    }

    public static CompletedPart of(int partNumber) {
        return new CompletedPart(partNumber, null, Map.of());
    }
}
