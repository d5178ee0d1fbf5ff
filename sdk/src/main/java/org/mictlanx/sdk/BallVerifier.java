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
 * Not thread-safe: one reader feeds it.
 */
final class BallVerifier {

    /** A part of a multipart ball: its size and stored base64 checksum (null when the server stores none). */
    record Part(long size, @Nullable String checksum) {
    }

    private final String where;
    private final String algorithm;
    private final String expected;
    private final Hasher whole;
    private final Hasher part;
    /** COMPOSITE: checked part by part; FULL_OBJECT: {@link #parts} is empty and unused. */
    private final boolean composite;
    private final List<Part> parts;
    private int partIndex;
    private long partLeft;
    private long fed;

    /** {@code parts} null: a FULL_OBJECT checksum; {@code algorithm} one {@link Hasher#of} knows. */
    private BallVerifier(String where, String algorithm, String expected, @Nullable List<Part> parts) {
        this.where = where;
        this.algorithm = algorithm;
        this.expected = expected;
        this.whole = hasher(algorithm);
        this.part = hasher(algorithm);
        this.composite = parts != null;
        this.parts = parts == null ? List.of() : parts;
        partLeft = this.parts.isEmpty() ? 0 : this.parts.getFirst().size();
    }

    private static Hasher hasher(String algorithm) {
        Hasher h = Hasher.of(algorithm);
        if (h == null) {
            throw new IllegalArgumentException("no checksum algorithm " + algorithm);
        }
        return h;
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
            closeEmptyParts();
            if (partIndex >= parts.size()) {
                throw new IntegrityException(where + " has more bytes than its " + parts.size() + " parts hold");
            }
            int n = (int) Math.min(len, partLeft);
            part.update(b, off, n);
            off += n;
            len -= n;
            partLeft -= n;
            if (partLeft == 0) {
                closePart();
            }
        }
    }

    /** Checks the end of the ball: all parts seen and the ball's checksum equal to the stored one. */
    void finish() {
        String got;
        if (!composite) {
            got = b64(whole.digest());
        } else {
            closeEmptyParts();
            if (partIndex != parts.size()) {
                throw new IntegrityException(where + " ended after " + fed + " bytes, inside part " + (partIndex + 1)
                        + " of " + parts.size());
            }
            got = b64(whole.digest()) + "-" + parts.size();
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
        byte[] d = part.digest();
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
