package org.mictlanx.xolo.sigv4;

/**
 * The credential of a signature: {@code AKID/yyyyMMdd/region/service/aws4_request}.
 *
 * @param date yyyyMMdd, as sent; it must equal the date part of the request time
 */
public record CredentialScope(String accessKeyId, String date, String region, String service) {

    public static final String TERMINATOR = "aws4_request";

    /**
     * Parses a credential string; returns null when it does not have the five parts ending in
     * {@code aws4_request} with a non-empty access key, an 8-digit date and a non-empty region.
     * The service is not checked here.
     */
    public static CredentialScope parse(String credential) {
        if (credential == null) {
            return null;
        }
        String[] parts = credential.split("/", -1);
        if (parts.length != 5 || parts[0].isEmpty() || parts[2].isEmpty() || !TERMINATOR.equals(parts[4])) {
            return null;
        }
        if (parts[1].length() != 8 || !parts[1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return new CredentialScope(parts[0], parts[1], parts[2], parts[3]);
    }

    /** The scope line of the string to sign: {@code yyyyMMdd/region/service/aws4_request}. */
    public String scope() {
        return date + "/" + region + "/" + service + "/" + TERMINATOR;
    }
}
