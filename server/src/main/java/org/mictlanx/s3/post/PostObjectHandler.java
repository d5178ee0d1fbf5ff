package org.mictlanx.s3.post;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.s3.HttpFormats;
import org.mictlanx.s3.RequestConditionKeys;
import org.mictlanx.s3.S3Config;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.S3Response;
import org.mictlanx.s3.handler.FormUploads;
import org.mictlanx.s3.sse.BucketDefaults;
import org.mictlanx.s3.sse.Encryptions;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.post.PostPolicyVerifier;
import org.mictlanx.xolo.sigv4.AuthResult;
import org.mictlanx.xolo.sigv4.PayloadMode;

/**
 * POST object: browser-based uploads with an HTML form ({@code multipart/form-data}). The fields
 * before the {@code file} part (at most {@link #MAX_FIELD_BYTES} together, reserved from the request's
 * buffer budget) are read; the policy signature is verified (SigV4, or SigV2 when enabled), the
 * signer is authorized for PutObject and the unbuilt-feature refusals applied ({@link Admission}),
 * the policy's expiry and conditions checked; then the file streams straight into the store,
 * {@code content-length-range} (and the 5 GiB object limit) enforced while it flows and before the
 * commit. Fields after the file are ignored, as S3 does. Without any signature field the POST is
 * anonymous: as in S3 it needs no policy document and is admitted only when the bucket policy (or
 * ACL) allows {@code s3:PutObject} to everyone.
 *
 * <p>Answer: {@code success_action_redirect} (or {@code redirect}) → 303 to it with bucket, key
 * and etag appended; else {@code success_action_status} 200, 201 (with {@link PostResponse}) or 204
 * (the default, also for any other value).
 */
public final class PostObjectHandler {

    /** S3's bound on the form fields before the file. */
    public static final int MAX_FIELD_BYTES = 20 * 1024;

    /** The pipeline's authorization, unbuilt-feature and ACL checks for the upload the form asks for. */
    public interface Admission {
        /**
         * Authorizes the upload (authType {@code POST}); AccessDenied when refused.
         *
         * @param accessKeyId      who signed the form; null for an anonymous POST
         * @param signatureVersion {@code AWS4-HMAC-SHA256} or {@code AWS} (SigV2); null when anonymous
         * @return the caller the upload runs as and the condition keys it was judged with
         */
        Admitted admit(String accessKeyId, String signatureVersion, S3Operation.PutObject op,
                       Map<String, List<String>> headers);

        /**
         * After the upload was stored: keeps the ACL the form's {@code acl} field asked for and records
         * the ball's owner from the admitted caller (the form's signer, or anonymous) as for PutObject.
         */
        void stored(Admitted admitted, S3Operation.PutObject op, Map<String, List<String>> headers, S3Response response);
    }

    /**
     * The outcome of a successful {@link Admission#admit}; {@code ownership}: what the ball commits
     * about its owner and ACL ({@link org.mictlanx.xolo.policy.StoredOwnership}).
     */
    public record Admitted(Caller caller, RequestConditionKeys keys, Map<String, String> ownership) {
        public Admitted(Caller caller, RequestConditionKeys keys) {
            this(caller, keys, Map.of());
        }
    }

    /** The request as received. */
    public record Incoming(String bucketName, Optional<BucketInfo> bucket, String contentType, String host,
                           InputStream body, String requestId, String resource, BufferBudget.Lease buffers) {
    }

    private final BallStore store;
    private final PostPolicyVerifier verifier;
    private final S3Config config;
    private final S3Xml xml;
    private final Clock clock;
    private final BucketDefaults defaults;
    private final org.mictlanx.s3.lifecycle.ExpirationHeader expiration;

    /** @param defaults the buckets' default encryption, applied when the form asks for none */
    public PostObjectHandler(BallStore store, PostPolicyVerifier verifier, S3Config config, S3Xml xml, Clock clock,
                             BucketDefaults defaults) {
        this(store, verifier, config, xml, clock, defaults, null);
    }

