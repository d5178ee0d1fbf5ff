package org.mictlanx.router.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of balls with AES-256-GCM (the JDK's intrinsified implementation).
 *
 * <ul>
 *   <li>Each ball has a random 256-bit data key, stored only wrapped: {@code nonce(12) || GCM(master,
 *       dataKey)} with AAD {@code "mx-dk" || masterKeyId || ballId}, so a wrapped key can't be moved to
 *       another ball.
 *   <li>Chunk {@code i} is {@code GCM(dataKey, nonce = 0^4 || i (8 bytes BE))} with AAD
 *       {@code ballId || i}: the nonce is unique because the key is unique per ball and the index
 *       per chunk; the AAD stops chunks from being swapped or moved between balls. The stored chunk
 *       is the ciphertext followed by the 16-byte tag.
 * </ul>
 */
public final class ChunkCipher {

    public static final int TAG_BYTES = 16;
    private static final int TAG_BITS = 128;
    private static final int NONCE_BYTES = 12;

    private final SecureRandom random = new SecureRandom();

    /** A fresh random data key. */
    public SecretKey newDataKey() {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return new SecretKeySpec(k, "AES");
    }

    public byte[] wrap(MasterKeys keys, String keyId, String ballId, SecretKey dataKey) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.key(keyId), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(wrapAad(keyId, ballId));
            byte[] ct = c.doFinal(dataKey.getEncoded());
            return ByteBuffer.allocate(NONCE_BYTES + ct.length).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public SecretKey unwrap(MasterKeys keys, String keyId, String ballId, byte[] wrapped) throws AEADBadTagException {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, keys.key(keyId), new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            c.updateAAD(wrapAad(keyId, ballId));
            return new SecretKeySpec(c.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES), "AES");
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Encrypts {@code plain[off, off+len)} as chunk {@code index}; returns ciphertext || tag. */
    public byte[] encrypt(SecretKey dataKey, String ballId, long index, byte[] plain, int off, int len) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, nonce(index)));
            c.updateAAD(chunkAad(ballId, index));
            return c.doFinal(plain, off, len);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Authenticates and decrypts chunk {@code index}; throws AEADBadTagException on any tampering. */
    public byte[] decrypt(SecretKey dataKey, String ballId, long index, byte[] sealed) throws AEADBadTagException {
        if (sealed.length < TAG_BYTES) throw new AEADBadTagException("chunk shorter than its tag");
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, nonce(index)));
            c.updateAAD(chunkAad(ballId, index));
            return c.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static byte[] nonce(long index) {
        return ByteBuffer.allocate(NONCE_BYTES).putInt(0).putLong(index).array();
    }

    private static byte[] chunkAad(String ballId, long index) {
        byte[] id = ballId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(id.length + 8).put(id).putLong(index).array();
    }

    private static byte[] wrapAad(String keyId, String ballId) {
        return ("mx-dk" + keyId + "/" + ballId).getBytes(StandardCharsets.UTF_8);
    }
}
