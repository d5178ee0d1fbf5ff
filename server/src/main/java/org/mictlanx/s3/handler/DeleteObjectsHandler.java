package org.mictlanx.s3.handler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mictlanx.router.BallStore;
import org.mictlanx.router.meta.VersionIds;
import org.mictlanx.router.RouterException;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3Permissions;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3RequestParser;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.notify.EventIntent;
import org.mictlanx.s3.xml.Delete;
import org.mictlanx.s3.xml.DeleteResult;
import org.mictlanx.s3.xml.S3Xml;

/**
 * DeleteObjects: up to 1000 keys from a size-capped XML body. The whole document is validated
 * before anything is deleted (no keys, more than 1000, or an empty key is MalformedXML); each key
 * then succeeds or fails on its own. Quiet mode reports only failures (every deletion still has its
 * event notification). Keys are validated and authorized first; the notification intent for the keys
 * left is written before the first delete ({@link org.mictlanx.s3.notify.EventScope#deleting}).
 */
public final class DeleteObjectsHandler {

    public static final int MAX_KEYS = 1000;

    private final BallStore store;
    private final S3Config config;
    private final S3Xml xml;

    private final Authorizer authorizer;

    public DeleteObjectsHandler(BallStore store, Authorizer authorizer, S3Config config, S3Xml xml) {
        this.store = store;
        this.authorizer = authorizer;
        this.config = config;
        this.xml = xml;
    }

    public S3Response deleteObjects(S3Request req, S3Operation.DeleteObjects op) {
        Delete request = xml.read(Bodies.readSmall(req, config.maxXmlBodyBytes()), Delete.class);
        List<Delete.ObjectIdentifier> objects = request.objects();
        if (objects == null || objects.isEmpty() || objects.size() > MAX_KEYS
                || objects.stream().anyMatch(o -> o == null || o.key() == null || o.key().isEmpty())) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        boolean quiet = Boolean.TRUE.equals(request.quiet());
        List<DeleteResult.Deleted> deleted = new ArrayList<>();
        List<DeleteResult.DeleteError> errors = new ArrayList<>();
        List<Delete.ObjectIdentifier> planned = new ArrayList<>();
        for (Delete.ObjectIdentifier o : objects) {
            String version = version(o);
            if (o.key().getBytes(StandardCharsets.UTF_8).length > S3RequestParser.MAX_KEY_BYTES) {
                errors.add(error(o, S3ErrorCode.KEY_TOO_LONG, S3ErrorCode.KEY_TOO_LONG.defaultMessage()));
                continue;
            }
            if (version != null && !version.equals(VersionIds.NULL) && !VersionIds.wellFormed(version)) {
                errors.add(error(o, S3ErrorCode.NO_SUCH_VERSION, S3ErrorCode.NO_SUCH_VERSION.defaultMessage()));
                continue;
            }
            S3Operation.DeleteObject one = new S3Operation.DeleteObject(op.bucketName(), o.key(), version);
            if (!authorizer.allowed(req.caller(), S3Permissions.action(one), S3Permissions.resource(one), req.bucket(),
                    req.conditionKeys().forOperation(one, store.headBall(req.requireBucket(), o.key())))) {
                errors.add(error(o, S3ErrorCode.ACCESS_DENIED, S3ErrorCode.ACCESS_DENIED.defaultMessage()));
                continue;
            }
            planned.add(o);
        }
        // the notification intent names every key about to be deleted (a crash mid-way loses no event)
        req.events().deleting(planned.stream().map(o -> new EventIntent.Item(o.key(), version(o))).toList());
        for (Delete.ObjectIdentifier o : planned) {
            String version = version(o);
            try {
                Optional<BallStore.DeletedVersion> d = store.deleteBallVersion(op.bucketName(), o.key(), version,
                        ObjectLockHandler.bypass(req, authorizer, op.bucketName(), o.key()));
                DeleteResult.Deleted entry = entry(o.key(), version, d);
                req.events().deleted(entry);
                if (!quiet) {
                    deleted.add(entry);
                }
            } catch (RouterException e) {
                S3Exception mapped = org.mictlanx.s3.ErrorMapper.fromRouterKind(e);
                errors.add(error(o, mapped.code(), mapped.getMessage()));
            }
        }
        return S3Response.status(200).xml(new DeleteResult(S3Xml.NS, deleted, errors));
    }

    private static String version(Delete.ObjectIdentifier o) {
        return o.versionId() == null || o.versionId().isEmpty() ? null : o.versionId();
    }

    /**
     * S3's answer: a delete without version id that added a marker carries {@code DeleteMarker} and
     * {@code DeleteMarkerVersionId}; a delete of a version carries its {@code VersionId}, and
     * {@code DeleteMarker} (with {@code DeleteMarkerVersionId}) when that version was a marker.
     */
    private static DeleteResult.Deleted entry(String key, String version, Optional<BallStore.DeletedVersion> d) {
        if (d.isEmpty() || !d.get().deleteMarker()) return new DeleteResult.Deleted(key, version);
        String markerId = d.get().versionId();
        return new DeleteResult.Deleted(key, version, true, markerId);
    }

    private static DeleteResult.DeleteError error(Delete.ObjectIdentifier o, S3ErrorCode code, String message) {
        return new DeleteResult.DeleteError(o.key(), o.versionId(), code.code(), message);
    }
}
