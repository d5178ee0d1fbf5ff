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

    public SseTransport(boolean allowPlainHttp) {
        this.allowPlainHttp = allowPlainHttp;
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
