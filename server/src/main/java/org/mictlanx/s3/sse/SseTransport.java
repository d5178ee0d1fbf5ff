package org.mictlanx.s3.sse;

import java.util.List;
import java.util.Map;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;

/**
 * S3 accepts customer keys only over TLS: a request carrying any SSE-C header over plain HTTP is
 * 400 InvalidRequest, before any body byte is read, unless the setting
 * {@code sse-customer-keys-over-http} allows it (tests, or a TLS-terminating proxy in front).
 */
public final class SseTransport {

    private final boolean allowPlainHttp;
    private final String region;

    /** @param region this store's region, for the KMS key ARNs policies compare against */
    public SseTransport(boolean allowPlainHttp, String region) {
        this.allowPlainHttp = allowPlainHttp;
        this.region = region;
    }

    /**
     * {@code headers} with {@code x-amz-server-side-encryption-aws-kms-key-id} as the key's ARN when the
     * request gives a plain key id, so the policy condition key
     * {@code s3:x-amz-server-side-encryption-aws-kms-key-id} is always the ARN, the form AWS policies use;
     * anything else (an ARN, an alias, a malformed id the handler refuses) is left as given.
     */
    public Map<String, List<String>> withKmsKeyArn(Map<String, List<String>> headers) {
        List<String> id = headers.get(KmsBalls.KEY_ID_HEADER);
        if (id == null || id.size() != 1 || !id.get(0).strip().matches("[A-Za-z0-9-]{1,64}")) {
            return headers;
        }
        Map<String, List<String>> out = new java.util.LinkedHashMap<>(headers);
        out.put(KmsBalls.KEY_ID_HEADER, List.of(KmsBalls.arn(region, id.get(0).strip())));
        return out;
    }

    /** @param headers lower-case names (presigned query {@code x-amz-*} parameters included) */
    public void check(Map<String, List<String>> headers, boolean secure) {
        if (secure || allowPlainHttp) {
            return;
        }
        for (String name : headers.keySet()) {
            if (name.startsWith(CustomerKeyHeaders.PREFIX) || name.startsWith(CustomerKeyHeaders.COPY_SOURCE_PREFIX)) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Requests specifying Server Side Encryption with"
                        + " Customer provided keys must be made over a secure connection.");
            }
        }
    }
}
