package org.mictlanx.xolo.identity;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * An access key pair. Generated ids are 20 upper-case alphanumerics starting with {@code MX};
 * generated secrets are 40 characters of {@code A-Z a-z 0-9 + /}, like AWS's. {@link #toString()}
 * never shows the secret.
 */
public record Credentials(String accessKeyId, String secretKey) {

    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /** What an access key id given by an operator may look like (AWS allows 16 to 128). */
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_.\\-]{3,128}");

    public Credentials {
        if (accessKeyId == null || !VALID_ID.matcher(accessKeyId).matches()) {
            throw new IllegalArgumentException("an access key id must be 3 to 128 of A-Z a-z 0-9 _ . -");
        }
        if (secretKey == null || secretKey.length() < 8 || secretKey.length() > 128 || secretKey.isBlank()) {
            throw new IllegalArgumentException("a secret key must be 8 to 128 characters");
        }
    }

    public static Credentials generate(SecureRandom random) {
        return new Credentials("MX" + pick(random, ID_ALPHABET, 18), pick(random, SECRET_ALPHABET, 40));
    }

    private static String pick(SecureRandom random, String alphabet, int n) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "Credentials[accessKeyId=" + accessKeyId + ", secretKey=****]";
    }
}
