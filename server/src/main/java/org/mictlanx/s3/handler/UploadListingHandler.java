package org.mictlanx.s3.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.mictlanx.router.BallStore;
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

/**
 * ListParts and ListMultipartUploads with S3's paging: ListParts continues after
 * {@code part-number-marker}; ListMultipartUploads continues after ({@code key-marker},
 * {@code upload-id-marker}) and rolls keys up into common prefixes at the delimiter, a common prefix
 * counting as one entry and being skipped in one jump.
 */
public final class UploadListingHandler {

    /** Past every key of at most 1024 UTF-8 bytes that starts with a given prefix. */
    private static final String PAST = "\uDBFF\uDFFF".repeat(257);
    private static final int BATCH = 1000;

    private final BallStore store;

    public UploadListingHandler(BallStore store) {
        this.store = store;
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
        Owner owner = owner(req);
        Digest algorithm = upload.checksumAlgorithms().stream().findFirst().orElse(null);
        return S3Response.status(200).xml(new ListPartsResult(S3Xml.NS, op.bucketName(), op.key(), op.uploadId(),
                owner, owner, StorageClasses.of(upload.headers()), op.partNumberMarker(), next, op.maxParts(), page.truncated(), parts,
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
                String cp = commonPrefix(u.key(), prefix, p.delimiter());
                if (cp != null && (op.keyMarker() != null && ListingScan.compareUtf8(cp, op.keyMarker()) <= 0
                        || !prefixes.isEmpty() && prefixes.getLast().equals(cp))) {
                    keyMarker = cp + PAST;
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
                    keyMarker = cp + PAST;
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
        Owner owner = owner(req);
        List<ListMultipartUploadsResult.Upload> entries = uploads.stream().map(u -> new ListMultipartUploadsResult.Upload(
                enc.apply(u.key()), u.uploadId(), owner, owner, StorageClasses.of(u.headers()), HttpFormats.isoDate(u.initiated()),
                u.checksumAlgorithms().stream().findFirst().map(ChecksumViews::algorithmName).orElse(null),
                u.checksumAlgorithms().isEmpty() ? null : u.checksumType().name())).toList();
        return S3Response.status(200).xml(new ListMultipartUploadsResult(S3Xml.NS, op.bucketName(),
                enc.apply(op.keyMarker() == null ? "" : op.keyMarker()),
                op.uploadIdMarker() == null ? "" : op.uploadIdMarker(),
                truncated ? enc.apply(nextKey) : "", prefix.isEmpty() ? null : enc.apply(prefix),
                enc.apply(p.delimiter()), truncated && nextId != null ? nextId : "", max, truncated, entries,
                prefixes.stream().map(s -> new CommonPrefix(enc.apply(s))).toList(), encode ? "url" : null));
    }

    private static String commonPrefix(String key, String prefix, String delimiter) {
        if (delimiter == null) {
            return null;
        }
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    private static Owner owner(S3Request req) {
        return Owner.of(req.requireBucket().owner());
    }
}
