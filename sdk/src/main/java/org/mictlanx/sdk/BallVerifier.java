package org.mictlanx.sdk;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;

/**
 * Checks the stored bytes of a whole ball, fed in order, against the checksum the server stores.
 * <ul>
 *   <li>FULL_OBJECT (CRC32, CRC32C, CRC64NVME): one checksum over all bytes, compared at the end.</li>
 *   <li>COMPOSITE (any algorithm, the {@code base64-N} form): the checksum of the concatenated raw
 *       checksums of the N parts. Each part is checked against its own stored checksum as soon as its
 *       last byte is fed (so a bad part fails before the bytes after it are served), and the combined
 *       value against the ball's at the end.</li>
 * </ul>
 * Any mismatch, or a part list that does not add up to the ball, is an {@link IntegrityException}.
 * Bytes are fed in order either as bytes ({@link #update}) or, for the CRC algorithms, as the CRCs of
 * consecutive ranges ({@link #accept} of what {@link #sums} computed, on any thread, in parallel): a
 * CRC's running value is combined ({@link CrcCombine}), so both give the same result.
 * Not thread-safe, except {@link #sums}: one reader feeds it.
 */
final class BallVerifier {

    /** A part of a multipart ball: its size and stored base64 checksum. */
    record Part(long size, @Nullable String checksum) {
    }

    /**
     * The CRCs of consecutive stored bytes from offset {@code at}: {@code values[i]} over the next
     * {@code lengths[i]} bytes, cut at part boundaries so each range lies in one part.
     */
    record Sums(long at, long[] lengths, long[] values) {
    }

    private final String where;
    private final String algorithm;
    private final String expected;
    /** Non-null for the CRC algorithms: then running checksums are combinable ({@link #sums}, {@link #accept}). */
    private final @Nullable CrcCombine crc;
    private final Sum whole;
    private final Sum part;
    /** COMPOSITE: checked part by part; FULL_OBJECT: {@link #parts} is empty and unused. */
    private final boolean composite;
    private final List<Part> parts;
    /** Where each part ends in the ball (cumulative sizes), for {@link #sums}. */
    private final long[] partEnds;
    private int partIndex;
    private long partLeft;
    private long fed;

    /** A running checksum: a hasher's, or a CRC's (which can also take the CRC of a range computed elsewhere). */
    private interface Sum {
        void update(byte[] b, int off, int len);

        /** Appends {@code length} bytes whose CRC is {@code value}; CRC algorithms only. */
        void append(long value, long length);

        /** The value so far, then reset. */
        byte[] take();
    }

    private static Sum sum(String algorithm, @Nullable CrcCombine crc) {
        if (crc != null) {
            CrcCombine.Running r = crc.running();
            return new Sum() {
                @Override
                public void update(byte[] b, int off, int len) {
                    r.update(b, off, len);
                }

                @Override
                public void append(long value, long length) {
                    r.append(value, length);
                }

                @Override
                public byte[] take() {
                    return crc.bytes(r.take());
                }
            };
        }
        Hasher h = Hasher.of(algorithm);
        if (h == null) {
            throw new IllegalArgumentException("no checksum algorithm " + algorithm);
        }
        return new Sum() {
            @Override
            public void update(byte[] b, int off, int len) {
                h.update(b, off, len);
            }

            @Override
            public void append(long value, long length) {
                throw new IllegalStateException(algorithm + " is not a CRC: feed the bytes");
            }

            @Override
            public byte[] take() {
                return h.digest();
            }
        };
    }

    private BallVerifier(String where, String algorithm, String expected, @Nullable List<Part> parts) {
        this.where = where;
        this.algorithm = algorithm;
        this.expected = expected;
        this.crc = CrcCombine.of(algorithm);
        this.whole = sum(algorithm, crc);
        this.part = sum(algorithm, crc);
        this.composite = parts != null;
        this.parts = parts == null ? List.of() : parts;
        this.partEnds = new long[this.parts.size()];
        partLeft = this.parts.isEmpty() ? 0 : this.parts.getFirst().size();
        long end = 0;
        for (int i = 0; i < partEnds.length; i++) {
            end += this.parts.get(i).size();
            partEnds[i] = end;
        }
    }

