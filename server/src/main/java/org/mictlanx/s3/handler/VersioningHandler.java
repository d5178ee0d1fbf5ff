package org.mictlanx.s3.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.mictlanx.common.S3Keys;
import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.VersioningState;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3Operation.ListParams;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.CommonPrefix;
import org.mictlanx.s3.xml.ListVersionsResult;
import org.mictlanx.s3.xml.Owner;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.s3.xml.VersioningConfiguration;
import org.mictlanx.s3.xml.XmlChars;
import org.mictlanx.xolo.policy.PolicyStore;

/**
 * PutBucketVersioning, GetBucketVersioning and ListObjectVersions. A bucket's versioning moves
 * from never-set to Enabled, then between Enabled and Suspended, never back (S3's rule). Listing pages
 * through the router's history in S3's order (key ascending, newest first), rolling keys up into
 * common prefixes at the delimiter and jumping past each prefix in one step, as object listings do.
 */
public final class VersioningHandler {

    private static final int BATCH = 1000;

    private final BallStore store;
    private final S3Config config;
    private final S3Xml xml;
    private final PolicyStore policies;

    public VersioningHandler(BallStore store, S3Config config, S3Xml xml) {
        this(store, config, xml, null);
    }

    /**
     * @param policies where a writer-owned version's owner is recorded (null: the bucket owner owns
     *                 every version)
     */
    public VersioningHandler(BallStore store, S3Config config, S3Xml xml, PolicyStore policies) {
        this.store = store;
        this.config = config;
        this.xml = xml;
        this.policies = policies;
    }

    /** The GetBucketVersioning document of {@code bucket}: no Status while versioning was never set. */
    static VersioningConfiguration document(BucketInfo bucket) {
        String status = switch (bucket.versioning()) {
            case OFF -> null;
            case ENABLED -> "Enabled";
            case SUSPENDED -> "Suspended";
        };
        return new VersioningConfiguration(S3Xml.NS, status, null);
    }

