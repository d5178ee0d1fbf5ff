package org.mictlanx.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;

/**
 * The client's read path: HEAD of a ball (or of one of its versions) with its stored checksum, and
 * streams over its bytes read in parallel chunks, decrypted when the ball is client-side encrypted
 * (by the {@link Keyring} key its metadata names) and, for whole balls, checked against the stored
 * checksum at the end; and a ball's tags. Thread-safe; owned by {@link MictlanX}.
 */
final class BallReader {

    private final Transport transport;
    private final ExecutorService io;
    private final ChunkCache cache;
    private final Keyring keyring;
    private final int parallelism;
    private final int maxResumes;

    /** {@code maxResumes}: how often a streamed read may resume a body that broke off, per chunk. */
    BallReader(Transport transport, ExecutorService io, ChunkCache cache, Keyring keyring, int parallelism, int maxResumes) {
        this.transport = transport;
        this.io = io;
        this.cache = cache;
        this.keyring = keyring;
        this.parallelism = parallelism;
        this.maxResumes = maxResumes;
    }

    /** HEAD of the latest ball, with its stored checksum; {@link MictlanXException#isNotFound()} when absent. */
    BallInfo head(String bucket, String key) {
        Transport.Response r = transport.send(new Transport.Request("HEAD", bucket, key, null,
                Map.of("x-amz-checksum-mode", "ENABLED"), null)).expectOk("HEAD " + bucket + "/" + key);
        return BallInfo.from(bucket, key, r);
    }

    /** HEAD of version {@code versionId}; the info names that version, so reads through it fetch it. */
    BallInfo head(String bucket, String key, String versionId) {
        Transport.Response r = transport.send(new Transport.Request("HEAD", bucket, key, Map.of("versionId", versionId),
                Map.of("x-amz-checksum-mode", "ENABLED"), null)).expectOk("HEAD " + bucket + "/" + key + "?versionId=" + versionId);
        BallInfo info = BallInfo.from(bucket, key, r);
        return info.versionId() != null ? info : new BallInfo(info.bucket(), info.key(), info.size(), info.etag(),
                info.contentType(), info.lastModified(), info.metadata(), info.checksumAlgorithm(), info.checksum(),
                info.checksumType(), versionId);
    }

    /** The plaintext size of the ball {@code info} describes (its stored size minus the GCM tags if encrypted). */
    long plainSize(BallInfo info) {
        return plainSize(info, keyring.forRead(info));
    }

    private static long plainSize(BallInfo info, @Nullable BallCipher c) {
        return c == null ? info.size() : c.layout().plainSize(info.size(), info.bucket() + "/" + info.key());
    }

    /** The whole ball {@code info} describes, verified against its stored checksum at the end. */
    InputStream open(BallInfo info, ProgressListener progress) {
        BallCipher c = keyring.forRead(info);
        long size = plainSize(info, c);
        return stream(info, c, 0, size, size, progress, BallVerifier.forBall(transport, info));
    }

    /**
     * Bytes per ranged GET of a streamed read of {@code length} bytes: the read split into about
     * {@code parallelism} GETs, each a whole number of parts of {@code partSize} and at least
     * {@link #STREAMED_RANGE}. A streamed read holds no buffer per GET, so larger GETs cost no memory,
     * and every GET costs the server (and the client) a fixed amount on top of its bytes (its own
     * authentication, metadata read, chunk census and first-chunk wait, a response start and a
     * connection hand-over): measured in session 7 (docs/performance.md, "Native SDK"), eight 32 MiB
     * GETs of a 256 MiB ball cost about 10% more process CPU than one GET of the whole ball.
     */
    static long streamedRange(int partSize, long length, int parallelism) {
        long share = (length + parallelism - 1) / Math.max(1, parallelism);
        long parts = Math.max((share + partSize - 1) / partSize, (STREAMED_RANGE + partSize - 1) / partSize);
        return parts * partSize;
    }

    /** The smallest ranged GET of a streamed read: 32 MiB (see docs/performance.md, "Native SDK"). */
    static final int STREAMED_RANGE = 32 << 20;

    /**
     * GETs a streamed read keeps open: the one being read and the next, sent as the reader starts on
     * the current one, so the server authenticates, looks up and prefetches the next range while this
     * one streams. More would only park their answers in socket buffers (the reader consumes them in
     * order), where they go cold and cost more to copy (docs/performance.md, "Native SDK").
     */
    static int streamedInFlight(int parallelism) {
        return Math.min(parallelism, STREAMED_IN_FLIGHT);
    }

    /** See {@link #streamedInFlight}. */
    static final int STREAMED_IN_FLIGHT = 2;

    /**
     * A plaintext ball without the chunk cache streams from the sockets into the caller's buffers
     * ({@link StreamingBallInputStream}); an encrypted one (frames are opened whole) or one read through
     * the cache goes through chunk buffers ({@link BallInputStream}).
     */
    private InputStream stream(BallInfo info, @Nullable BallCipher c, long from, long to, long size, ProgressListener progress,
                               @Nullable BallVerifier verifier) {
        if (c == null && cache.disabled()) {
            return new StreamingBallInputStream(transport, io, info, streamedRange(keyring.chunkSize(null), to - from,
                    parallelism), streamedInFlight(parallelism), maxResumes, from, to, progress, verifier);
        }
        return new BallInputStream(transport, io, cache, info, keyring.chunkSize(c), parallelism, from, to, size,
                progress, c, verifier);
    }

    /** Bytes {@code [offset, offset + length)} (clamped to the size) of the ball; a range is not checksummed. */
    InputStream open(BallInfo info, long offset, long length) {
        BallCipher c = keyring.forRead(info);
        long size = plainSize(info, c);
        if (offset < 0 || length < 0 || offset > size) {
            throw new MictlanXException("range " + offset + "+" + length + " is outside the ball of " + size
                    + " bytes", 416, "InvalidRange", null);
        }
        return stream(info, c, offset, offset + Math.min(size - offset, length), size, ProgressListener.NONE, null);
    }

    /** The ball's tags (GetObjectTagging) in the order the server stores them; empty when it has none. */
    Map<String, String> tags(String bucket, String key) {
        Transport.Response r = transport.send(new Transport.Request("GET", bucket, key, Map.of("tagging", ""), null, null))
                .expectOk("GetObjectTagging " + bucket + "/" + key);
        Map<String, String> out = new LinkedHashMap<>();
        for (Element set : Xml.children(Xml.parse(r.body()), "TagSet")) {
            for (Element tag : Xml.children(set, "Tag")) {
                String v = Xml.text(tag, "Value");
                out.put(Xml.text(tag, "Key"), v == null ? "" : v);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Writes the whole ball {@code info} describes to {@code file} via a temporary sibling moved into
     * place only when complete and verified; returns the bytes written.
     */
    long toFile(BallInfo info, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".part");
        try {
            long n;
            try (InputStream in = open(info, ProgressListener.NONE); OutputStream out = Files.newOutputStream(tmp)) {
                n = in.transferTo(out);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return n;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
