package org.mictlanx.s3.handler;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallPart;
import org.mictlanx.router.BallStore;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Operation.ObjectAttribute;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.GetObjectAttributesResponse;
import org.mictlanx.s3.xml.S3Xml;

/**
 * GetObjectAttributes: only the requested attributes are answered. ObjectParts appears for balls
 * completed from a multipart upload, paged by {@code x-amz-part-number-marker} /
 * {@code x-amz-max-parts}; Checksum appears when the ball has stored checksums (COMPOSITE values
 * carry {@code -N}). GET preconditions (If-Match, ...) apply as for GetObject.
 */
public final class AttributesHandler {

    private final BallStore store;
    private final Clock clock;

    public AttributesHandler(BallStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public S3Response getObjectAttributes(S3Request req, S3Operation.GetObjectAttributes op) {
        BallInfo ball = Versions.resolve(store, req.requireBucket(), op.key(), op.versionId());
        Conditionals.check(req, ball, clock.instant());
        org.mictlanx.s3.sse.Encryptions.describe(req, ball.headers());
        Set<ObjectAttribute> want = op.attributes();
        GetObjectAttributesResponse.Checksum checksum = null;
        if (want.contains(ObjectAttribute.CHECKSUM) && ChecksumViews.any(ball.digests())) {
            checksum = new GetObjectAttributesResponse.Checksum(ChecksumViews.values(ball.digests(),
                    ChecksumViews.suffix(ball.checksumType(), ball.partsCount())), ball.checksumType().name());
        }
        GetObjectAttributesResponse.ObjectParts parts = null;
        if (want.contains(ObjectAttribute.OBJECT_PARTS) && ball.multipart()) {
            parts = parts(ball, op.partNumberMarker(), op.maxParts());
        }
        return Versions.header(S3Response.status(200), ball)
                .header("Last-Modified", HttpFormats.httpDate(ball.lastModified()))
                .xml(new GetObjectAttributesResponse(S3Xml.NS,
                        want.contains(ObjectAttribute.ETAG) ? ball.etag() : null, checksum, parts,
                        want.contains(ObjectAttribute.STORAGE_CLASS) ? StorageClasses.of(ball.headers()) : null,
                        want.contains(ObjectAttribute.OBJECT_SIZE) ? ball.size() : null));
    }

    private static GetObjectAttributesResponse.ObjectParts parts(BallInfo ball, int marker, int max) {
        List<BallPart> after = ball.parts().stream().filter(p -> p.partNumber() > marker).toList();
        List<BallPart> page = after.subList(0, Math.min(max, after.size()));
        boolean truncated = page.size() < after.size();
        List<GetObjectAttributesResponse.Part> out = page.stream().map(p -> new GetObjectAttributesResponse.Part(
                ChecksumViews.values(p.digests(), 0), p.partNumber(), p.size())).toList();
        return new GetObjectAttributesResponse.ObjectParts(truncated, max,
                page.isEmpty() ? null : page.getLast().partNumber(), marker, out, ball.partsCount());
    }
}
