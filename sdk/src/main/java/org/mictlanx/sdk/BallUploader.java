package org.mictlanx.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Puts one ball from a stream. A ball that fits in one part is a single PUT; a larger one (or one of
 * unknown length that turns out larger) is an S3 multipart upload with a full-object CRC32C, its
 * parts uploaded in parallel with at most {@code parallelism} part buffers alive at once (reading
 * waits for a free buffer: back-pressure). Any failure aborts the upload before the exception
 * propagates, so no half-written ball is ever visible. A CreateMultipartUpload that was retried after an
 * attempt of unknown outcome may have left another upload behind; {@link OrphanUploads} finds and aborts
 * it when the put is over.
 */
final class BallUploader {

    private final Transport transport;
    private final ExecutorService io;
    private final int partSize;
    private final int parallelism;
    private final OrphanUploads orphans;

    BallUploader(Transport transport, ExecutorService io, int partSize, int parallelism) {
        this.transport = transport;
        this.orphans = new OrphanUploads(transport);
        this.io = io;
        this.partSize = partSize;
        this.parallelism = parallelism;
    }

    private record Part(int number, String etag, String crc32c) {
    }

    /** Metadata names (after {@code x-amz-meta-}) of client-side encrypted balls. */
    static final String META_ENC = "mictlanx-enc";
    static final String META_KEY_ID = "mictlanx-key-id";
    static final String META_CHUNK = "mictlanx-chunk";
    static final String META_IV = "mictlanx-iv";

    /**
     * Stores everything {@code in} yields; with a {@code key}, each part is one chunk sealed in 64 KiB
     * AES-GCM frames under a fresh ball IV ({@link BallCipher}; the stored ball is ciphertext, and its
     * checksum is the ciphertext's).
     */
    PutResult put(String bucket, String key, InputStream in, long total, PutOptions opts, @Nullable ClientKey keyCipher)
            throws IOException {
        BallCipher cipher = keyCipher == null ? null : keyCipher.newBall(partSize);
        CRC32C whole = new CRC32C();
        AtomicLong done = new AtomicLong();
        byte[] first = readPart(in);
        byte[] second = first.length == partSize ? readPart(in) : new byte[0];
        Map<String, String> h = headers(opts);
        if (cipher != null) {
            h.put("x-amz-meta-" + META_ENC, BallCipher.ALGORITHM);
            h.put("x-amz-meta-" + META_KEY_ID, cipher.keyId());
            h.put("x-amz-meta-" + META_CHUNK, Integer.toString(partSize));
            h.put("x-amz-meta-" + META_IV, cipher.ivHex());
        }
        if (second.length == 0) {
            byte[] body = cipher == null ? first : cipher.seal(first, first.length, 0, true);
            whole.update(body);
            String crc = crc(whole);
            h.put("x-amz-checksum-crc32c", crc);
            Transport.Response r = transport.send(new Transport.Request("PUT", bucket, key, null, h, body))
                    .expectOk("PUT " + bucket + "/" + key);
            opts.progress().progress(first.length, total < 0 ? first.length : total);
            return new PutResult(bucket, key, BallInfo.unquote(r.requiredHeader("etag", "PUT " + bucket + "/" + key)),
                    first.length, 0, crc,
                    r.header("x-amz-version-id"));
        }
        h.put("x-amz-checksum-algorithm", "CRC32C");
        h.put("x-amz-checksum-type", "FULL_OBJECT");
        Transport.Response created = transport.send(new Transport.Request("POST", bucket, key,
                Map.of("uploads", ""), h, null)).expectOk("CreateMultipartUpload " + bucket + "/" + key);
        String uploadId = Xml.text(Xml.parse(created.body()), "UploadId");
        if (uploadId == null) {
            throw new MictlanXException("CreateMultipartUpload answered without an UploadId", null);
        }
        orphans.use(uploadId);
        List<String> suspects = List.of();
        try {
            if (created.uncertain()) {
                suspects = orphans.suspects(bucket, key, uploadId, System.nanoTime() - created.firstSentNanos());
            }
            return multipart(bucket, key, in, total, opts, cipher, uploadId, first, second, whole, done);
        } finally {
            orphans.release(uploadId);
            if (!suspects.isEmpty()) {
                orphans.abortUnused(bucket, key, suspects);
            }
        }
    }

