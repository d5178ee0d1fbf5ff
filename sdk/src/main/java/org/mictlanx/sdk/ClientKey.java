package org.mictlanx.sdk;

import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * One client key: makes the {@link BallCipher} of a new ball (fresh random 96-bit ball IV) or of a
 * stored ball (its recorded IV). The key bytes stay in this object and the ciphers it makes.
 * Immutable and thread-safe.
 */
final class ClientKey {

    private final String keyId;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    ClientKey(EncryptionKey key) {
        this.keyId = key.id();
        this.key = new SecretKeySpec(key.bytes(), "AES");
    }

    String keyId() {
        return keyId;
    }

    /** The cipher of a new ball cut into chunks of {@code chunkSize} plaintext bytes, with a fresh random IV. */
    BallCipher newBall(int chunkSize) {
        byte[] iv = new byte[BallCipher.IV];
        random.nextBytes(iv);
        return new BallCipher(keyId, key, iv, new FrameLayout(chunkSize));
    }

    /**
     * The cipher of a stored ball whose metadata records {@code ivHex} and {@code chunkSize}; a missing
     * (null) or malformed IV is an {@link EncryptionException}.
     */
    BallCipher forBall(@Nullable String ivHex, int chunkSize, String where) {
        byte[] iv;
        try {
            iv = HexFormat.of().parseHex(ivHex == null ? "" : ivHex);
        } catch (IllegalArgumentException e) {
            iv = new byte[0];
        }
        if (iv.length != BallCipher.IV || chunkSize < FrameLayout.FRAME) {
            throw new EncryptionException(where + " has no valid encryption IV / chunk size in its metadata", null);
        }
        return new BallCipher(keyId, key, iv, new FrameLayout(chunkSize));
    }
}
