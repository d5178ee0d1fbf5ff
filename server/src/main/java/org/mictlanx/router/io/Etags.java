package org.mictlanx.router.io;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.mictlanx.router.BallPart;
import org.mictlanx.router.Digest;
import org.mictlanx.router.crypto.SegmentKeys;
import org.mictlanx.router.digest.ChecksumCombine;
import org.mictlanx.router.meta.Slice;

/**
 * ETags as S3 gives them. A ball (or part) whose data keys the master key wraps (SSE-S3) has the MD5
 * of its data, or for a ball completed from parts the MD5 of its parts' MD5s followed by {@code -N}.
 * A ball or part whose data keys a customer's key or a KMS key wraps (SSE-C, SSE-KMS) has, as in S3,
 * an ETag that is not an MD5 of its data: 128 random bits, still followed by {@code -N} for a
 * multipart ball, so the metadata does not fingerprint what the store cannot read. This holds for
 * every write: PutObject, UploadPart, UploadPartCopy, CompleteMultipartUpload and CopyObject (a copy
 * takes the ETag its destination's encryption calls for, not the source's).
 */
final class Etags {

    private final SecureRandom random = new SecureRandom();

    /** 32 hex digits of randomness, with {@code -parts} when {@code parts > 0}. */
    String opaque(int parts) {
        byte[] r = new byte[16];
        random.nextBytes(r);
        String hex = HexFormat.of().formatHex(r);
        return parts > 0 ? hex + "-" + parts : hex;
    }

    /** Whether a customer's or a KMS key wraps the data key of any of these slices. */
    static boolean keyed(List<Slice> slices) {
        return slices.stream().anyMatch(s -> SegmentKeys.isCustomer(s.segment().keyId()));
    }

    /** A single part's or single put's ETag: opaque when {@code keyed}, else the hex MD5 of the data. */
    String single(boolean keyed, Map<Digest, byte[]> digests) {
        if (keyed) return opaque(0);
        byte[] md5 = digests.get(Digest.MD5);
        return md5 == null ? "" : HexFormat.of().formatHex(md5);
    }

    /**
     * The ETag of a ball made of {@code slices} with {@code digests} and {@code parts} (empty: not
     * multipart); {@code fallback} when an MD5 it needs was not recorded.
     */
    String of(List<Slice> slices, Map<Digest, byte[]> digests, List<BallPart> parts, String fallback) {
        if (keyed(slices)) return opaque(parts.size());
        if (parts.isEmpty()) {
            byte[] md5 = digests.get(Digest.MD5);
            return md5 == null ? fallback : HexFormat.of().formatHex(md5);
        }
        List<byte[]> md5s = ChecksumCombine.values(parts.stream().map(BallPart::digests).toList(), Digest.MD5);
        return md5s.stream().anyMatch(m -> m == null) ? fallback : ChecksumCombine.multipartEtag(md5s);
    }
}
