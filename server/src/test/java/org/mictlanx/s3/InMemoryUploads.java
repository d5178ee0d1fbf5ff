package org.mictlanx.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.mictlanx.router.BallPart;
import org.mictlanx.router.ChecksumType;
import org.mictlanx.router.CompletedPart;
import org.mictlanx.router.Digest;
import org.mictlanx.router.PartInfo;
import org.mictlanx.router.PartPage;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.UploadInfo;
import org.mictlanx.router.UploadPage;
import org.mictlanx.router.digest.ChecksumCombine;
import org.mictlanx.s3.handler.Checksums;

/**
 * The multipart half of {@link InMemoryBallStore}: open uploads and their parts in memory, with the
 * validation of {@code BallStore#completeUpload} (order, ETags, checksums, minimum part size) and the
 * S3 multipart ETag and checksum combination. Bucket existence is checked by the caller.
 */
final class InMemoryUploads {

    static final int MAX_PARTS = 10_000;

    private static final Comparator<String> UTF8 = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** One stored part: what listParts answers, and its bytes. */
    record Part(PartInfo info, byte[] body) {
    }

    /** An open upload: its description, the tags its ball gets, its parts by number. */
    private record Upload(UploadInfo info, Map<String, String> tags, ConcurrentSkipListMap<Integer, Part> parts) {
    }

    /** A completed upload's parts as the ball committed them, to answer a retried completion. */
    record Completion(String bucket, String key, long version, List<BallPart> parts) {
    }

    /** What a completion commits: the ball's parts, digests, ETag and bytes. */
    record Assembled(List<BallPart> parts, Map<Digest, byte[]> digests, String etag, ChecksumType type,
                     UploadInfo upload, Map<String, String> tags, byte[] body) {
    }

    private final Map<String, Upload> open = new ConcurrentHashMap<>();
    private final Map<String, Completion> completed = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final long minPartSize;

    InMemoryUploads(Clock clock, long minPartSize) {
        this.clock = clock;
        this.minPartSize = minPartSize;
    }

    String create(String bucket, String key, Map<String, String> headers, Map<String, String> userMetadata,
                  Map<String, String> tags, Set<Digest> algorithms, ChecksumType type) {
        requireKey(key);
        Set<Digest> algs = algorithms == null || algorithms.isEmpty() ? EnumSet.noneOf(Digest.class) : EnumSet.copyOf(algorithms);
        algs.remove(Digest.MD5);
        if (algs.size() > 1) throw bad("at most one checksum algorithm per upload");
        ChecksumType t = type != null ? type : algs.contains(Digest.CRC64NVME) ? ChecksumType.FULL_OBJECT : ChecksumType.COMPOSITE;
        for (Digest d : algs) {
            if (t == ChecksumType.FULL_OBJECT && !ChecksumCombine.combinable(d)) throw bad(d + " does not support FULL_OBJECT");
            if (t == ChecksumType.COMPOSITE && d == Digest.CRC64NVME) throw bad("CRC64NVME supports only FULL_OBJECT");
        }
        byte[] r = new byte[10];
        random.nextBytes(r);
        String id = String.format("%012x", clock.millis()) + HexFormat.of().formatHex(r);
        UploadInfo info = new UploadInfo(bucket, key, id, clock.instant(), headers, userMetadata, algs, t);
        open.put(id, new Upload(info, tags == null ? Map.of() : Map.copyOf(tags), new ConcurrentSkipListMap<>()));
        return id;
    }

    Optional<UploadInfo> find(String bucket, String key, String uploadId) {
        requireKey(key);
        Upload u = uploadId == null ? null : open.get(uploadId);
        return u != null && u.info().bucket().equals(bucket) && u.info().key().equals(key) ? Optional.of(u.info()) : Optional.empty();
    }

    private Upload require(String bucket, String key, String uploadId) {
        if (find(bucket, key, uploadId).isEmpty()) {
            throw new RouterException(RouterException.Kind.NO_SUCH_UPLOAD, "no upload " + uploadId + " for " + bucket + "/" + key);
        }
        return open.get(uploadId);
    }

