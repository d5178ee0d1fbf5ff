package org.mictlanx.peer.http;

import org.mictlanx.peer.api.PeerException;

/** Parses a single HTTP byte range ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) against a size. */
final class ByteRange {
    private ByteRange() {
    }

    /** Returns {first, last} (inclusive, clipped to the size); BAD_REQUEST when malformed or unsatisfiable. */
    static long[] parse(String header, long size) {
        if (!header.startsWith("bytes=") || header.indexOf(',') >= 0) throw bad(header);
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) throw bad(header);
        try {
            String a = spec.substring(0, dash), b = spec.substring(dash + 1);
            long first, last;
            if (a.isEmpty()) {
                long n = Long.parseLong(b);
                if (n <= 0) throw bad(header);
                first = Math.max(0, size - n);
                last = size - 1;
            } else {
                first = Long.parseLong(a);
                last = b.isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(b));
                if (first < 0 || (!b.isEmpty() && Long.parseLong(b) < first)) throw bad(header);
            }
            if (first >= size) throw new PeerException(PeerException.Kind.BAD_REQUEST, "range " + header + " outside chunk of " + size);
            return new long[]{first, last};
        } catch (NumberFormatException e) {
            throw bad(header);
        }
    }

    private static PeerException bad(String header) {
        return new PeerException(PeerException.Kind.BAD_REQUEST, "malformed Range " + header);
    }
}