    /** A verifier of a FULL_OBJECT checksum {@code expected} (base64) of {@code algorithm}. */
    static BallVerifier fullObject(String where, String algorithm, String expected) {
        return new BallVerifier(where, algorithm, expected, null);
    }

    /** A verifier of a COMPOSITE checksum {@code expected} ({@code base64-N}) over {@code parts}. */
    static BallVerifier composite(String where, String algorithm, String expected, List<Part> parts) {
        return new BallVerifier(where, algorithm, expected, List.copyOf(parts));
    }

    /**
     * The verifier for a whole-ball read of {@code info}, or null when the ball has no checksum this
     * client can check. For a COMPOSITE checksum the part list is read with GetObjectAttributes
     * (ObjectParts, paged), pinned to the ball's ETag.
     */
    static @Nullable BallVerifier forBall(Transport transport, BallInfo info) {
        String where = info.bucket() + "/" + info.key();
        String algorithm = info.checksumAlgorithm();
        String checksum = info.checksum();
        if (checksum == null || algorithm == null || Hasher.of(algorithm) == null) {
            return null;
        }
        if (!"COMPOSITE".equals(info.checksumType())) {
            return fullObject(where, algorithm, checksum);
        }
        return composite(where, algorithm, checksum, parts(transport, info, algorithm));
    }

    private static List<Part> parts(Transport transport, BallInfo info, String algorithm) {
        String element = "Checksum" + algorithm.toUpperCase(Locale.ROOT);
        String versionId = info.versionId();
        List<Part> out = new ArrayList<>();
        String marker = "0";
        while (true) {
            Map<String, String> q = new java.util.LinkedHashMap<>();
            q.put("attributes", "");
            if (versionId != null) q.put("versionId", versionId);
            Transport.Response r = transport.send(new Transport.Request("GET", info.bucket(), info.key(),
                    q, Map.of("x-amz-object-attributes", "ObjectParts", "x-amz-max-parts", "1000",
                    "x-amz-part-number-marker", marker, "if-match", "\"" + info.etag() + "\""), null));
            if (r.status() == 412) {
                throw new IntegrityException("ball " + info.bucket() + "/" + info.key() + " changed while being read (ETag "
                        + info.etag() + " no longer current)");
            }
            r.expectOk("GetObjectAttributes " + info.bucket() + "/" + info.key());
            Element root = Xml.parse(r.body());
            List<Element> pages = Xml.children(root, "ObjectParts");
            if (pages.isEmpty()) {
                return out;
            }
            Element page = pages.getFirst();
            for (Element p : Xml.children(page, "Part")) {
                out.add(new Part(Long.parseLong(Xml.requiredText(p, "Size").trim()), Xml.text(p, element)));
            }
            String next = Xml.text(page, "NextPartNumberMarker");
            if (!"true".equals(Xml.text(page, "IsTruncated")) || next == null) {
                return out;
            }
            marker = next.trim();
        }
    }

    /** Feeds the next {@code len} stored bytes of the ball. */
    void update(byte[] b, int off, int len) {
        fed += len;
        if (!composite) {
            whole.update(b, off, len);
            return;
        }
        while (len > 0) {
            enterPart();
            int n = (int) Math.min(len, partLeft);
            part.update(b, off, n);
            off += n;
            len -= n;
            leavePart(n);
        }
    }

    /** Whether the algorithm is a CRC, so bytes can be fed as {@link #sums} (computed anywhere) instead. */
    boolean combinable() {
        return crc != null;
    }