    PartInfo putPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
                     Set<Digest> digests, PutBall.Verifier verifier) {
        requirePartNumber(partNumber);
        if (length < -1) throw bad("negative length");
        Upload up = require(bucket, key, uploadId);
        byte[] bytes = readAll(body);
        if (length >= 0 && bytes.length != length) {
            throw new RouterException(RouterException.Kind.INCOMPLETE_BODY, "body length " + bytes.length);
        }
        Set<Digest> wanted = EnumSet.noneOf(Digest.class);
        wanted.addAll(up.info().checksumAlgorithms());
        if (digests != null) wanted.addAll(digests);
        Map<Digest, byte[]> computed = Checksums.compute(bytes, wanted);
        if (verifier != null) verifier.verify(java.util.Collections.unmodifiableMap(computed));
        return record(up, partNumber, bytes, computed);
    }

    /** Part {@code partNumber} made of {@code bytes} (a range of a source ball), digests computed over them. */
    PartInfo copyPart(String bucket, String key, String uploadId, int partNumber, byte[] bytes) {
        requirePartNumber(partNumber);
        Upload up = require(bucket, key, uploadId);
        return record(up, partNumber, bytes, Checksums.compute(bytes, up.info().checksumAlgorithms()));
    }

    private PartInfo record(Upload up, int partNumber, byte[] bytes, Map<Digest, byte[]> digests) {
        PartInfo info = new PartInfo(partNumber, HexFormat.of().formatHex(digests.get(Digest.MD5)), bytes.length,
                clock.instant(), digests);
        up.parts().put(partNumber, new Part(info, bytes));
        return info;
    }

    PartPage listParts(String bucket, String key, String uploadId, int marker, int limit) {
        if (limit < 0 || marker < 0) throw bad("negative limit or marker");
        Upload up = require(bucket, key, uploadId);
        List<PartInfo> out = new ArrayList<>();
        for (Part p : up.parts().tailMap(marker, false).values()) {
            if (out.size() == limit) return new PartPage(out, true);
            out.add(p.info());
        }
        return new PartPage(out, false);
    }

    UploadPage list(String bucket, String prefix, String keyMarker, String uploadIdMarker, int limit) {
        if (limit < 0) throw bad("negative limit");
        List<UploadInfo> all = open.values().stream().map(Upload::info)
                .filter(u -> u.bucket().equals(bucket) && (prefix == null || u.key().startsWith(prefix)))
                .filter(u -> after(u, keyMarker, uploadIdMarker))
                .sorted(Comparator.comparing(UploadInfo::key, UTF8).thenComparing(UploadInfo::uploadId))
                .toList();
        return all.size() > limit ? new UploadPage(all.subList(0, limit), true) : new UploadPage(all, false);
    }

    private static boolean after(UploadInfo u, String keyMarker, String uploadIdMarker) {
        if (keyMarker == null || keyMarker.isEmpty()) return true;
        int c = UTF8.compare(u.key(), keyMarker);
        if (uploadIdMarker == null || uploadIdMarker.isEmpty()) return c > 0;
        return c > 0 || (c == 0 && u.uploadId().compareTo(uploadIdMarker) > 0);
    }

    void abort(String bucket, String key, String uploadId) {
        require(bucket, key, uploadId);
        open.remove(uploadId);
    }

    /** The retried completion's committed parts, when this upload was completed; else empty. */
    Optional<Completion> completion(String uploadId) {
        return Optional.ofNullable(uploadId == null ? null : completed.get(uploadId));
    }

    /** Whether a retried completion lists the parts the first one committed (numbers and, where given, ETags). */
    static boolean sameParts(List<BallPart> committed, List<CompletedPart> wanted) {
        if (wanted == null || committed.size() != wanted.size()) return false;
        for (int i = 0; i < wanted.size(); i++) {
            CompletedPart w = wanted.get(i);
            BallPart p = committed.get(i);
            if (w.partNumber() != p.partNumber() || (w.etag() != null && !w.etag().equals(p.etag()))) return false;
        }
        return true;
    }

    /** Validates the completion of an open upload and assembles its ball; nothing changes. */
    Assembled assemble(String bucket, String key, String uploadId, List<CompletedPart> wanted) {
        Upload up = require(bucket, key, uploadId);
        if (wanted == null || wanted.isEmpty()) throw bad("a completed upload needs at least one part");
        for (int i = 1; i < wanted.size(); i++) {
            if (wanted.get(i).partNumber() <= wanted.get(i - 1).partNumber()) {
                throw new RouterException(RouterException.Kind.INVALID_PART_ORDER, "parts must be in ascending order");
            }
        }
        for (CompletedPart w : wanted) {
            Part p = up.parts().get(w.partNumber());
            if (p == null || (w.etag() != null && !w.etag().equals(p.info().etag())) || !checksumsMatch(w, p.info())) {
                throw new RouterException(RouterException.Kind.INVALID_PART, "part " + w.partNumber() + " not found or not matching",
                        Integer.toString(w.partNumber()), null);
            }
        }
        List<BallPart> parts = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < wanted.size(); i++) {
            PartInfo p = up.parts().get(wanted.get(i).partNumber()).info();
            if (i < wanted.size() - 1 && p.size() < minPartSize) {
                throw new RouterException(RouterException.Kind.ENTITY_TOO_SMALL, "part " + p.partNumber() + " is smaller than the minimum",
                        Integer.toString(p.partNumber()), null);
            }
            parts.add(new BallPart(p.partNumber(), body.size(), p.size(), p.etag(), p.digests()));
            body.writeBytes(up.parts().get(p.partNumber()).body());
        }
        List<Map<Digest, byte[]>> partDigests = parts.stream().map(BallPart::digests).toList();
        Map<Digest, byte[]> digests = new EnumMap<>(Digest.class);
        ChecksumType type = up.info().checksumType();
        for (Digest d : up.info().checksumAlgorithms()) {
            List<byte[]> values = ChecksumCombine.values(partDigests, d);
            digests.put(d, type == ChecksumType.FULL_OBJECT
                    ? ChecksumCombine.combineCrc(d, values, parts.stream().map(BallPart::size).toList())
                    : ChecksumCombine.composite(d, values));
        }
        String etag = ChecksumCombine.multipartEtag(ChecksumCombine.values(partDigests, Digest.MD5));
        return new Assembled(parts, digests, etag, type, up.info(), up.tags(), body.toByteArray());
    }

    /** Closes the upload after its ball committed with {@code version}. */
    void completed(String uploadId, String bucket, String key, long version, List<BallPart> parts) {
        open.remove(uploadId);
        completed.put(uploadId, new Completion(bucket, key, version, parts));
    }

    private static boolean checksumsMatch(CompletedPart w, PartInfo p) {
        for (Map.Entry<Digest, byte[]> e : w.checksums().entrySet()) {
            byte[] have = p.digests().get(e.getKey());
            if (have == null || !Arrays.equals(have, e.getValue())) return false;
        }
        return true;
    }

    static byte[] readAll(InputStream body) {
        try {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requirePartNumber(int n) {
        if (n < 1 || n > MAX_PARTS) throw bad("part number must be 1.." + MAX_PARTS);
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) throw bad("empty key");
    }

    private static RouterException bad(String m) {
        return new RouterException(RouterException.Kind.BAD_REQUEST, m);
    }
}
