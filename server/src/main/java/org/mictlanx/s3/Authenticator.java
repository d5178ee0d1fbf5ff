package org.mictlanx.s3;

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
}
