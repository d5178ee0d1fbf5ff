package org.mictlanx.router.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A customer-provided 256-bit key (S3 SSE-C). The store never keeps it: a segment's data key is
 * wrapped under a key-encryption key derived from it with a per-segment salt
 * ({@link #kek}), and a ball keeps only a salted HMAC of it ({@link #verifier}) to recognise the
 * right key before any unwrap. Both derivations are HMAC-SHA256 keyed by the customer key over a
 * distinct label and a fresh random salt (HKDF-Expand with a single block), so neither reveals the
 * key, its MD5, or the other. {@link #toString} never prints the key.
 */
public final class CustomerKey {

    private static final String VERIFIER_PREFIX = "v1.";
    private static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    /** @param key exactly 32 bytes (copied) */
    public CustomerKey(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("a customer key must be 256 bits");
        }
        this.key = key.clone();
    }

    /**
     * The key-wrapping key of an SSE-KMS ball: derived from a key service version's material and the
     * request's encryption context (empty: none), so the same context is needed to read the ball.
     */
    public static CustomerKey ofKms(KeyService.KeyVersion version, String encryptionContext) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(version.material().getEncoded(), "HmacSHA256"));
            mac.update(("mx-kms\u0000" + version.keyId() + "\u0000" + version.version() + "\u0000")
                    .getBytes(StandardCharsets.UTF_8));
            mac.update(encryptionContext == null ? new byte[0] : encryptionContext.getBytes(StandardCharsets.UTF_8));
            return new CustomerKey(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** A fresh random salt for {@link #kek} or {@link #verifier}. */
    static byte[] salt() {
        byte[] s = new byte[SALT_BYTES];
        RANDOM.nextBytes(s);
        return s;
    }

    /** The key-encryption key for segment {@code segmentId} with {@code salt}. */
    SecretKey kek(byte[] salt, String segmentId) {
        return new SecretKeySpec(hmac("mx-ssec-kek", salt, segmentId), "AES");
    }

    /** A fresh salted HMAC of this key: {@code v1.SALT.MAC} (base64url). */
    public String verifier() {
        byte[] salt = salt();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return VERIFIER_PREFIX + b64.encodeToString(salt) + "." + b64.encodeToString(hmac("mx-ssec-check", salt, ""));
    }

    /** Whether {@code verifier} (from {@link #verifier()}) was made from this key; constant time. */
    public boolean matches(String verifier) {
        if (verifier == null || !verifier.startsWith(VERIFIER_PREFIX)) {
            return false;
        }
        int dot = verifier.indexOf('.', VERIFIER_PREFIX.length());
        if (dot < 0) {
            return false;
        }
        try {
            byte[] salt = Base64.getUrlDecoder().decode(verifier.substring(VERIFIER_PREFIX.length(), dot));
            byte[] mac = Base64.getUrlDecoder().decode(verifier.substring(dot + 1));
            return MessageDigest.isEqual(mac, hmac("mx-ssec-check", salt, ""));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Base64 of the key's MD5, as S3's {@code -key-MD5} header carries it (answers only; never stored). */
    public String md5Base64() {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(key));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    private byte[] hmac(String label, byte[] salt, String context) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(label.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(salt);
            mac.update(context.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "CustomerKey[redacted]";
    }
}
