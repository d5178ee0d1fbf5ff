package org.mictlanx.sdk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client-side encryption of one ball, format {@value #ALGORITHM}: framed AES-256-GCM. The ball's
 * chunks (one per part) are cut into frames of 64 KiB plaintext as laid out by {@link FrameLayout};
 * each frame is its own GCM message:
 * <ul>
 *   <li><b>nonce</b> = the ball's random 96-bit IV XOR ({@code chunk index} as 8 big-endian bytes ||
 *       {@code frame index} as 4 big-endian bytes). Distinct (chunk, frame) pairs of a ball give distinct
 *       nonces, and every ball draws a fresh IV, so no nonce repeats under a key except with the
 *       negligible probability of two random IVs landing within one ball's span of each other (the same
 *       bound as random-IV GCM counted per frame, as in TLS 1.3's per-record nonces).</li>
 *   <li><b>AAD</b> = {@value #ALGORITHM} (ASCII) || ball IV (12) || chunk size (4) || chunk index (8) ||
 *       frame index (4) || final flag (1: set only on the last frame of the ball's last chunk). A frame
 *       therefore authenticates only at its own position of its own ball: frames cannot be reordered,
 *       spliced between chunks or balls, dropped, or cut off at the end (the new last frame would lack
 *       the final flag; the plaintext size is derived from the stored size).</li>
 * </ul>
 * A whole ball can still be replaced by another ball sealed with the same key (for example an older
 * version): encryption authenticates a ball's content, not its name. Each GCM call covers at most
 * 64 KiB, which keeps the JDK's AES-GCM on its intrinsic fast path (see docs/architecture.md), and one
 * {@link Cipher} is reused (re-initialised) for all frames of a chunk. Immutable and thread-safe.
 */
final class BallCipher {

    /** The format name recorded in a ball's metadata. */
    static final String ALGORITHM = "AES256GCM-F64K-v2";
    static final int IV = 12;
    private static final byte[] ALGORITHM_BYTES = ALGORITHM.getBytes(StandardCharsets.US_ASCII);
    private static final int AAD = ALGORITHM_BYTES.length + IV + 4 + 8 + 4 + 1;

    private final String keyId;
    private final SecretKeySpec key;
    private final byte[] iv;
    private final FrameLayout layout;

    BallCipher(String keyId, SecretKeySpec key, byte[] iv, FrameLayout layout) {
        this.keyId = keyId;
        this.key = key;
        this.iv = iv.clone();
        this.layout = layout;
    }

    FrameLayout layout() {
        return layout;
    }

    String keyId() {
        return keyId;
    }

    /** The ball IV as recorded in metadata (hex). */
    String ivHex() {
        return HexFormat.of().formatHex(iv);
    }

    /**
     * Seals the first {@code length} bytes of {@code plain} as chunk {@code chunk} of the ball;
     * {@code lastChunk} marks the ball's last chunk. Returns the stored chunk.
     */
    byte[] seal(byte[] plain, int length, long chunk, boolean lastChunk) {
        int frames = FrameLayout.frames(length);
        byte[] out = new byte[FrameLayout.storedLength(length)];
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            for (int f = 0; f < frames; f++) {
                int off = f * FrameLayout.FRAME;
                init(c, Cipher.ENCRYPT_MODE, chunk, f, lastChunk && f == frames - 1);
                c.doFinal(plain, off, Math.min(FrameLayout.FRAME, length - off), out, f * FrameLayout.STORED_FRAME);
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new EncryptionException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Opens the frames of {@code span} from {@code stored[storedOffset ..]} (exactly
     * {@code span.storedLength()} bytes) into {@code out[outOffset ..]}; returns the plaintext length.
     * {@link EncryptionException} when any frame fails authentication (wrong key or tampered bytes).
     */
    int open(FrameLayout.Span span, byte[] stored, int storedOffset, byte[] out, int outOffset, String where) {
        int in = storedOffset;
        int end = storedOffset + span.storedLength();
        int written = 0;
        int f = span.firstFrame();
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            for (; in < end; f++) {
                int n = Math.min(FrameLayout.STORED_FRAME, end - in);
                init(c, Cipher.DECRYPT_MODE, span.chunk(), f, span.lastChunk() && f == span.chunkFrames() - 1);
                written += c.doFinal(stored, in, n, out, outOffset + written);
                in += n;
            }
            return written;
        } catch (AEADBadTagException e) {
            throw new EncryptionException("cannot decrypt frame " + f + " of chunk " + span.chunk() + " of " + where
                    + " with key id '" + keyId + "': wrong key or tampered ciphertext", e);
        } catch (GeneralSecurityException e) {
            throw new EncryptionException("AES-GCM decryption of " + where + " failed", e);
        }
    }

    private void init(Cipher c, int mode, long chunk, int frame, boolean last) throws GeneralSecurityException {
        byte[] nonce = iv.clone();
        for (int i = 0; i < 8; i++) {
            nonce[i] ^= (byte) (chunk >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            nonce[8 + i] ^= (byte) (frame >>> (24 - 8 * i));
        }
        c.init(mode, key, new GCMParameterSpec(FrameLayout.TAG * 8, nonce));
        c.updateAAD(ByteBuffer.allocate(AAD).put(ALGORITHM_BYTES).put(iv).putInt(layout.chunkSize()).putLong(chunk)
                .putInt(frame).put((byte) (last ? 1 : 0)).array());
    }
}
