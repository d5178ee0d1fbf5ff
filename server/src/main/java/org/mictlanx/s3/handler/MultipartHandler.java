package org.mictlanx.s3.handler;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.ChecksumType;
import org.mictlanx.router.CompletedPart;
import org.mictlanx.router.Digest;
import org.mictlanx.router.PartInfo;
import org.mictlanx.router.UploadInfo;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.sse.CustomerKeyHeaders;
import org.mictlanx.s3.sse.CustomerKeyedBalls;
import org.mictlanx.s3.sse.BucketDefaults;
import org.mictlanx.s3.sse.Encryptions;
import org.mictlanx.s3.xml.CompleteMultipartUpload;
import org.mictlanx.s3.xml.CompleteMultipartUploadResult;
import org.mictlanx.s3.xml.CopyPartResult;
import org.mictlanx.s3.xml.InitiateMultipartUploadResult;
import org.mictlanx.s3.xml.S3Xml;

/**
 * CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload and
 * AbortMultipartUpload. Parts stream straight into the router (a part is recorded only after its
 * declared digests matched); completion and part copies move no data. Part size rules (5 MiB except
 * the last, checked at completion; at most 5 GiB each) and the ETag {@code md5-of-part-md5s-N} are
 * the router's; this class maps the S3 surface onto it.
 */
public final class MultipartHandler {