    /**
     * Sets Enabled or Suspended. MalformedXML for any other Status; MFA delete is not built, so
     * {@code MfaDelete=Enabled} is NotImplemented (Disabled is what every bucket has).
     */
    public S3Response putBucketVersioning(S3Request req) {
        BucketInfo bucket = req.requireBucket();
        VersioningConfiguration doc = xml.read(Bodies.readSmall(req, config.maxXmlBodyBytes()), VersioningConfiguration.class);
        if (doc.mfaDelete() != null) {
            if (doc.mfaDelete().equals("Enabled")) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                        "A header or query you provided implies functionality that is not implemented: MFA Delete");
            }
            if (!doc.mfaDelete().equals("Disabled")) throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        if (doc.status() == null) {
            if (bucket.versioning() == VersioningState.OFF) return ok();
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        VersioningState state = switch (doc.status()) {
            case "Enabled" -> VersioningState.ENABLED;
            case "Suspended" -> VersioningState.SUSPENDED;
            default -> throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        };
        if (state == VersioningState.SUSPENDED && bucket.objectLock().enabled()) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_STATE,
                    "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
        }
        store.setBucketVersioning(bucket.name(), state);
        return ok();
    }

    private static S3Response ok() {
        return S3Response.status(200).header("Content-Length", "0").empty();
    }

    public S3Response listObjectVersions(S3Request req, S3Operation.ListObjectVersions op) {
        ListParams p = op.params();
        BucketInfo b0 = req.requireBucket();
        String keyMarker = op.keyMarker() == null || op.keyMarker().isEmpty() ? null : op.keyMarker();
        String idMarker = op.versionIdMarker() == null || op.versionIdMarker().isEmpty() ? null : op.versionIdMarker();
        if (idMarker != null && keyMarker == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "A version-id marker cannot be specified without a key marker.");
        }
        if (idMarker != null) Versions.checkId(idMarker);
        String prefix = p.prefix() == null ? "" : p.prefix();
        String delimiter = p.delimiter() == null || p.delimiter().isEmpty() ? null : p.delimiter();
        String cursor = keyMarker == null ? null : store.versionPosition(b0, keyMarker, idMarker)
                .orElseThrow(() -> new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid version id specified"));
        List<Object> out = new ArrayList<>();
        boolean truncated = false;
        String lastPrefix = null;
        int max = p.maxKeys();
        scan:
        while (max > 0) {
            BallStore.VersionPage page = store.listBallVersions(b0, prefix.isEmpty() ? null : prefix, cursor,
                    Math.min(BATCH, max - out.size() + 1));
            for (BallStore.VersionEntry e : page.entries()) {
                String key = e.ball().key();
                cursor = e.position();
                if (lastPrefix != null && key.startsWith(lastPrefix)) {
                    cursor = lastPrefix + S3Keys.PAST_PREFIX;
                    continue;
                }
                String cp = S3Keys.commonPrefix(key, prefix, delimiter);
                if (cp != null) {
                    lastPrefix = cp;
                    cursor = cp + S3Keys.PAST_PREFIX;
                    if (keyMarker != null && S3Keys.compare(cp, keyMarker) <= 0) continue;
                }
                if (out.size() == max) {
                    truncated = true;
                    break scan;
                }
                out.add(cp != null ? cp : e);
            }
            if (!page.more() || page.entries().isEmpty()) break;
        }
        Owner owner = Owner.of(b0.owner());
        boolean owners = policies != null && policies.bucketAccess(b0).aclsEnabled();
        boolean encode = p.urlEncoding() || out.stream().anyMatch(o -> !XmlChars.isValid(
                o instanceof String s ? s : ((BallStore.VersionEntry) o).ball().key()))
                || !XmlChars.isValid(prefix) || delimiter != null && !XmlChars.isValid(delimiter)
                || keyMarker != null && !XmlChars.isValid(keyMarker);
        UnaryOperator<String> enc = encode ? ListingHandler::urlEncode : s -> s;
        List<ListVersionsResult.Entry> entries = new ArrayList<>(); // interleaved, in listing order
        List<CommonPrefix> prefixes = new ArrayList<>();
        for (Object o : out) {
            if (o instanceof String cp) {
                prefixes.add(new CommonPrefix(enc.apply(cp)));
                continue;
            }
            BallStore.VersionEntry e = (BallStore.VersionEntry) o;
            BallInfo b = e.ball();
            if (b.deleteMarker()) {
                entries.add(new ListVersionsResult.DeleteMarker(enc.apply(b.key()), b.versionId(), e.latest(),
                        HttpFormats.isoDate(b.lastModified()), owner));
            } else {
                entries.add(new ListVersionsResult.Version(enc.apply(b.key()), b.versionId(), e.latest(),
                        HttpFormats.isoDate(b.lastModified()), HttpFormats.quotedEtag(b.etag()), b.size(),
                        StorageClasses.of(b.headers()), owners ? versionOwner(b0, b, owner) : owner));
            }
        }
        String nextKey = null;
        String nextId = null;
        if (truncated && !out.isEmpty()) {
            Object last = out.getLast();
            if (last instanceof String cp) {
                nextKey = cp;
            } else {
                BallInfo b = ((BallStore.VersionEntry) last).ball();
                nextKey = b.key();
                nextId = b.versionId();
            }
        }
        return S3Response.status(200).xml(new ListVersionsResult(S3Xml.NS, op.bucketName(), enc.apply(prefix),
                enc.apply(keyMarker == null ? "" : keyMarker), idMarker == null ? "" : idMarker,
                nextKey == null ? null : enc.apply(nextKey), nextId, max, delimiter == null ? null : enc.apply(delimiter),
                truncated, new ListVersionsResult.Entries(entries), prefixes, encode ? "url" : null));
    }

    /**
     * A version's owner: the writer recorded for that version (each version has its own ACL record)
     * while the bucket's ACLs are enabled, else the bucket owner.
     */
    private Owner versionOwner(BucketInfo bucket, BallInfo version, Owner bucketOwner) {
        return policies.objectOwner(bucket, version.key(), org.mictlanx.xolo.policy.ObjectVersion.of(version)).map(Owner::of).orElse(bucketOwner);
    }
}