    /**
     * The CRCs of {@code b[off, off + len)}, the stored bytes at ball offset {@code at}, cut at part
     * boundaries; for {@link #accept}. Reads only immutable state: safe on any thread, in parallel.
     */
    Sums sums(byte[] b, int off, int len, long at) {
        CrcCombine crc = this.crc;
        if (crc == null) {
            throw new IllegalStateException(algorithm + " is not a CRC: feed the bytes");
        }
        List<long[]> cuts = new ArrayList<>(2);
        int i = 0;
        while (i < partEnds.length && partEnds[i] <= at) {
            i++;
        }
        long pos = at;
        long end = at + len;
        while (pos < end) {
            long stop = i < partEnds.length ? Math.min(end, partEnds[i]) : end;
            if (stop > pos) {
                int from = off + (int) (pos - at);
                cuts.add(new long[] {stop - pos, crc.crc(b, from, (int) (stop - pos))});
                pos = stop;
            }
            i++;
        }
        long[] lengths = new long[cuts.size()];
        long[] values = new long[cuts.size()];
        for (int k = 0; k < lengths.length; k++) {
            lengths[k] = cuts.get(k)[0];
            values[k] = cuts.get(k)[1];
        }
        return new Sums(at, lengths, values);
    }

    /** Feeds the next stored bytes as their {@link #sums}, which must start where the bytes fed so far end. */
    void accept(Sums s) {
        if (crc == null || s.at() != fed) {
            throw new IllegalStateException("sums at " + s.at() + " fed after " + fed + " bytes of " + where);
        }
        for (int k = 0; k < s.lengths().length; k++) {
            long n = s.lengths()[k];
            fed += n;
            if (!composite) {
                whole.append(s.values()[k], n);
                continue;
            }
            enterPart();
            if (n > partLeft) {
                throw new IllegalStateException("a sum of " + where + " crosses the end of part " + (partIndex + 1));
            }
            part.append(s.values()[k], n);
            leavePart(n);
        }
    }

    /** Closes the empty parts ahead; fails when the ball goes on past its last part. */
    private void enterPart() {
        closeEmptyParts();
        if (partIndex >= parts.size()) {
            throw new IntegrityException(where + " has more bytes than its " + parts.size() + " parts hold");
        }
    }

    private void leavePart(long n) {
        partLeft -= n;
        if (partLeft == 0) {
            closePart();
        }
    }

    /** Checks the end of the ball: all parts seen and the ball's checksum equal to the stored one. */
    void finish() {
        String got;
        if (!composite) {
            got = b64(whole.take());
        } else {
            closeEmptyParts();
            if (partIndex != parts.size()) {
                throw new IntegrityException(where + " ended after " + fed + " bytes, inside part " + (partIndex + 1)
                        + " of " + parts.size());
            }
            got = b64(whole.take()) + "-" + parts.size();
        }
        if (!got.equals(expected)) {
            throw new IntegrityException(algorithm + " of " + where + " is " + got + " but the stored checksum is "
                    + expected);
        }
    }

    private void closeEmptyParts() {
        while (partLeft == 0 && partIndex < parts.size() && parts.get(partIndex).size() == 0) {
            closePart();
        }
    }

    private void closePart() {
        byte[] d = part.take();
        Part p = parts.get(partIndex);
        if (p.checksum() == null) {
            throw new IntegrityException("part " + (partIndex + 1) + " of " + where + " has no stored " + algorithm
                    + " checksum, so its COMPOSITE checksum cannot be verified");
        }
        if (!b64(d).equals(p.checksum())) {
            throw new IntegrityException(algorithm + " of part " + (partIndex + 1) + " of " + where + " is " + b64(d)
                    + " but its stored checksum is " + p.checksum());
        }
        whole.update(d, 0, d.length);
        partIndex++;
        partLeft = partIndex < parts.size() ? parts.get(partIndex).size() : 0;
    }

    private static String b64(byte[] d) {
        return Base64.getEncoder().encodeToString(d);
    }
}
