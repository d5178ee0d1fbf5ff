package org.mictlanx.s3;

import org.mictlanx.xolo.sigv2.SigV2Verifier;
import org.mictlanx.xolo.sigv4.AuthResult;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Verifier;

/**
 * Authenticates a request as it arrived; throws {@link org.mictlanx.xolo.sigv4.SigV4Exception} with the
 * precise reason. Production code passes {@code sigV4Verifier::verify} (see {@link #sigV4}).
 */
@FunctionalInterface
public interface Authenticator {

    AuthResult authenticate(SigV4Request request);

    static Authenticator sigV4(SigV4Verifier verifier) {
        return verifier::verify;
    }

    /**
     * Signature Version 4, and Version 2 for requests signed with it ({@code Authorization: AWS ...} or
     * {@code AWSAccessKeyId}/{@code Signature} query auth). Without V2 (setting {@code sigv2=false}) use
     * {@link #sigV4}, which refuses V2 requests with S3's "please use AWS4-HMAC-SHA256".
     */
    static Authenticator withSigV2(SigV4Verifier v4, SigV2Verifier v2) {
        return request -> SigV2Verifier.isSigV2(request) ? v2.verify(request) : v4.verify(request);
    }
}
