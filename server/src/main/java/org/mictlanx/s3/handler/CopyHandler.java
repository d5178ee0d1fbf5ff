package org.mictlanx.s3.handler;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.WriteCondition;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.CopyObjectResult;
import org.mictlanx.s3.xml.S3Xml;

/**
 * CopyObject within and across buckets. Server-side only: the new ball refers to the source's chunks
 * ({@link BallStore#copyBall}), no byte passes through the front door. {@code x-amz-metadata-directive}
 * COPY (default) keeps the source's system headers and user metadata, REPLACE takes the request's;
 * copying a ball onto itself requires REPLACE. {@code x-amz-tagging-directive} COPY (default) keeps
 * the source's tags, REPLACE takes {@code x-amz-tagging} (none when absent); {@code x-amz-tagging}
 * with COPY is ignored, as S3 does. The destination may carry a write condition
 * (If-None-Match: * / If-Match).
 */
public final class CopyHandler {

    private final BallStore store;
    private final CopySources sources;
    private final Clock clock;

    public CopyHandler(BallStore store, org.mictlanx.s3.Authorizer authorizer, Clock clock) {
        this.store = store;
        this.sources = new CopySources(store, authorizer);
        this.clock = clock;
    }

    public S3Response copyObject(S3Request req, S3Operation.CopyObject op) {
        boolean replace = replaceDirective(req, "x-amz-metadata-directive", "Unknown metadata directive.");
        boolean replaceTags = replaceDirective(req, "x-amz-tagging-directive", "Unknown tagging directive.");
        Map<String, String> tags = replaceTags ? Tags.fromHeader(req) : null;
        S3Operation.CopySource src = op.source();
        if (src.bucket().equals(op.bucketName()) && src.key().equals(op.key()) && !replace) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "This copy request is illegal because it is trying to"
                    + " copy an object to itself without changing the object's metadata, storage class, website"
                    + " redirect location or encryption attributes.");
        }
        Map<String, String> headers = replace ? Metadata.systemHeaders(req) : null;
        Map<String, String> userMetadata = replace ? Metadata.userMetadata(req) : null;
        WriteCondition condition = WriteConditions.of(req);
        BallInfo source = sources.resolve(req, src, clock.instant());
        BallInfo copy = store.copyBall(source, op.bucketName(), op.key(),
                replace ? headers : source.headers(), replace ? userMetadata : source.userMetadata(),
                replaceTags ? tags : source.tags(), condition);
        return S3Response.status(200)
                .xml(new CopyObjectResult(S3Xml.NS, HttpFormats.isoDate(copy.lastModified()),
                        HttpFormats.quotedEtag(copy.etag()),
                        ChecksumViews.values(copy.digests(), ChecksumViews.suffix(copy.checksumType(), copy.partsCount()))));
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