    /**
     * As the six-argument form; {@code expiration} (null: none) adds lifecycle's {@code x-amz-expiration}
     * to the answer when a rule covers the uploaded key, as PutObject's.
     */
    public PostObjectHandler(BallStore store, PostPolicyVerifier verifier, S3Config config, S3Xml xml, Clock clock,
                             BucketDefaults defaults, org.mictlanx.s3.lifecycle.ExpirationHeader expiration) {
        this.expiration = expiration;
        this.store = store;
        this.defaults = defaults;
        this.verifier = verifier;
        this.config = config;
        this.xml = xml;
        this.clock = clock;
    }

    public S3Response post(Incoming in, Admission admission) throws IOException {
        BucketInfo bucket = in.bucket().orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET));
        String boundary = MultipartForm.boundary(in.contentType());
        if (boundary == null) {
            throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED,
                    "Bucket POST must be of the enclosure-type multipart/form-data");
        }
        in.buffers().reserve(MAX_FIELD_BYTES);
        MultipartForm form = new MultipartForm(in.body(), boundary);
        Map<String, String> fields = new LinkedHashMap<>();
        MultipartForm.Part file = null;
        int total = 0;
        for (MultipartForm.Part part = form.next(); part != null; part = form.next()) {
            if (part.name().equalsIgnoreCase("file")) {
                file = part;
                break;
            }
            byte[] value = readField(form.body(), MAX_FIELD_BYTES - total);
            total += value.length + part.name().length();
            if (total > MAX_FIELD_BYTES) {
                throw new S3Exception(S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED);
            }
            fields.putIfAbsent(part.name().toLowerCase(Locale.ROOT), new String(value, StandardCharsets.UTF_8));
        }
        if (file == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "POST requires exactly one file upload per request.");
        }
        boolean signed = PostPolicyVerifier.signed(fields);
        String accessKeyId = signed ? verifier.verify(fields) : null;
        String signatureVersion = !signed ? null
                : fields.containsKey("x-amz-signature") || fields.containsKey("x-amz-credential") ? "AWS4-HMAC-SHA256" : "AWS";
        String rawKey = fields.get("key");
        if (rawKey == null || rawKey.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Bucket POST must contain a field named 'key'.  If it"
                    + " is specified, please check the order of the fields.");
        }
        String key = rawKey.replace("${filename}", file.filename() == null ? "" : file.filename());
        if (key.getBytes(StandardCharsets.UTF_8).length > org.mictlanx.s3.S3RequestParser.MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG);
        }
        Map<String, List<String>> headers = headers(fields, file);
        S3Operation.PutObject op = new S3Operation.PutObject(bucket.name(), key);
        Admitted admitted = admission.admit(accessKeyId, signatureVersion, op, headers);
        // An anonymous form needs no policy document (S3: it succeeds only on publicly writable buckets).
        Optional<PostPolicy> policy = signed || fields.containsKey("policy")
                ? Optional.of(PostPolicy.parse(fields.get("policy"))) : Optional.empty();
        Map<String, String> checked = new LinkedHashMap<>(fields);
        checked.put("bucket", bucket.name());
        if (policy.isPresent()) {
            policy.get().check(checked, clock.instant());
        }
        Optional<PostPolicy.LengthRange> range = policy.flatMap(PostPolicy::lengthRange);
        long min = range.map(PostPolicy.LengthRange::min).orElse(0L);
        long max = Math.min(config.maxObjectSize(), range.map(PostPolicy.LengthRange::max).orElse(Long.MAX_VALUE));
        Counted body = new Counted(form.body(), max);
        S3Request upload = new S3Request(op, accessKeyId, admitted.caller().user(),
                new AuthResult(accessKeyId, PayloadMode.UNSIGNED, null, null, false), headers, Optional.of(bucket),
                body, -1, Map::of, in.requestId(), in.resource(), in.buffers(), admitted.caller(), admitted.keys(),
                admitted.ownership(), null);
        // The form's x-amz-server-side-encryption* fields (SSE-S3, SSE-KMS, SSE-C) as PutObject's headers.
        Encryptions.Write encryption = Encryptions.forWrite(upload, store, defaults.of(bucket));
        PutBall asked = FormUploads.put(upload, bucket.name(), key, FormUploads.tags(xml, fields.get("tagging")),
                computed -> {
                    if (body.count < min) {
                        throw new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL,
                                "Your proposed upload is smaller than the minimum allowed size");
                    }
                });
        PutBall put = new PutBall(asked.bucket(), asked.key(), asked.length(),
                org.mictlanx.xolo.policy.StoredOwnership.apply(encryption.apply(asked.headers()), upload.ownership()),
                asked.userMetadata(), asked.digests(), asked.verifier(), asked.condition(), asked.tags(), asked.redundancy(),
                encryption.wrapKey());
        BallInfo info = store.putBall(put, body);
        S3Response response = withExpiration(answer(fields, bucket.name(), key, HttpFormats.quotedEtag(info.etag()), in.host(),
                encryption), bucket, info);
        admission.stored(admitted, op, headers, new S3Response(response.status(), response.headers(), response.body(), info));
        return response;
    }

    /** {@code r} with {@code x-amz-expiration} when a lifecycle rule covers {@code info}; unreadable rules cost only the header. */
    private S3Response withExpiration(S3Response r, BucketInfo bucket, BallInfo info) {
        if (expiration == null) return r;
        Optional<String> value;
        try {
            value = expiration.value(bucket, info);
        } catch (RuntimeException e) {
            return r;
        }
        if (value.isEmpty()) return r;
        List<Map.Entry<String, String>> headers = new ArrayList<>(r.headers());
        headers.add(Map.entry(org.mictlanx.s3.lifecycle.ExpirationHeader.NAME, value.get()));
        return new S3Response(r.status(), headers, r.body(), r.committed());
    }

    private S3Response answer(Map<String, String> fields, String bucket, String key, String etag, String host,
                              Encryptions.Write encryption) {
        String redirect = fields.getOrDefault("success_action_redirect", fields.get("redirect"));
        if (redirect != null && !redirect.isBlank()) {
            try {
                URI target = URI.create(redirect.strip());
                if (target.getScheme() != null && target.getHost() != null) {
                    String sep = target.getRawQuery() == null ? "?" : "&";
                    return encryption.echo(S3Response.status(303), config.region()).header("Location", redirect.strip() + sep + "bucket=" + enc(bucket)
                            + "&key=" + enc(key) + "&etag=" + enc(etag)).header("ETag", etag)
                            .header("Content-Length", "0").empty();
                }
            } catch (IllegalArgumentException e) {
                // not a URL: S3 then answers as without a redirect
            }
        }
        // Virtual-hosted requests (bucket.base-domain) name the bucket in the host, path-style ones in the path.
        String path = enc(key).replace("%2F", "/");
        String hostName = host == null ? "" : host.replaceFirst(":\\d+$", "");
        String location = hostName.startsWith(bucket + ".") ? "http://" + host + "/" + path
                : "http://" + host + "/" + bucket + "/" + path;
        String status = fields.getOrDefault("success_action_status", "204").strip();
        return switch (status) {
            case "200" -> encryption.echo(S3Response.status(200), config.region()).header("ETag", etag).header("Location", location)
                    .header("Content-Length", "0").empty();
            case "201" -> encryption.echo(S3Response.status(201), config.region()).header("ETag", etag).header("Location", location)
                    .xml(new PostResponse(location, bucket, key, etag));
            default -> encryption.echo(S3Response.status(204), config.region()).header("ETag", etag).header("Location", location).empty();
        };
    }

    /** The fields as the headers PutObject would have had (the file part's Content-Type when the form has none). */
    private static Map<String, List<String>> headers(Map<String, String> fields, MultipartForm.Part file) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            String header = name.equals("acl") ? "x-amz-acl" : name;
            out.put(header, new ArrayList<>(List.of(value)));
        });
        if (!out.containsKey("content-type") && file.contentType() != null) {
            out.put("content-type", List.of(file.contentType()));
        }
        return out;
    }

    private static byte[] readField(InputStream part, int allowance) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = part.read(chunk)) >= 0) {
            out.write(chunk, 0, n);
            if (out.size() > allowance) {
                throw new S3Exception(S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED);
            }
        }
        return out.toByteArray();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The file's bytes, counted; more than {@code max} is EntityTooLarge as soon as it is seen. */
    private static final class Counted extends FilterInputStream {
        private final long max;
        long count;

        Counted(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > max) {
                    throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE,
                            "Your proposed upload exceeds the maximum allowed size");
                }
            }
            return n;
        }
    }
}
