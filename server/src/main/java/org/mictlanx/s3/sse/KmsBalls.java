package org.mictlanx.s3.sse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.crypto.CustomerKey;
import org.mictlanx.router.crypto.KeyService;
import org.mictlanx.router.crypto.KeyServiceException;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;

/**
 * SSE-KMS on balls and uploads. A ball written with {@code aws:kms} stores, in internal headers,
 * {@value #KEY} = {@code keyId/version} of the key service version its segments' data keys are
 * wrapped under (through a key derived from that version's material and the encryption context,
 * {@link CustomerKey#ofKms}), {@value #CONTEXT} = the encryption context as given (base64 JSON) and
 * {@value #BUCKET_KEY} when the client asked for an S3 Bucket Key (accepted and echoed; every ball
 * still gets its own data key). Reads resolve the version through the key service: an unknown key
 * (or deleted) → 400 KMS.NotFoundException, a disabled one → 400 KMS.DisabledException, one pending
 * deletion → 400 KMS.KMSInvalidStateException.
 */
public final class KmsBalls {

    public static final String KEY = "x-mx-sse-kms";
    public static final String CONTEXT = "x-mx-sse-kms-context";
    public static final String BUCKET_KEY = "x-mx-sse-kms-bucket-key";
    public static final String KEY_ID_HEADER = "x-amz-server-side-encryption-aws-kms-key-id";
    public static final String CONTEXT_HEADER = "x-amz-server-side-encryption-context";
    public static final String BUCKET_KEY_HEADER = "x-amz-server-side-encryption-bucket-key-enabled";
    /** How a write names the AWS managed key (header, bucket default): resolved by the key service. */
    public static final String MANAGED_ALIAS = "alias/aws/s3";
    private static final Pattern ARN = Pattern.compile("arn:aws:kms:([a-z0-9-]*):([0-9]*):key/([A-Za-z0-9-]{1,64})");
    private static final Pattern ALIAS_ARN = Pattern.compile("arn:aws:kms:([a-z0-9-]*):([0-9]*):alias/aws/s3");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private KmsBalls() {
    }

    /**
     * The key id of an ARN ({@code arn:aws:kms:REGION:ACCOUNT:key/ID}) or a plain id, or
     * {@link #MANAGED_ALIAS} for {@code alias/aws/s3} (or its ARN); 400 KMS.NotFoundException otherwise.
     */
    public static String keyId(String given) {
        String g = given.strip();
        if (g.equals(MANAGED_ALIAS) || ALIAS_ARN.matcher(g).matches()) {
            return MANAGED_ALIAS;
        }
        Matcher m = ARN.matcher(g);
        if (m.matches()) {
            return m.group(3);
        }
        if (PLAIN.matcher(g).matches()) {
            return g;
        }
        throw new S3Exception(S3ErrorCode.KMS_NOT_FOUND, "Invalid keyId " + g);
    }

    /** The ARN answered for a key id in this store's region. */
    public static String arn(String region, String keyId) {
        return "arn:aws:kms:" + region + ":000000000000:key/" + keyId;
    }

    /** Validates {@code x-amz-server-side-encryption-context}: base64 of a JSON object of strings. */
    public static String context(String header) {
        if (header == null) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(new String(Base64.getDecoder().decode(header.strip()), StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            n.properties().forEach(e -> {
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException("not a string");
                }
            });
            return header.strip();
        } catch (Exception e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON"
                            + " which represents a string-string map");
        }
    }

    static KeyService service(BallStore store) {
        return store.keyService().orElseThrow(() -> new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                "A header you provided implies functionality that is not implemented: this store has no key service"));
    }

    /** The current version's wrapping key for a new ball, with the headers recording it. */
    static Map.Entry<CustomerKey, Map<String, String>> forWrite(BallStore store, String keyId, String context,
                                                              boolean bucketKey) {
        KeyService.KeyVersion v = call(() -> keyId.equals(MANAGED_ALIAS) ? service(store).defaultKey()
                : service(store).current(keyId));
        Map<String, String> h = new LinkedHashMap<>();
        h.put(KEY, v.keyId() + "/" + v.version());
        if (context != null) {
            h.put(CONTEXT, context);
        }
        if (bucketKey) {
            h.put(BUCKET_KEY, "true");
        }
        return Map.entry(CustomerKey.ofKms(v, context == null ? "" : context), h);
    }

    /** The wrapping key of a stored SSE-KMS ball or upload. */
    static CustomerKey forRead(BallStore store, Map<String, String> stored) {
        String ref = stored.get(KEY);
        int slash = ref.lastIndexOf('/');
        String keyId = ref.substring(0, slash);
        int version = Integer.parseInt(ref.substring(slash + 1));
        KeyService.KeyVersion v = call(() -> service(store).material(keyId, version));
        return CustomerKey.ofKms(v, stored.getOrDefault(CONTEXT, ""));
    }

    static String keyIdOf(Map<String, String> stored) {
        String ref = stored.get(KEY);
        return ref.substring(0, ref.lastIndexOf('/'));
    }

    private static <T> T call(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (KeyServiceException e) {
            throw switch (e.kind()) {
                case NOT_FOUND -> new S3Exception(S3ErrorCode.KMS_NOT_FOUND, e.getMessage());
                case DISABLED -> new S3Exception(S3ErrorCode.KMS_DISABLED, e.getMessage());
                case PENDING_DELETION -> new S3Exception(S3ErrorCode.KMS_INVALID_STATE, e.getMessage());
            };
        }
    }
}
