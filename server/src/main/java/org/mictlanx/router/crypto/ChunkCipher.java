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
 *   <li>Chunk {@code i} is sealed as frames of {@value #FRAME_BYTES} plaintext bytes (the last may be
 *       shorter; an empty chunk is one empty frame). Frame {@code f} is
 *       {@code GCM(dataKey, nonce = f (4 bytes BE) || i (8 bytes BE))} with AAD
 *       {@code ballId || i || f || last (1 byte)} and is stored as its ciphertext followed by its
 *       16-byte tag. The nonce is unique because the key is unique per ball and (chunk, frame) per
 *       frame; the AAD stops frames and chunks from being swapped, moved between balls, reordered or
 *       truncated (only the true last frame carries {@code last = 1}).
 * </ul>
 */
public final class ChunkCipher {

    public static final int TAG_BYTES = 16;
    /**
     * Plaintext bytes per GCM frame. Small frames keep every Cipher call short, which is what lets the
     * JVM compile the AES-GCM intrinsic: one call over megabytes runs the Java fallback at ~60 MiB/s
     * (measured), 64 KiB calls run at several GiB/s.
     */
    public static final int FRAME_BYTES = 64 * 1024;
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
        return wrapWith(keys.key(keyId), keyId, ballId, dataKey);
    }

    /**
     * Wraps {@code dataKey} under {@code kek} (a master key or a key-encryption key derived from a
     * customer's key), with AAD bound to {@code keyId} and {@code ballId}.
     */
    public byte[] wrapWith(SecretKey kek, String keyId, String ballId, SecretKey dataKey) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(wrapAad(keyId, ballId));
            byte[] ct = c.doFinal(dataKey.getEncoded());
            return ByteBuffer.allocate(NONCE_BYTES + ct.length).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public SecretKey unwrap(MasterKeys keys, String keyId, String ballId, byte[] wrapped) throws AEADBadTagException {
        return unwrapWith(keys.key(keyId), keyId, ballId, wrapped);
    }

    /** Unwraps what {@link #wrapWith} wrapped; AEADBadTagException for a wrong key or a damaged wrap. */
    public SecretKey unwrapWith(SecretKey kek, String keyId, String ballId, byte[] wrapped) throws AEADBadTagException {
        if (wrapped.length < NONCE_BYTES + TAG_BYTES) throw new AEADBadTagException("wrapped key too short");
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            c.updateAAD(wrapAad(keyId, ballId));
            return new SecretKeySpec(c.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES), "AES");
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * Stored (sealed) length of a chunk of {@code plainLength} bytes: the plaintext plus one tag per
     * frame.
     */
    public static long sealedLength(long plainLength) {
        return plainLength + (long) TAG_BYTES * frames(plainLength);
    }

    /** Frames of a chunk of {@code plainLength} bytes: at least one, so an empty chunk still has a tag. */
    static long frames(long plainLength) {
        return Math.max(1, (plainLength + FRAME_BYTES - 1) / FRAME_BYTES);
    }

    /**
     * Seals {@code plain[off, off+len)} as chunk {@code index}: consecutive frames of
     * {@value #FRAME_BYTES} plaintext bytes (the last may be shorter), each {@code ciphertext || tag}.
     */
    public byte[] encrypt(SecretKey dataKey, String ballId, long index, byte[] plain, int off, int len) {
        long frames = frames(len);
        byte[] out = new byte[Math.toIntExact(sealedLength(len))];
        byte[] aad = chunkAad(ballId, index);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            int in = off;
            int at = 0;
            for (int f = 0; f < frames; f++) {
                int n = Math.min(FRAME_BYTES, off + len - in);
                boolean last = f == frames - 1;
                c.init(Cipher.ENCRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, nonce(index, f)));
                c.updateAAD(frameAad(aad, f, last));
                at += c.doFinal(plain, in, n, out, at);
                in += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * Authenticates and decrypts chunk {@code index} (the output of {@link #encrypt}); throws
     * AEADBadTagException on any tampering, including frames reordered, dropped, truncated or moved
     * from another chunk or ball.
     */
    public byte[] decrypt(SecretKey dataKey, String ballId, long index, byte[] sealed) throws AEADBadTagException {
        return decrypt(dataKey, ballId, index, sealed, 0, sealed.length);
    }

    /** As {@link #decrypt(SecretKey, String, long, byte[])} for the sealed chunk {@code sealed[off, off+len)}. */
    public byte[] decrypt(SecretKey dataKey, String ballId, long index, byte[] sealed, int off, int len)
            throws AEADBadTagException {
        byte[] plain = new byte[plainLength(sealed, off, len)];
        open(dataKey, ballId, index, sealed, off, len, plain, 0);
        return plain;
    }

    /**
     * As {@link #decrypt(SecretKey, String, long, byte[], int, int)}, writing the plaintext over the sealed
     * bytes: it ends at {@code sealed[off, off + plainLength)} (returned). Each frame's plaintext lands
     * before or on its own ciphertext, which AES-GCM decryption handles in place; this spares a chunk-sized
     * allocation per chunk read. On AEADBadTagException the range holds garbage: the caller must drop it.
     */
    public int decryptInPlace(SecretKey dataKey, String ballId, long index, byte[] sealed, int off, int len)
            throws AEADBadTagException {
        int plainLength = plainLength(sealed, off, len);
        open(dataKey, ballId, index, sealed, off, len, sealed, off);
        return plainLength;
    }

    /**
     * As {@link #decryptInPlace(SecretKey, String, long, byte[], int, int)} for the sealed chunk in
     * {@code sealed} from its position to its limit (a heap buffer as an in-process peer lends it, whose
     * array the JDK's AES-GCM intrinsic runs on, or a direct one): the plaintext ends at the position, the
     * limit is set to its end, and its length returned.
     * Frame by frame in place, in ascending order (each frame's plaintext lands on or before its own
     * ciphertext, after the previous frame was read, which the JDK's AES-GCM handles without a copy); on
     * AEADBadTagException the buffer holds garbage.
     */
    public int decryptInPlace(SecretKey dataKey, String ballId, long index, ByteBuffer sealed) throws AEADBadTagException {
        return decryptInPlace(dataKey, ballId, index, sealed, 0, Integer.MAX_VALUE);
    }

    /**
     * As {@link #decryptInPlace(SecretKey, String, long, ByteBuffer)}, authenticating and decrypting only the
     * frames that hold plaintext bytes {@code [from, to)} of the chunk (a ranged read; {@code to} beyond the
     * end means to the end): those bytes are then valid at {@code position + from} to {@code position + to};
     * the bytes of the other frames are neither authenticated nor plaintext, and must never be served.
     * Returns the chunk's whole plaintext length (from the sealed length).
     */
    public int decryptInPlace(SecretKey dataKey, String ballId, long index, ByteBuffer sealed, int from, int to)
            throws AEADBadTagException {
        int off = sealed.position(), len = sealed.remaining();
        int plainLength = plainLength(len);
        long frames = frames(plainLength);
        int first = (int) Math.min(frames - 1, Math.max(0, from) / FRAME_BYTES);
        int last = (int) Math.min(frames - 1, Math.max(Math.max(0, from), to - 1) / FRAME_BYTES);
        byte[] aad = chunkAad(ballId, index);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            for (int f = first; f <= last; f++) {
                int in = off + f * (FRAME_BYTES + TAG_BYTES);
                int n = Math.min(FRAME_BYTES + TAG_BYTES, off + len - in);
                c.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, nonce(index, f)));
                c.updateAAD(frameAad(aad, f, f == frames - 1));
                c.doFinal(sealed.slice(in, n), sealed.slice(off + f * FRAME_BYTES, n));
            }
            sealed.limit(off + plainLength);
            return plainLength;
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plaintext length of the sealed chunk {@code sealed[off, off+len)}; AEADBadTagException when no chunk seals to {@code len}. */
    private static int plainLength(byte[] sealed, int off, int len) throws AEADBadTagException {
        java.util.Objects.checkFromIndexSize(off, len, sealed.length);
        return plainLength(len);
    }

    /** The plaintext length of a sealed chunk of {@code len} bytes; AEADBadTagException when no chunk seals to it. */
    private static int plainLength(int len) throws AEADBadTagException {
        long frames = Math.max(1, ((long) len + FRAME_BYTES + TAG_BYTES - 1) / (FRAME_BYTES + TAG_BYTES));
        long plainLength = len - frames * TAG_BYTES;
        if (plainLength < 0 || sealedLength(plainLength) != len) {
            throw new AEADBadTagException("chunk of " + len + " bytes is not a sealed chunk");
        }
        return (int) plainLength;
    }

    /** Authenticates and decrypts each frame of {@code sealed[off, off+len)} into {@code out} from {@code outOff}. */
    private void open(SecretKey dataKey, String ballId, long index, byte[] sealed, int off, int len, byte[] out, int outOff)
            throws AEADBadTagException {
        long frames = frames(plainLength(sealed, off, len));
        byte[] aad = chunkAad(ballId, index);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            int in = off;
            int at = outOff;
            for (int f = 0; f < frames; f++) {
                int n = Math.min(FRAME_BYTES + TAG_BYTES, off + len - in);
                c.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, nonce(index, f)));
                c.updateAAD(frameAad(aad, f, f == frames - 1));
                at += c.doFinal(sealed, in, n, out, at);
                in += n;
            }
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static byte[] nonce(long index, int frame) {
        return ByteBuffer.allocate(NONCE_BYTES).putInt(frame).putLong(index).array();
    }

    private static byte[] chunkAad(String ballId, long index) {
        byte[] id = ballId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(id.length + 8 + 5).put(id).putLong(index).array();
    }

    /** The chunk AAD with its last five bytes set to the frame index and the final-frame flag. */
    private static byte[] frameAad(byte[] chunkAad, int frame, boolean last) {
        ByteBuffer.wrap(chunkAad, chunkAad.length - 5, 5).putInt(frame).put((byte) (last ? 1 : 0));
        return chunkAad;
    }

    private static byte[] wrapAad(String keyId, String ballId) {
        return ("mx-dk" + keyId + "/" + ballId).getBytes(StandardCharsets.UTF_8);
    }
}
