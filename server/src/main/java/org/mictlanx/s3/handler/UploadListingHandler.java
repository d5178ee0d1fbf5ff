package org.mictlanx.s3.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.mictlanx.common.S3Keys;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.Digest;
import org.mictlanx.router.PartInfo;
import org.mictlanx.router.PartPage;
import org.mictlanx.router.UploadInfo;
import org.mictlanx.router.UploadPage;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.CommonPrefix;
import org.mictlanx.s3.xml.ListMultipartUploadsResult;
import org.mictlanx.s3.xml.ListPartsResult;
import org.mictlanx.s3.xml.Owner;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.s3.xml.XmlChars;
import org.mictlanx.xolo.identity.Principal;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.policy.PolicyStore;

/**
 * ListParts and ListMultipartUploads with S3's paging: ListParts continues after
 * {@code part-number-marker}; ListMultipartUploads continues after ({@code key-marker},
 * {@code upload-id-marker}) and rolls keys up into common prefixes at the delimiter, a common prefix
 * counting as one entry and being skipped in one jump.
 */
public final class UploadListingHandler {

    private static final int BATCH = 1000;

    private final BallStore store;
    private final PolicyStore policies;

    /** @param policies where an upload's initiator is recorded when it is not the bucket owner */
    public UploadListingHandler(BallStore store, PolicyStore policies) {
        this.store = store;
        this.policies = policies;
    }

    public S3Response listParts(S3Request req, S3Operation.ListParts op) {
        UploadInfo upload = store.upload(op.bucketName(), op.key(), op.uploadId())
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD));
        PartPage page = op.maxParts() == 0 ? new PartPage(List.of(), false)
                : store.listParts(op.bucketName(), op.key(), op.uploadId(), op.partNumberMarker(), op.maxParts());
        List<ListPartsResult.Part> parts = page.parts().stream().map((PartInfo p) -> new ListPartsResult.Part(
                p.partNumber(), HttpFormats.isoDate(p.lastModified()), HttpFormats.quotedEtag(p.etag()), p.size(),
                ChecksumViews.values(p.digests(), 0))).toList();
        Integer next = page.parts().isEmpty() ? null : page.parts().getLast().partNumber();
        People people = people(req, op.uploadId());
        Digest algorithm = upload.checksumAlgorithms().stream().findFirst().orElse(null);
        return S3Response.status(200).xml(new ListPartsResult(S3Xml.NS, op.bucketName(), op.key(), op.uploadId(),
                people.initiator(), people.owner(), StorageClasses.of(upload.headers()), op.partNumberMarker(), next, op.maxParts(), page.truncated(), parts,
                algorithm == null ? null : ChecksumViews.algorithmName(algorithm),
                algorithm == null ? null : upload.checksumType().name()));
    }

    public S3Response listMultipartUploads(S3Request req, S3Operation.ListMultipartUploads op) {
        var p = op.params();
        String prefix = p.prefix();
        int max = p.maxKeys();
        List<UploadInfo> uploads = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String keyMarker = op.keyMarker() == null || op.keyMarker().isEmpty() ? null : op.keyMarker();
        String idMarker = keyMarker == null || op.uploadIdMarker() == null || op.uploadIdMarker().isEmpty()
                ? null : op.uploadIdMarker();
        boolean truncated = false;
        String nextKey = null;
        String nextId = null;
        scan:
        while (max > 0) {
            UploadPage page = store.listUploads(op.bucketName(), prefix.isEmpty() ? null : prefix, keyMarker, idMarker,
                    Math.min(BATCH, max - uploads.size() - prefixes.size() + 1));
            for (UploadInfo u : page.uploads()) {
                keyMarker = u.key();
                idMarker = u.uploadId();
                String cp = S3Keys.commonPrefix(u.key(), prefix, p.delimiter());
                if (cp != null && (op.keyMarker() != null && S3Keys.compare(cp, op.keyMarker()) <= 0
                        || !prefixes.isEmpty() && prefixes.getLast().equals(cp))) {
                    keyMarker = cp + S3Keys.PAST_PREFIX;
                    idMarker = null;
                    continue scan;
                }
                if (uploads.size() + prefixes.size() == max) {
                    truncated = true;
                    break scan;
                }
                if (cp != null) {
                    prefixes.add(cp);
                    nextKey = cp;
                    nextId = null;
                    keyMarker = cp + S3Keys.PAST_PREFIX;
                    idMarker = null;
                    continue scan;
                }
                uploads.add(u);
                nextKey = u.key();
                nextId = u.uploadId();
            }
            if (!page.truncated() || page.uploads().isEmpty()) {
                break;
            }
        }
        boolean encode = p.urlEncoding() || uploads.stream().anyMatch(u -> !XmlChars.isValid(u.key()))
                || prefixes.stream().anyMatch(s -> !XmlChars.isValid(s)) || !XmlChars.isValid(prefix)
                || !XmlChars.isValid(op.keyMarker());
        UnaryOperator<String> enc = encode ? ListingHandler::urlEncode : s -> s;
        List<ListMultipartUploadsResult.Upload> entries = new ArrayList<>(uploads.size());
        for (UploadInfo u : uploads) {
            People people = people(req, u.uploadId());
            entries.add(new ListMultipartUploadsResult.Upload(
                enc.apply(u.key()), u.uploadId(), people.initiator(), people.owner(), StorageClasses.of(u.headers()), HttpFormats.isoDate(u.initiated()),
                u.checksumAlgorithms().stream().findFirst().map(ChecksumViews::algorithmName).orElse(null),
                u.checksumAlgorithms().isEmpty() ? null : u.checksumType().name()));
        }
        return S3Response.status(200).xml(new ListMultipartUploadsResult(S3Xml.NS, op.bucketName(),
                enc.apply(op.keyMarker() == null ? "" : op.keyMarker()),
                op.uploadIdMarker() == null ? "" : op.uploadIdMarker(),
                truncated ? enc.apply(nextKey) : "", prefix.isEmpty() ? null : enc.apply(prefix),
                enc.apply(p.delimiter()), truncated && nextId != null ? nextId : "", max, truncated, entries,
                prefixes.stream().map(s -> new CommonPrefix(enc.apply(s))).toList(), encode ? "url" : null));
    }

    /** Who initiated an upload and who will own its ball. */
    private record People(Owner initiator, Owner owner) {
    }

    /**
     * An upload's Initiator, as S3 shows it (a user: its ARN and name; root and the anonymous user:
     * their canonical id), and the Owner its ball will have under the bucket's object ownership
     * ({@link PolicyStore#ballOwner}); the initiator is the bucket owner unless recorded otherwise.
     */
    private People people(S3Request req, String uploadId) {
        BucketInfo bucket = req.requireBucket();
        Optional<PolicyStore.UploadEntry> entry = policies.upload(bucket, uploadId);
        String initiator = entry.map(PolicyStore.UploadEntry::initiator).orElse(null);
        String who = initiator == null ? bucket.owner() : initiator;
        Owner initiatorView = who.equals(Principal.ROOT_USER) || who.equals(Caller.ANONYMOUS_OWNER) ? Owner.of(who)
                : new Owner(Caller.userArn(who), who);
        String owner = initiator == null ? bucket.owner() : PolicyStore.ballOwner(policies.bucketAccess(bucket).ownership(),
                bucket.owner(), initiator, entry.get().bucketOwnerFullControl());
        return new People(initiatorView, Owner.of(owner));
    }
}
