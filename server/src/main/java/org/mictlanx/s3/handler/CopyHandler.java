package org.mictlanx.s3.handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.util.Locale;
import java.util.Map;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.Digest;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.WriteCondition;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.sse.CustomerKeyHeaders;
import org.mictlanx.s3.sse.BucketDefaults;
import org.mictlanx.s3.sse.Encryptions;
import org.mictlanx.router.crypto.CustomerKey;
import org.mictlanx.s3.xml.CopyObjectResult;
import org.mictlanx.s3.xml.S3Xml;

/**
 * CopyObject within and across buckets. Server-side only: the new ball refers to the source's chunks
 * ({@link BallStore#copyBall}), no byte passes through the front door. {@code x-amz-metadata-directive}
 * COPY (default) keeps the source's system headers and user metadata, REPLACE takes the request's;
 * copying a ball onto itself requires REPLACE. {@code x-amz-tagging-directive} COPY (default) keeps
 * the source's tags, REPLACE takes {@code x-amz-tagging} (none when absent); {@code x-amz-tagging}
 * with COPY is ignored, as S3 does. The destination may carry a write condition
 * (If-None-Match: * / If-Match). The copy's storage class is {@code x-amz-storage-class}, STANDARD when
 * absent (as S3: the class is not copied); a copy onto itself is allowed when it asks for a storage
 * class, {@code x-amz-server-side-encryption}, SSE-C keys or a website redirect location (a bucket's
 * default encryption is no such change: InvalidRequest, as S3). The copy's
 * {@code x-amz-website-redirect-location} is the request's under either directive, never the source's
 * ({@link WebsiteRedirects}). A copy needing more replicas than the source's
 * chunks have (REDUCED_REDUNDANCY to STANDARD) streams the data into new chunks; any other copy moves none.
 */
public final class CopyHandler {

    private final BallStore store;
    private final CopySources sources;
    private final Clock clock;
    private final BucketDefaults defaults;
    private final String region;

    public CopyHandler(BallStore store, org.mictlanx.s3.Authorizer authorizer, Clock clock, BucketDefaults defaults,
                       String region) {
        this.store = store;
        this.defaults = defaults;
        this.region = region;
        this.sources = new CopySources(store, authorizer);
        this.clock = clock;
    }

    public S3Response copyObject(S3Request req, S3Operation.CopyObject op) {
        boolean replace = replaceDirective(req, "x-amz-metadata-directive", "Unknown metadata directive.");
        boolean replaceTags = replaceDirective(req, "x-amz-tagging-directive", "Unknown tagging directive.");
        Map<String, String> tags = replaceTags ? Tags.fromHeader(req) : null;
        S3Operation.CopySource src = op.source();
        String requestedClass = StorageClasses.requested(req);
        String storageClass = requestedClass == null ? StorageClasses.STANDARD : requestedClass;
        boolean sse = ServerSideEncryption.check(req);
        Encryptions.Write encryption = Encryptions.forWrite(req, store, defaults.of(req.requireBucket()));
        String redirect = WebsiteRedirects.requested(req);
        // a copy of a named version onto its own key is how S3 restores an old version: allowed. What
        // counts as a change of encryption is what the request asks for, never the bucket's default
        // encryption (S3 refuses an in-place copy that sends no encryption header under a default too).
        if (src.bucket().equals(op.bucketName()) && src.key().equals(op.key()) && !replace && requestedClass == null
                && !sse && redirect == null && src.versionId() == null && CustomerKeyHeaders.of(req).isEmpty()
                && CustomerKeyHeaders.ofCopySource(req).isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "This copy request is illegal because it is trying to"
                    + " copy an object to itself without changing the object's metadata, storage class, website"
                    + " redirect location or encryption attributes.");
        }
        Map<String, String> headers = replace ? Metadata.systemHeaders(req) : null;
        Map<String, String> userMetadata = replace ? Metadata.userMetadata(req) : null;
        WriteCondition condition = WriteConditions.of(req);
        BallInfo resolved = sources.resolve(req, src, clock.instant());
        Map<String, String> lock = LockHeaders.of(req, req.requireBucket(), clock.instant());
        // the copy's owner and ACL are this request's, committed with it (never the source's)
        Map<String, String> newHeaders = org.mictlanx.xolo.policy.StoredOwnership.apply(encryption.apply(
                LockHeaders.apply(StorageClasses.withClass(replace ? headers
                        : WebsiteRedirects.forCopy(resolved.headers(), redirect), storageClass), lock)), req.ownership());
        boolean rewriteData = StorageClasses.needsMoreReplicas(StorageClasses.of(resolved.headers()), storageClass);
        // A key change re-wraps only the data keys (the chunks stay shared); a rewrite reads with the master key.
        BallInfo source = Encryptions.forRead(req, store, resolved.headers(), true).readable(store, resolved,
                rewriteData ? null : encryption.wrapKey());
        Map<String, String> newMetadata = replace ? userMetadata : source.userMetadata();
        Map<String, String> newTags = replaceTags ? tags : source.tags();
        BallInfo copy = rewriteData
                ? rewrite(source, op, newHeaders, newMetadata, newTags, condition, storageClass, encryption.wrapKey())
                : store.copyBall(source, op.bucketName(), op.key(), newHeaders, newMetadata, newTags, condition);
        S3Response.Builder out = Versions.header(S3Response.status(200).committed(copy), copy);
        Versions.sourceHeader(out, resolved);
        return encryption.echo(out, region)
                .xml(new CopyObjectResult(S3Xml.NS, HttpFormats.isoDate(copy.lastModified()),
                        HttpFormats.quotedEtag(copy.etag()),
                        ChecksumViews.values(copy.digests(), ChecksumViews.suffix(copy.checksumType(), copy.partsCount()))));
    }

    /**
     * A copy that needs more replicas than the source's chunks have (REDUCED_REDUNDANCY to STANDARD):
     * the source is streamed into a new ball written with the destination's replica count, with the
     * source's checksum algorithms recomputed over the whole body.
     */
    private BallInfo rewrite(BallInfo source, S3Operation.CopyObject op, Map<String, String> headers,
                             Map<String, String> userMetadata, Map<String, String> tags, WriteCondition condition,
                             String storageClass, CustomerKey wrapKey) {
        Set<Digest> digests = EnumSet.noneOf(Digest.class);
        digests.addAll(source.digests().keySet());
        digests.remove(Digest.MD5);
        PutBall put = new PutBall(op.bucketName(), op.key(), source.size(), headers, userMetadata, digests, null,
                condition, tags, StorageClasses.redundancy(storageClass), wrapKey);
        try (InputStream in = store.openBall(source, 0, source.size())) {
            return store.putBall(put, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the directive header says REPLACE (absent: COPY); any other value is InvalidArgument. */
    private static boolean replaceDirective(S3Request req, String header, String unknown) {
        String directive = req.header(header);
        if (directive == null) {
            return false;
        }
        return switch (directive.trim().toUpperCase(Locale.ROOT)) {
            case "COPY" -> false;
            case "REPLACE" -> true;
            default -> throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, unknown);
        };
    }
}
