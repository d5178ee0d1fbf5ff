package org.mictlanx.s3.handler;

import java.util.Map;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.meta.VersionIds;
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
 * PutObjectTagging, GetObjectTagging and DeleteObjectTagging on a key's current ball or, with
 * {@code versionId}, on any version of it (current or noncurrent, as S3). The tag set is stored in the
 * version's own metadata records ({@link BallStore#replaceTags}, {@link BallStore#replaceVersionTags}):
 * replacing it moves no data and changes neither the ETag nor Last-Modified. A missing key is
 * NoSuchKey, an unknown version NoSuchVersion, a delete marker MethodNotAllowed; a malformed version id
 * InvalidArgument. A change by version id targets exactly that version: it is identified and rewritten
 * under the key's guard, so a version written meanwhile never receives it. The event notification
 * intent (key, version, tag set) is written just before the change ({@link org.mictlanx.s3.notify.EventScope#tagging}).
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
        BallInfo changed = replace(req, op.key(), op.versionId(), tags);
        return Versions.header(S3Response.status(200), changed).header("Content-Length", "0").empty();
    }

    /** The tag set, in stored order; {@code <TagSet/>} when the ball has none. */
    public S3Response getObjectTagging(S3Request req, S3Operation.GetObjectTagging op) {
        BallInfo ball = Versions.resolve(store, req.requireBucket(), op.key(), op.versionId());
        return Versions.header(S3Response.status(200), ball).xml(Tags.toDocument(ball.tags()));
    }

    /** Removes every tag; 204 as S3 answers, whether or not the ball had tags. */
    public S3Response deleteObjectTagging(S3Request req, S3Operation.DeleteObjectTagging op) {
        Versions.checkId(op.versionId());
        BallInfo changed = replace(req, op.key(), op.versionId(), Map.of());
        return Versions.header(S3Response.status(204), changed).empty();
    }

    /**
     * Replaces the tags of the latest ball ({@code versionId} null) or of the named version. A named
     * version is resolved first (NoSuchVersion, MethodNotAllowed for a delete marker) and then
     * changed under the key's guard; gone meanwhile is NoSuchVersion. Version {@code null} of a
     * never-versioned bucket is its one ball.
     */
    private BallInfo replace(S3Request req, String key, String versionId, Map<String, String> tags) {
        String bucket = req.requireBucket().name();
        req.events().tagging(key, versionId, tags); // the notification intent, before the change commits
        if (versionId == null || VersionIds.NULL.equals(versionId) && !req.requireBucket().versioning().versioned()) {
            if (versionId != null) Versions.resolve(store, req.requireBucket(), key, versionId);
            return store.replaceTags(bucket, key, tags).orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_KEY));
        }
        Versions.resolve(store, req.requireBucket(), key, versionId);
        try {
            return store.replaceVersionTags(bucket, key, versionId, tags)
                    .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_VERSION));
        } catch (RouterException e) {
            if (e.kind() == RouterException.Kind.BAD_REQUEST) { // became a delete marker? (cannot: ids are unique)
                throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            }
            throw e;
        }
    }
}
