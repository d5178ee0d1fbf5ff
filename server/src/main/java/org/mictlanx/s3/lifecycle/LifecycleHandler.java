package org.mictlanx.s3.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.handler.SmallBodies;
import org.mictlanx.s3.xml.S3Xml;

/**
 * PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration and DeleteBucketLifecycle. The
 * document is validated ({@link LifecycleRules}) before anything is stored; a bucket without one
 * answers GET with NoSuchLifecycleConfiguration (404), as S3. The rules are carried out by the
 * {@link LifecycleWorker}.
 */
public final class LifecycleHandler {

    /** S3's answer header on Put/Get: transitions are not built, so the default applies. */
    static final String MIN_SIZE_HEADER = "x-amz-transition-default-minimum-object-size";
    private static final String MIN_SIZE_DEFAULT = "all_storage_classes_128K";
    /** The {@code x-amz-checksum-*} algorithms S3 accepts. */
    private static final List<String> CHECKSUM_ALGORITHMS = List.of("crc32", "crc32c", "crc64nvme", "sha1", "sha256");

    private final LifecycleConfigs configs;
    private final S3Xml xml;
    private final ExpirationHeader expiration;
    private final BallStore store;

    /**
     * {@code expiration}: the {@code x-amz-expiration} header of writes ({@link #withExpiration}) and the
     * abort headers of uploads ({@link #withAbortDate}); {@code store}: where uploads are looked up.
     */
    public LifecycleHandler(LifecycleConfigs configs, S3Xml xml, ExpirationHeader expiration, BallStore store) {
        this.configs = configs;
        this.xml = xml;
        this.expiration = expiration;
        this.store = store;
    }

    /**
     * {@code response} to CreateMultipartUpload or ListParts of upload {@code uploadId} of {@code key},
     * with {@code x-amz-abort-date} (HTTP date) and {@code x-amz-abort-rule-id} when an
     * AbortIncompleteMultipartUpload rule covers the key, as S3 answers them: the upload's initiation
     * plus DaysAfterInitiation, rounded up to the next midnight UTC. Without readable rules the answer
     * goes without the headers.
     */
    public S3Response withAbortDate(S3Request req, S3Response response, String key, String uploadId) {
        if (req.bucket().isEmpty() || uploadId == null) return response;
        Optional<LifecycleRules.Expiry> abort;
        try {
            BucketInfo bucket = req.requireBucket();
            if (!expiration.abortCovers(bucket, key)) return response;
            abort = store.upload(bucket.name(), key, uploadId).flatMap(u -> expiration.abort(bucket, key, u.initiated()));
        } catch (RuntimeException e) {
            return response;
        }
        return abort.map(a -> {
            List<Map.Entry<String, String>> headers = new ArrayList<>(response.headers());
            headers.add(Map.entry("x-amz-abort-date", HttpFormats.httpDate(a.at())));
            headers.add(Map.entry("x-amz-abort-rule-id", a.ruleId()));
            return new S3Response(response.status(), headers, response.body(), response.committed());
        }).orElse(response);
    }

    /**
     * {@code response} to a write that committed {@code response.committed()} (PutObject, CopyObject,
     * CompleteMultipartUpload), with {@code x-amz-expiration} added when an Expiration rule of the
     * request's bucket covers the new ball, as S3 answers these writes. The write has committed: when
     * the rules cannot be read the answer goes without the header rather than failing.
     */
    public S3Response withExpiration(S3Request req, S3Response response) {
        if (response.committed() == null || req.bucket().isEmpty()) return response;
        boolean present = response.headers().stream().anyMatch(h -> h.getKey().equalsIgnoreCase(ExpirationHeader.NAME));
        if (present) return response;
        Optional<String> value;
        try {
            value = expiration.value(req.requireBucket(), response.committed());
        } catch (RuntimeException e) {
            return response; // the write committed: an unreadable rule set costs the header, never the answer
        }
        return value.map(v -> {
            List<Map.Entry<String, String>> headers = new ArrayList<>(response.headers());
            headers.add(Map.entry(ExpirationHeader.NAME, v));
            return new S3Response(response.status(), headers, response.body(), response.committed());
        }).orElse(response);
    }

    /**
     * Replaces the bucket's lifecycle configuration with the body's. As S3, the request must carry an
     * integrity check of its body: Content-MD5, an {@code x-amz-checksum-*} header, or a checksum
     * trailer ({@code x-amz-trailer}); without one 400 InvalidRequest "Missing required header for
     * this request: Content-MD5". Whatever is sent is verified against the body (BadDigest, or
     * InvalidRequest for a checksum mismatch) before anything is stored.
     */
    public S3Response putBucketLifecycleConfiguration(S3Request req) {
        BucketInfo bucket = req.requireBucket();
        requireIntegrityCheck(req);
        String minSize = req.header(MIN_SIZE_HEADER);
        if (minSize != null && !minSize.equals(MIN_SIZE_DEFAULT) && !minSize.equals("varies_by_storage_class")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid value for " + MIN_SIZE_HEADER);
        }
        byte[] body = SmallBodies.read(req, LifecycleRules.MAX_DOCUMENT_BYTES);
        configs.put(bucket, xml.read(body, LifecycleConfiguration.class));
        return S3Response.status(200).header(MIN_SIZE_HEADER, MIN_SIZE_DEFAULT).header("Content-Length", "0").empty();
    }

    /** Content-MD5, an {@code x-amz-checksum-*} header or a checksum trailer must be present. */
    static void requireIntegrityCheck(S3Request req) {
        if (req.header("content-md5") != null) return;
        for (String alg : CHECKSUM_ALGORITHMS) {
            if (req.header("x-amz-checksum-" + alg) != null) return;
        }
        String trailer = req.header("x-amz-trailer");
        if (trailer != null && trailer.strip().toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")) return;
        throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Missing required header for this request: Content-MD5");
    }

    /** The stored configuration; NoSuchLifecycleConfiguration when there is none. */
    public S3Response getBucketLifecycleConfiguration(S3Request req) {
        LifecycleConfiguration doc = configs.document(req.requireBucket())
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_LIFECYCLE_CONFIGURATION));
        return S3Response.status(200).header(MIN_SIZE_HEADER, MIN_SIZE_DEFAULT)
                .xml(new LifecycleConfiguration(S3Xml.NS, doc.rules()));
    }

    /** Removes the configuration; 204 whether or not there was one, as S3. */
    public S3Response deleteBucketLifecycle(S3Request req) {
        configs.delete(req.requireBucket());
        return S3Response.status(204).empty();
    }
}
