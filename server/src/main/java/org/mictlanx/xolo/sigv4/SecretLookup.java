package org.mictlanx.xolo.sigv4;

import java.util.Optional;

/** Finds the secret access key of an access key id; empty when the key id is unknown or disabled. */
@FunctionalInterface
public interface SecretLookup {
    Optional<String> secretFor(String accessKeyId);
}
