package org.mictlanx.router.meta;

/** Bytes {@code [offset, offset + length)} of a segment, as one piece of a ball or part. */
public record Slice(Segment segment, long offset, long length) {
    public Slice {
        if (offset < 0 || length < 0 || offset + length > segment.size()) {
            throw new IllegalArgumentException("slice outside its segment");
        }
    }

    public static Slice whole(Segment s) {
        return new Slice(s, 0, s.size());
    }
}
