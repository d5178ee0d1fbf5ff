package org.mictlanx.xolo.policy;

/**
 * A policy document that cannot be accepted; the message is S3's {@code MalformedPolicy} message
 * (e.g. "Policy has invalid action"), which the front door and the admin API show as is.
 */
public final class PolicyException extends RuntimeException {

    public PolicyException(String message) {
        super(message);
    }
}
