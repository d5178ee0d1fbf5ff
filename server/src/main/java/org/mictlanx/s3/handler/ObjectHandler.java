package org.mictlanx.s3.handler;

import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallPart;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.Digest;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.WriteCondition;
import org.mictlanx.router.lock.LockState;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.sse.BucketDefaults;
import org.mictlanx.s3.sse.Encryptions;

/**
 * PutObject, GetObject, HeadObject and DeleteObject on single balls. Bodies stream straight between
 * the client and the router; a PUT is committed only after every declared digest matched.
 */
public final class ObjectHandler {

    /** What S3 answers as Content-Type for a ball stored without one. */
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

    private final BallStore store;
    private final Authorizer authorizer;
    private final S3Config config;
    private final Clock clock;
    private final BucketDefaults defaults;
    private final org.mictlanx.s3.lifecycle.ExpirationHeader expiration;

    public ObjectHandler(BallStore store, Authorizer authorizer, S3Config config, Clock clock, BucketDefaults defaults) {
        this(store, authorizer, config, clock, defaults, null);
    }

    /** As the five-argument form; {@code expiration} (null: none) adds lifecycle's {@code x-amz-expiration} to GET/HEAD. */
    public ObjectHandler(BallStore store, Authorizer authorizer, S3Config config, Clock clock, BucketDefaults defaults,
                         org.mictlanx.s3.lifecycle.ExpirationHeader expiration) {
        this.store = store;
        this.authorizer = authorizer;
        this.defaults = defaults;
        this.config = config;
        this.clock = clock;
        this.expiration = expiration;
    }

    /** Lifecycle's {@code x-amz-expiration} for the latest version {@code ball}, when a rule covers it. */
    private void expirationHeader(S3Response.Builder out, S3Request req, BallInfo ball) {
        if (expiration != null) {
            expiration.value(req.requireBucket(), ball).ifPresent(v -> out.header(org.mictlanx.s3.lifecycle.ExpirationHeader.NAME, v));
        }
    }

    /**
     * Stores the body under the key with its system headers, user metadata, storage class and tags
     * ({@code x-amz-tagging}, validated before any body byte is read). A body without a declared
     * length ({@code Transfer-Encoding: chunked}) is streamed up to the object size limit. Content-MD5, the signed
     * payload hash and x-amz-checksum-* values are checked before the commit; the answer carries
     * the ETag (the body's MD5) and the requested checksums.
     */
    public S3Response putObject(S3Request req, S3Operation.PutObject op) {
        Set<Digest> wanted = Checksums.precheck(req);
        Map<String, String> tags = Tags.fromHeader(req);
        String storageClass = StorageClasses.requestedOrStandard(req);
        ServerSideEncryption.check(req);
        Encryptions.Write encryption = Encryptions.forWrite(req, store, defaults.of(req.requireBucket()));
        StreamedBody body = StreamedBody.of(req, config.maxObjectSize());
        WriteCondition condition = WriteConditions.of(req);
        Map<String, String> lock = LockHeaders.of(req, req.requireBucket(), clock.instant());
        if (!lock.isEmpty()) LockHeaders.requireIntegrityHeader(req, "Put Object requests with Object Lock parameters");
        PutBall put = new PutBall(op.bucketName(), op.key(), body.length(),
                encryption.apply(LockHeaders.apply(StorageClasses.withClass(Metadata.systemHeaders(req), storageClass), lock)),
                Metadata.userMetadata(req), wanted, Checksums.verifier(req), condition, tags,
                StorageClasses.redundancy(storageClass), encryption.wrapKey());
        BallInfo info;
        try {
            info = store.putBall(put, body.in());
        } catch (RouterException e) {
            if (e.kind() == RouterException.Kind.NO_SUCH_BALL) throw new S3Exception(S3ErrorCode.NO_SUCH_KEY);
            throw e;
        }
        S3Response.Builder out = S3Response.status(200).header("ETag", HttpFormats.quotedEtag(info.etag()))
                .committed(info);
        Versions.header(out, info); // x-amz-expiration: added for every committed write by the dispatcher
        encryption.echo(out, config.region());
        for (Digest d : Checksums.requested(req)) {
            byte[] v = info.digests().get(d);
            if (v != null) {
                out.header(Checksums.headerName(d), Base64.getEncoder().encodeToString(v));
            }
        }
        return out.header("Content-Length", "0").empty();
    }

    /** The ball (or one range of it) with its headers; conditionals are evaluated before the range. */
    public S3Response getObject(S3Request req, S3Operation.GetObject op) {
        return read(req, op.key(), op.versionId(), op.overrides(), op.partNumber(), false);
    }

    public S3Response headObject(S3Request req, S3Operation.HeadObject op) {
        return read(req, op.key(), op.versionId(), op.overrides(), op.partNumber(), true);
    }