    /** S3's largest part. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

    private final BallStore store;
    private final S3Config config;
    private final S3Xml xml;
    private final CopySources sources;
    private final Clock clock;
    private final BucketDefaults defaults;

    public MultipartHandler(BallStore store, Authorizer authorizer, S3Config config, S3Xml xml, Clock clock,
                            BucketDefaults defaults) {
        this.store = store;
        this.defaults = defaults;
        this.config = config;
        this.xml = xml;
        this.sources = new CopySources(store, authorizer);
        this.clock = clock;
    }

    /**
     * Opens an upload with the request's headers, metadata, tags ({@code x-amz-tagging}, validated
     * now, applied to the ball at completion) and checksum algorithm/type.
     */
    public S3Response createMultipartUpload(S3Request req, S3Operation.CreateMultipartUpload op) {
        Map<String, String> tags = Tags.fromHeader(req);
        String algorithm = req.header("x-amz-checksum-algorithm");
        Set<Digest> algorithms = algorithm == null ? Set.of() : Set.of(Checksums.named(algorithm));
        ChecksumType type = checksumType(req.header("x-amz-checksum-type"));
        if (type != null && algorithms.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
        }
        String storageClass = StorageClasses.requestedOrStandard(req);
        ServerSideEncryption.check(req);
        Encryptions.Write encryption = Encryptions.forWrite(req, store, defaults.of(req.requireBucket()));
        Map<String, String> lock = LockHeaders.of(req, req.requireBucket(), clock.instant());
        String uploadId = store.createUpload(op.bucketName(), op.key(),
                org.mictlanx.xolo.policy.StoredOwnership.apply(encryption.apply(LockHeaders.apply(
                        StorageClasses.withClass(Metadata.systemHeaders(req), storageClass), lock)), req.ownership()),
                Metadata.userMetadata(req), tags, algorithms, type, StorageClasses.redundancy(storageClass));
        S3Response.Builder out = encryption.echo(S3Response.status(200), config.region());
        if (!algorithms.isEmpty()) {
            UploadInfo info = store.upload(op.bucketName(), op.key(), uploadId)
                    .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD));
            out.header("x-amz-checksum-algorithm", ChecksumViews.algorithmName(algorithms.iterator().next()))
                    .header("x-amz-checksum-type", info.checksumType().name());
        }
        return out.xml(new InitiateMultipartUploadResult(S3Xml.NS, op.bucketName(), op.key(), uploadId));
    }

    /**
     * Streams one part. The upload must exist before any body byte is read; a part checksum of an
     * algorithm other than the upload's is InvalidRequest; digests are checked before the part is recorded.
     */
    public S3Response uploadPart(S3Request req, S3Operation.UploadPart op) {
        Set<Digest> wanted = Checksums.precheck(req);
        StreamedBody body = StreamedBody.of(req, MAX_PART_SIZE);
        UploadInfo upload = upload(op.bucketName(), op.key(), op.uploadId());
        Encryptions.Read encryption = partEncryption(req, upload);
        for (Digest d : wanted) {
            if (!upload.checksumAlgorithms().isEmpty() && !upload.checksumAlgorithms().contains(d)) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum Type mismatch occurred, expected checksum"
                        + " Type: " + upload.checksumAlgorithms().iterator().next().name().toLowerCase(Locale.ROOT)
                        + ", actual checksum Type: " + d.name().toLowerCase(Locale.ROOT));
            }
        }
        PartInfo part = store.putPart(op.bucketName(), op.key(), op.uploadId(), op.partNumber(), body.in(),
                body.length(), wanted, Checksums.verifier(req), encryption.unwrapKey());
        S3Response.Builder out = S3Response.status(200).header("ETag", HttpFormats.quotedEtag(part.etag()));
        encryption.echo(out, config.region());
        ChecksumViews.headers(out, part.digests(), 0);
        return out.header("Content-Length", "0").empty();
    }

    /**
     * Makes a range of (or a whole) existing ball a part, without moving its bytes through the front
     * door, except when the source has fewer replicas than the upload's storage class needs (a
     * REDUCED_REDUNDANCY source into a STANDARD upload): then the range is streamed into a new part.
     * A range beyond the source is InvalidRange.
     */
    public S3Response uploadPartCopy(S3Request req, S3Operation.UploadPartCopy op) {
        UploadInfo upload = upload(op.bucketName(), op.key(), op.uploadId());
        Encryptions.Read encryption = partEncryption(req, upload);
        BallInfo resolved = sources.resolve(req, op.source(), clock.instant());
        // readable with the master key for the digest pass; the part's data keys are then wrapped for the upload
        BallInfo source = Encryptions.forRead(req, store, resolved.headers(), true).readable(store, resolved, null);
        long offset = 0;
        long length = source.size();
        if (op.range() != null) {
            if (op.range().last() >= source.size()) {
                throw new S3Exception(S3ErrorCode.INVALID_RANGE,
                        "Range specified is not valid for source object of size: " + source.size());
            }
            offset = op.range().first();
            length = op.range().length();
        }
        if (length > MAX_PART_SIZE) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The specified copy source is larger than the maximum allowable size for a copy source: "
                            + MAX_PART_SIZE);
        }
        PartInfo part;
        if (StorageClasses.needsMoreReplicas(StorageClasses.of(source.headers()), StorageClasses.of(upload.headers()))) {
            try (java.io.InputStream in = store.openBall(source, offset, length)) {
                part = store.putPart(op.bucketName(), op.key(), op.uploadId(), op.partNumber(), in, length, Set.of(), null,
                        encryption.unwrapKey());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        } else {
            part = store.copyPart(op.bucketName(), op.key(), op.uploadId(), op.partNumber(), source, offset, length,
                    encryption.unwrapKey());
        }
        return encryption.echo(Versions.sourceHeader(S3Response.status(200), source), config.region()).xml(new CopyPartResult(S3Xml.NS, HttpFormats.isoDate(part.lastModified()),
                HttpFormats.quotedEtag(part.etag()), ChecksumViews.values(part.digests(), 0)));
    }

    /**
     * Commits the listed parts as the ball, atomically with the write condition; no data is copied.
     * {@code x-amz-checksum-*} headers are the object's checksum, verified before the commit
     * ({@link CompleteChecksums}). A retry of a completion whose answer was lost gets the same answer
     * (see {@link BallStore#completeUpload}); a part number listed twice is InvalidPartOrder, as S3.
     */
    public S3Response completeMultipartUpload(S3Request req, S3Operation.CompleteMultipartUpload op) {
        var condition = WriteConditions.of(req);
        List<CompleteChecksums.Expected> objectChecksums = CompleteChecksums.parse(req);
        CompleteMultipartUpload body = xml.read(Bodies.readSmall(req, config.maxXmlBodyBytes(), false),
                CompleteMultipartUpload.class);
        if (body.parts() == null || body.parts().isEmpty()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        List<CompletedPart> parts = new ArrayList<>(body.parts().size());
        for (CompleteMultipartUpload.Part p : body.parts()) {
            if (p.partNumber() == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            Map<Digest, byte[]> checksums = new EnumMap<>(Digest.class);
            put(checksums, Digest.CRC32, p.crc32());
            put(checksums, Digest.CRC32C, p.crc32c());
            put(checksums, Digest.CRC64NVME, p.crc64nvme());
            put(checksums, Digest.SHA1, p.sha1());
            put(checksums, Digest.SHA256, p.sha256());
            parts.add(new CompletedPart(p.partNumber(), p.etag(), checksums));
        }
        ChecksumType type = ChecksumType.COMPOSITE;
        if (!objectChecksums.isEmpty()) {
            Optional<UploadInfo> open = store.upload(op.bucketName(), op.key(), op.uploadId());
            if (open.isPresent()) {
                CompleteChecksums.checkAgainst(req, objectChecksums, open.get());
                type = open.get().checksumType();
            }
        }
        BallInfo ball = store.completeUpload(op.bucketName(), op.key(), op.uploadId(), parts, condition,
                objectChecksums.isEmpty() ? null : CompleteChecksums.verifier(objectChecksums, parts.size(), type));
        int suffix = ChecksumViews.suffix(ball.checksumType(), ball.partsCount());
        String host = req.header("host");
        String path = "/" + op.bucketName() + "/" + java.net.URLEncoder.encode(op.key(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20").replace("%2F", "/");
        return Encryptions.echoStored(Versions.header(S3Response.status(200).committed(ball), ball), ball.headers(), config.region()).xml(new CompleteMultipartUploadResult(S3Xml.NS,
                host == null ? path : "http://" + host + path, op.bucketName(), op.key(),
                HttpFormats.quotedEtag(ball.etag()), ChecksumViews.values(ball.digests(), suffix),
                ChecksumViews.any(ball.digests()) ? ball.checksumType().name() : null));
    }

    /** Closes the upload; its parts' chunks are released. */
    public S3Response abortMultipartUpload(S3Request req, S3Operation.AbortMultipartUpload op) {
        store.abortUpload(op.bucketName(), op.key(), op.uploadId());
        return S3Response.status(204).empty();
    }

    /**
     * The key a part of {@code upload} is wrapped under: the upload's SSE-C key, which the request
     * must repeat (a missing or different one is InvalidRequest, as S3), or its KMS key version.
     */
    private Encryptions.Read partEncryption(S3Request req, UploadInfo upload) {
        CustomerKeyedBalls.checkUpload(upload, CustomerKeyHeaders.of(req));
        return Encryptions.forRead(req, store, upload.headers(), false);
    }

    private UploadInfo upload(String bucket, String key, String uploadId) {
        return store.upload(bucket, key, uploadId).orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD));
    }

    private static void put(Map<Digest, byte[]> out, Digest d, String base64) {
        if (base64 != null && !base64.isBlank()) {
            out.put(d, Checksums.decode(base64, S3ErrorCode.INVALID_PART));
        }
    }

    private static ChecksumType checksumType(String header) {
        if (header == null) {
            return null;
        }
        return switch (header.trim().toUpperCase(Locale.ROOT)) {
            case "COMPOSITE" -> ChecksumType.COMPOSITE;
            case "FULL_OBJECT" -> ChecksumType.FULL_OBJECT;
            default -> throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Value for x-amz-checksum-type header is invalid.");
        };
    }
}
