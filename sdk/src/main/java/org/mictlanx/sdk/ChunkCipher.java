package org.mictlanx.sdk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM per chunk: stored chunk = 12-byte random IV || ciphertext || 16-byte tag. The
 * associated data binds the chunk's index and whether it is the last one, so chunks cannot be
 * reordered, dropped from the end or spliced between positions without failing authentication.
 * A plaintext chunk of {@code P} bytes is stored as {@code P + }{@link #OVERHEAD} bytes. Thread-safe.
 */
final class ChunkCipher {

    static final int IV = 12;
    static final int TAG = 16;
    static final int OVERHEAD = IV + TAG;
    static final String ALGORITHM = "AES256GCM-v1";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EncryptionKey key;

    ChunkCipher(EncryptionKey key) {
        this.key = key;
    }

    String keyId() {
        return key.id();
    }

    byte[] encrypt(byte[] plain, long index, boolean last) {
        byte[] iv = new byte[IV];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = init(Cipher.ENCRYPT_MODE, iv, index, last);
            byte[] out = new byte[IV + plain.length + TAG];
            System.arraycopy(iv, 0, out, 0, IV);
            c.doFinal(plain, 0, plain.length, out, IV);
            return out;
        } catch (GeneralSecurityException e) {
            throw new EncryptionException("AES-GCM encryption failed", e);
        }
    }

    byte[] decrypt(byte[] stored, long index, boolean last, String where) {
        if (stored.length < OVERHEAD) {
            throw new EncryptionException("encrypted chunk " + index + " of " + where + " is truncated", null);
        }
        try {
            Cipher c = init(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(stored, IV), index, last);
            return c.doFinal(stored, IV, stored.length - IV);
        } catch (AEADBadTagException e) {
            throw new EncryptionException("cannot decrypt chunk " + index + " of " + where + " with key id '" + key.id()
                    + "': wrong key or tampered ciphertext", e);
        } catch (GeneralSecurityException e) {
            throw new EncryptionException("AES-GCM decryption failed", e);
        }
    }

    private Cipher init(int mode, byte[] iv, long index, boolean last) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key.bytes(), "AES"), new GCMParameterSpec(TAG * 8, iv));
        c.updateAAD(ByteBuffer.allocate(ALGORITHM.length() + 9).put(ALGORITHM.getBytes(StandardCharsets.US_ASCII))
                .putLong(index).put((byte) (last ? 1 : 0)).array());
        return c;
    }

    /** Plaintext size of a ball stored as {@code stored} bytes in chunks of {@code plainChunk} plaintext bytes. */
    static long plainSize(long stored, int plainChunk) {
        long storedChunk = (long) plainChunk + OVERHEAD;
        long chunks = (stored + storedChunk - 1) / storedChunk;
        return stored - chunks * OVERHEAD;
    }
}