    /**
     * Deletes the ball if present (unversioned bucket), adds a delete marker (versioned bucket, no
     * version id) or removes one version for good; 204 in every case, as S3 does, with
     * {@code x-amz-version-id} and {@code x-amz-delete-marker} naming what was added or removed.
     */
    public S3Response deleteObject(S3Request req, S3Operation.DeleteObject op) {
        checkVersion(op.versionId());
        S3Response.Builder out = S3Response.status(204);
        Optional<BallStore.DeletedVersion> d = store.deleteBallVersion(op.bucketName(), op.key(), op.versionId(),
                ObjectLockHandler.bypass(req, authorizer, op.bucketName(), op.key()));
        String id = d.map(BallStore.DeletedVersion::versionId).orElse(op.versionId());
        out.header("x-amz-version-id", id);
        if (d.isPresent() && d.get().deleteMarker()) out.header("x-amz-delete-marker", "true");
        return out.empty();
    }

    /**
     * GET/HEAD of the whole ball, a byte range, or one part ({@code partNumber}, 206 with its
     * Content-Range and {@code x-amz-mp-parts-count}; a ball not completed from parts has the one part 1).
     * Checksums are returned with {@code x-amz-checksum-mode: ENABLED}, never for a byte range: the
     * ball's (with {@code x-amz-checksum-type}), or for a part the part's own.
     */
    private S3Response read(S3Request req, String key, String versionId, S3Operation.ResponseOverrides overrides,
                            Integer partNumber, boolean head) {
        BallInfo ball = Versions.resolve(store, req.requireBucket(), key, versionId);
        Conditionals.check(req, ball, clock.instant());
        // HEAD too: a ball under a disabled KMS key (or one pending deletion) answers S3's KMS error.
        Encryptions.Read encryption = Encryptions.forRead(req, store, ball.headers(), false);
        Optional<ByteRange> range;
        BallPart part = null;
        if (partNumber != null) {
            if (req.header("range") != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Cannot specify both Range header and partNumber query parameter");
            }
            part = ball.part(partNumber);
            if (part == null) {
                throw new S3Exception(S3ErrorCode.INVALID_PART_NUMBER);
            }
            range = ball.multipart() && part.size() > 0
                    ? Optional.of(new ByteRange(part.offset(), part.offset() + part.size() - 1)) : Optional.empty();
        } else {
            range = ByteRange.parse(req.header("range"), ball.size());
        }
        S3Response.Builder out = S3Response.status(range.isPresent() ? 206 : 200)
                .header("Last-Modified", HttpFormats.httpDate(ball.lastModified()))
                .header("ETag", HttpFormats.quotedEtag(ball.etag()))
                .header("Accept-Ranges", "bytes");
        Versions.header(out, ball);
        if (versionId == null) expirationHeader(out, req, ball);
        Map<String, String> stored = ball.headers();
        out.header("Content-Type", overrides.headers().getOrDefault("Content-Type",
                Metadata.toWire(stored.getOrDefault("content-type", DEFAULT_CONTENT_TYPE))));
        for (String name : Metadata.SYSTEM_HEADERS) {
            String canonical = Metadata.canonicalName(name);
            if (name.equals("content-type")) {
                continue;
            }
            String v = overrides.headers().containsKey(canonical) ? overrides.headers().get(canonical)
                    : stored.get(name) == null ? null : Metadata.toWire(stored.get(name));
            out.header(canonical, v);
        }
        ball.userMetadata().forEach((name, value) -> out.header(Metadata.META_PREFIX + name, Metadata.toWire(value)));
        encryption.echo(out, config.region());
        for (String lockHeader : new String[] {LockState.MODE, LockState.UNTIL, LockState.HOLD}) {
            out.header(lockHeader, stored.get(lockHeader));
        }
        String storageClass = StorageClasses.of(stored);
        out.header(StorageClasses.HEADER, storageClass.equals(StorageClasses.STANDARD) ? null : storageClass);
        out.header("x-amz-tagging-count", Tags.countHeader(ball.tags()));
        boolean checksums = "ENABLED".equalsIgnoreCase(req.header("x-amz-checksum-mode"));
        if (part != null && ball.multipart()) {
            out.header("x-amz-mp-parts-count", Integer.toString(ball.partsCount()));
            if (checksums) {
                ChecksumViews.headers(out, part.digests(), 0);
            }
        } else if (checksums && range.isEmpty() && ChecksumViews.any(ball.digests())) {
            ChecksumViews.headers(out, ball.digests(), ChecksumViews.suffix(ball.checksumType(), ball.partsCount()));
            out.header("x-amz-checksum-type", ball.checksumType().name());
        }
        long offset = range.map(ByteRange::first).orElse(0L);
        long length = range.map(ByteRange::length).orElse(ball.size());
        range.ifPresent(r -> out.header("Content-Range", r.contentRange(ball.size())));
        out.header("Content-Length", Long.toString(length));
        if (head || length == 0) {
            return out.empty();
        }
        BallInfo readable = encryption.readable(store, ball, null);
        return out.stream(store.openBall(readable, offset, length), length);
    }

    /** A version id that cannot exist (neither {@code null} nor of this store's form) is InvalidArgument. */
    static void checkVersion(String versionId) {
        Versions.checkId(versionId);
    }
}
