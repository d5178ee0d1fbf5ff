package org.mictlanx.s3.handler;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Operation.ListParams;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.xml.CommonPrefix;
import org.mictlanx.s3.xml.ListBucketResult;
import org.mictlanx.s3.xml.ListBucketResultV2;
import org.mictlanx.s3.xml.ObjectEntry;
import org.mictlanx.s3.xml.Owner;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.s3.xml.XmlChars;

/**
 * ListObjects (v1) and ListObjectsV2 (ListObjectVersions is {@link VersioningHandler}'s). When a key or prefix holds a character XML cannot carry, the answer is
 * URL-encoded (and says so in EncodingType) even if the client did not ask, rather than failing.
 */
public final class ListingHandler {

    private final ListingScan scan;

    private final org.mictlanx.xolo.policy.PolicyStore policies;

    public ListingHandler(BallStore store) {
        this(store, null);
    }

    /** @param policies where a writer-owned ball's owner is recorded (null: the bucket owner owns every ball) */
    public ListingHandler(BallStore store, org.mictlanx.xolo.policy.PolicyStore policies) {
        this.policies = policies;
        this.scan = new ListingScan(store);
    }

    public S3Response listObjects(S3Request req, S3Operation.ListObjects op) {
        ListParams p = op.params();
        ListingScan.Result r = scan.scan(req.requireBucket(), p.prefix(), p.delimiter(), op.marker(), p.maxKeys());
        UnaryOperator<String> enc = encoder(p, r, op.marker());
        Function<BallInfo, Owner> owner = owners(req);
        return S3Response.status(200).xml(new ListBucketResult(S3Xml.NS, op.bucketName(), enc.apply(p.prefix()),
                enc.apply(op.marker() == null ? "" : op.marker()), r.truncated() ? enc.apply(r.last()) : null,
                p.maxKeys(), enc.apply(p.delimiter()), r.truncated(), contents(r, enc, owner),
                prefixes(r, enc), encodingType(enc)));
    }

    public S3Response listObjectsV2(S3Request req, S3Operation.ListObjectsV2 op) {
        ListParams p = op.params();
        String startAfter = op.continuationToken() != null ? decodeToken(op.continuationToken()) : op.startAfter();
        ListingScan.Result r = scan.scan(req.requireBucket(), p.prefix(), p.delimiter(), startAfter, p.maxKeys());
        UnaryOperator<String> enc = encoder(p, r, op.startAfter());
        return S3Response.status(200).xml(new ListBucketResultV2(S3Xml.NS, op.bucketName(), enc.apply(p.prefix()),
                r.entries().size(), p.maxKeys(), enc.apply(p.delimiter()), r.truncated(),
                contents(r, enc, op.fetchOwner() ? owners(req) : b -> null), prefixes(r, enc), encodingType(enc),
                op.continuationToken(), r.truncated() ? encodeToken(r.last()) : null, enc.apply(op.startAfter())));
    }

    /**
     * Each ball's owner: the bucket owner, or the writer recorded for it while the bucket's ACLs are
     * enabled (ObjectWriter, BucketOwnerPreferred); one metadata read per listed ball only then.
     */
    private Function<BallInfo, Owner> owners(S3Request req) {
        org.mictlanx.router.BucketInfo bucket = req.requireBucket();
        Owner bucketOwner = Owner.of(bucket.owner());
        if (policies == null || !policies.bucketAccess(bucket).aclsEnabled()) {
            return b -> bucketOwner;
        }
        return b -> policies.objectOwner(bucket, b.key(), org.mictlanx.xolo.policy.ObjectVersion.of(b)).map(Owner::of).orElse(bucketOwner);
    }

    private static List<ObjectEntry> contents(ListingScan.Result r, UnaryOperator<String> enc, Function<BallInfo, Owner> owner) {
        return r.balls().stream().map((BallInfo b) -> new ObjectEntry(enc.apply(b.key()),
                HttpFormats.isoDate(b.lastModified()), HttpFormats.quotedEtag(b.etag()), b.size(), StorageClasses.of(b.headers()),
                owner.apply(b))).toList();
    }

    private static List<CommonPrefix> prefixes(ListingScan.Result r, UnaryOperator<String> enc) {
        return r.prefixes().stream().map(cp -> new CommonPrefix(enc.apply(cp))).toList();
    }

    /** URL encoding when asked for, or when some returned string cannot be carried by XML. */
    private static UnaryOperator<String> encoder(ListParams p, ListingScan.Result r, String marker) {
        boolean needed = p.urlEncoding() || Stream.concat(
                        Stream.of(p.prefix(), p.delimiter(), marker),
                        r.entries().stream().map(ListingScan.Entry::sortKey))
                .anyMatch(s -> !XmlChars.isValid(s));
        return needed ? ListingHandler::urlEncode : s -> s;
    }

    private static String encodingType(UnaryOperator<String> enc) {
        return "a b".equals(enc.apply("a b")) ? null : "url";
    }

    /**
     * S3's {@code encoding-type=url} encoding of a listing field: UTF-8 bytes percent-encoded except
     * letters, digits, {@code - _ . *} and {@code /} (kept as is), a space as {@code +} (so a {@code +}
     * in a key is {@code %2B}), as AWS S3 answers and as botocore ({@code unquote_plus}) and the AWS
     * SDKs decode it.
     */
    public static String urlEncode(String s) {
        return s == null ? null : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String encodeToken(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect");
        }
    }
}