    private PutResult multipart(String bucket, String key, InputStream in, long total, PutOptions opts,
                                @Nullable BallCipher cipher, String uploadId, byte[] first, byte[] second, CRC32C whole,
                                AtomicLong done) throws IOException {
        Semaphore buffers = new Semaphore(parallelism);
        List<CompletableFuture<Part>> parts = new ArrayList<>();
        long storedBytes = 0;
        try {
            byte[] data = first;
            byte[] next = second;
            int number = 1;
            while (data.length > 0) {
                buffers.acquire();
                int n = number++;
                boolean last = next.length == 0;
                byte[] body = cipher == null ? data : cipher.seal(data, data.length, n - 1, last);
                whole.update(body);
                storedBytes += body.length;
                int plainLength = data.length;
                CompletableFuture<Part> f = CompletableFuture.supplyAsync(() -> {
                    try {
                        Part p = uploadPart(bucket, key, uploadId, n, body);
                        opts.progress().progress(done.addAndGet(plainLength), total);
                        return p;
                    } finally {
                        buffers.release();
                    }
                }, io);
                parts.add(f);
                checkFailed(parts);
                if (last) {
                    break;
                }
                data = next;
                next = data.length == partSize ? readPart(in) : new byte[0];
            }
            CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
            String crc = crc(whole);
            StringBuilder xml = new StringBuilder("<CompleteMultipartUpload>");
            long size = 0;
            for (CompletableFuture<Part> f : parts) {
                Part p = f.join();
                xml.append("<Part><PartNumber>").append(p.number()).append("</PartNumber><ETag>\"")
                        .append(p.etag()).append("\"</ETag><ChecksumCRC32C>").append(p.crc32c())
                        .append("</ChecksumCRC32C></Part>");
            }
            xml.append("</CompleteMultipartUpload>");
            size = done.get();
            Transport.Response r = transport.send(new Transport.Request("POST", bucket, key,
                    Map.of("uploadId", uploadId), Map.of("content-type", "application/xml"),
                    xml.toString().getBytes(StandardCharsets.UTF_8)));
            if (r.status() == 404 && "NoSuchUpload".equals(Xml.errorCode(r.body()))) {
                // A retried Complete whose first attempt committed but lost its answer (e.g. the router
                // died): the ball is stored iff it now carries exactly the checksum of these bytes.
                PutResult committed = alreadyCommitted(bucket, key, crc, storedBytes, size, parts.size());
                if (committed != null) {
                    return committed;
                }
            }
            r.expectOk("CompleteMultipartUpload " + key);
            String errorCode = Xml.errorCode(r.body());
            if (errorCode != null) {
                throw new MictlanXException("CompleteMultipartUpload failed: " + errorCode, r.status(), errorCode, null);
            }
            var result = Xml.parse(r.body());
            String stored = Xml.text(result, "ChecksumCRC32C");
            if (stored != null && !stored.equals(crc)) {
                throw new IntegrityException("the server combined CRC32C " + stored + " for " + bucket + "/" + key
                        + " but the source bytes have " + crc);
            }
            String etag = Xml.requiredText(result, "ETag");
            return new PutResult(bucket, key, BallInfo.unquote(etag), size, parts.size(), crc, r.header("x-amz-version-id"));
        } catch (RuntimeException | IOException | InterruptedException | Error e) {
            parts.forEach(f -> f.cancel(false));
            for (CompletableFuture<Part> f : parts) {
                try {
                    f.join();
                } catch (RuntimeException ignored) {
                    // the first failure is the one reported
                }
            }
            abort(bucket, key, uploadId, e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new MictlanXException("put interrupted", e);
            }
            if (e instanceof java.util.concurrent.CompletionException ce && ce.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof IOException ioe) {
                throw ioe;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) e;
        }
    }

    /** The put's result when a HEAD shows the ball committed with exactly these bytes; else null. */
    private @Nullable PutResult alreadyCommitted(String bucket, String key, String crc, long storedBytes, long size,
                                       int partCount) {
        Transport.Response h = transport.send(new Transport.Request("HEAD", bucket, key, null,
                Map.of("x-amz-checksum-mode", "ENABLED"), null));
        if (h.ok() && crc.equals(h.header("x-amz-checksum-crc32c"))
                && String.valueOf(storedBytes).equals(h.header("content-length"))) {
            return new PutResult(bucket, key, BallInfo.unquote(h.requiredHeader("etag", "HEAD " + bucket + "/" + key)), size,
                    partCount, crc,
                    h.header("x-amz-version-id"));
        }
        return null;
    }

    private static void checkFailed(List<CompletableFuture<Part>> parts) {
        for (CompletableFuture<Part> f : parts) {
            if (f.isCompletedExceptionally()) {
                f.join();
            }
        }
    }

    private void abort(String bucket, String key, String uploadId, Throwable cause) {
        try {
            transport.send(new Transport.Request("DELETE", bucket, key, Map.of("uploadId", uploadId), null, null));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private Part uploadPart(String bucket, String key, String uploadId, int number, byte[] body) {
        CRC32C c = new CRC32C();
        c.update(body);
        String crc = crc(c);
        Transport.Response r = transport.send(new Transport.Request("PUT", bucket, key,
                Map.of("partNumber", Integer.toString(number), "uploadId", uploadId),
                Map.of("x-amz-checksum-crc32c", crc), body)).expectOk("UploadPart " + number + " of " + key);
        return new Part(number, BallInfo.unquote(r.requiredHeader("etag", "UploadPart " + number + " of " + key)), crc);
    }

    /** Reads up to one part; a shorter array means the stream ended. */
    private byte[] readPart(InputStream in) throws IOException {
        byte[] buf = new byte[partSize];
        int n = in.readNBytes(buf, 0, partSize);
        return n == partSize ? buf : java.util.Arrays.copyOf(buf, n);
    }

    static Map<String, String> headers(PutOptions opts) {
        Map<String, String> h = new LinkedHashMap<>();
        String contentType = opts.contentType();
        if (contentType != null) {
            h.put("content-type", contentType);
        }
        opts.metadata().forEach((k, v) -> h.put("x-amz-meta-" + k.toLowerCase(java.util.Locale.ROOT), v));
        if (!opts.tags().isEmpty()) {
            StringBuilder t = new StringBuilder();
            opts.tags().forEach((k, v) -> t.append(t.isEmpty() ? "" : "&").append(SigV4.encode(k, true)).append('=')
                    .append(SigV4.encode(v, true)));
            h.put("x-amz-tagging", t.toString());
        }
        return h;
    }

    static String crc(CRC32C c) {
        long v = c.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }
}
