package org.mictlanx.s3.handler;

import java.util.Map;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.s3.xml.Tagging;

/**
 * PutObjectTagging, GetObjectTagging and DeleteObjectTagging on the current ball of a key. The tag
 * set is stored in the ball's own metadata record ({@link BallStore#replaceTags}): replacing it moves
 * no data and changes neither the ETag nor Last-Modified. A missing key is NoSuchKey; a version id
 * other than {@code null} is refused as for the other object operations (versioning is off).
 */
public final class TaggingHandler {

    private final BallStore store;
    private final Authorizer authorizer;
    private final S3Config config;
    private final S3Xml xml;

    public TaggingHandler(BallStore store, Authorizer authorizer, S3Config config, S3Xml xml) {
        this.store = store;
        this.authorizer = authorizer;
        this.config = config;
        this.xml = xml;
    }

    /**
     * Replaces the whole tag set with the body's (an empty {@code TagSet} removes every tag). The
     * document is read under the XML cap, its digests checked and the tags validated before the
     * store is touched: a malformed body is MalformedXML, a bad tag InvalidTag, and nothing changes.
     * Policy conditions on {@code s3:RequestObjectTag/<k>} and {@code s3:RequestObjectTagKeys} see the
     * body's tags ({@link Authorizer#authorizeTagSet}); a caller refused is AccessDenied before any
     * body error.
     */
    public S3Response putObjectTagging(S3Request req, S3Operation.PutObjectTagging op) {
        Versions.checkId(op.versionId());
        Map<String, String> tags;
        try {
            tags = Tags.fromDocument(xml.read(Bodies.readSmall(req, config.maxXmlBodyBytes()), Tagging.class));
        } catch (S3Exception e) {
            authorizer.authorizeTagSet(req.caller(), op, req.bucket(), req.conditionKeys(), Map.of());
            throw e;
        }
        authorizer.authorizeTagSet(req.caller(), op, req.bucket(), req.conditionKeys(), tags);
        latestOnly(req, op.key(), op.versionId());
        replace(op.bucketName(), op.key(), tags);
        return S3Response.status(200).header("Content-Length", "0").empty();
    }

    /** The tag set, in stored order; {@code <TagSet/>} when the ball has none. */
    public S3Response getObjectTagging(S3Request req, S3Operation.GetObjectTagging op) {
        BallInfo ball = Versions.resolve(store, req.requireBucket(), op.key(), op.versionId());
        return Versions.header(S3Response.status(200), ball).xml(Tags.toDocument(ball.tags()));
    }

    /** Removes every tag; 204 as S3 answers, whether or not the ball had tags. */
    public S3Response deleteObjectTagging(S3Request req, S3Operation.DeleteObjectTagging op) {
        latestOnly(req, op.key(), op.versionId());
        replace(op.bucketName(), op.key(), Map.of());
        return S3Response.status(204).empty();
    }

    /**
     * Tag changes address the latest version: a version id naming it is accepted, any other existing
     * version is refused with NotImplemented (changing a noncurrent version's tags is not built),
     * an unknown one is NoSuchVersion.
     */
    private void latestOnly(S3Request req, String key, String versionId) {
        if (versionId == null) return;
        BallInfo named = Versions.resolve(store, req.requireBucket(), key, versionId);
        BallInfo latest = store.headBall(req.requireBucket().name(), key).orElse(null);
        if (latest == null || !latest.versionId().equals(named.versionId())) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    "A header or query you provided implies functionality that is not implemented: tagging a noncurrent version");
        }
    }

    private void replace(String bucket, String key, Map<String, String> tags) {
        if (store.replaceTags(bucket, key, tags).isEmpty()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_KEY);
        }
    }
}
