package org.mictlanx.sdk;

/**
 * Where the bytes of a client-side encrypted ball lie (format {@link BallCipher#ALGORITHM}). The
 * plaintext is cut into chunks of {@code chunkSize} bytes (the last may be shorter; an empty ball has
 * one empty chunk); each chunk is cut into frames of {@link #FRAME} plaintext bytes (the last may be
 * shorter; an empty chunk has one empty frame), and each frame is stored as its ciphertext followed by
 * its 16-byte GCM tag. So a stored chunk of {@code P} plaintext bytes is
 * {@code P + 16 * max(1, ceil(P / 65536))} bytes, chunk {@code c} starts at stored offset
 * {@code c * storedChunk()}, and frame {@code f} of it {@link #STORED_FRAME}{@code  * f} bytes later:
 * every plaintext range maps to a contiguous stored range of whole frames. Pure arithmetic; immutable.
 *
 * @param chunkSize plaintext bytes per chunk (the ball's part size when it was put), at least one frame
 */
record FrameLayout(int chunkSize) {

    /** Plaintext bytes per frame. */
    static final int FRAME = 64 << 10;
    /** GCM tag bytes per frame. */
    static final int TAG = 16;
    /** Stored bytes of a full frame. */
    static final int STORED_FRAME = FRAME + TAG;

    /** Validates the chunk size. */
    FrameLayout {
        if (chunkSize < FRAME) {
            throw new IllegalArgumentException("an encrypted chunk holds at least one full frame: " + chunkSize);
        }
    }

    /** Frames of a chunk of {@code plain} plaintext bytes (one for an empty chunk). */
    static int frames(int plain) {
        return plain == 0 ? 1 : (int) ((plain + (long) FRAME - 1) / FRAME);
    }

    /** Stored bytes of a chunk of {@code plain} plaintext bytes. */
    static int storedLength(int plain) {
        return plain + TAG * frames(plain);
    }

    /** Stored bytes of a full chunk. */
    long storedChunk() {
        return storedLength(chunkSize);
    }

    /** Stored size of a ball of {@code plain} plaintext bytes. */
    long storedSize(long plain) {
        long full = plain / chunkSize;
        int rest = (int) (plain % chunkSize);
        return full * storedChunk() + (rest > 0 || full == 0 ? storedLength(rest) : 0);
    }

    /**
     * Plaintext size of a ball stored as {@code stored} bytes; {@link EncryptionException} when no ball
     * in this layout has that stored size (a truncated or padded ball).
     */
    long plainSize(long stored, String where) {
        long full = storedChunk();
        long chunks = stored <= 0 ? 0 : (stored + full - 1) / full;
        long lastStored = stored - (chunks - 1) * full;
        long lastFrames = chunks == 0 ? 0 : (lastStored + STORED_FRAME - 1) / STORED_FRAME;
        long lastPlain = lastStored - TAG * lastFrames;
        boolean valid = chunks > 0 && lastPlain >= 0 && lastPlain <= chunkSize
                && (lastFrames == 1 ? chunks == 1 || lastPlain > 0 : lastPlain > (lastFrames - 1) * FRAME);
        if (!valid) {
            throw new EncryptionException(where + " has a stored size of " + stored
                    + " bytes, which no ball encrypted in chunks of " + chunkSize + " bytes has (truncated?)", null);
        }
        return (chunks - 1) * chunkSize + lastPlain;
    }

    /**
     * The whole frames of chunk {@code chunk} covering plaintext bytes {@code [from, to)} of the ball
     * (both inside that chunk, {@code from <= to}), in a ball of {@code plainSize} plaintext bytes.
     */
    Span span(long chunk, long from, long to, long plainSize) {
        long chunkStart = chunk * chunkSize;
        int chunkPlain = (int) Math.min(chunkSize, plainSize - chunkStart);
        int firstFrame = (int) ((from - chunkStart) / FRAME);
        int lastFrame = to == from ? firstFrame : (int) ((to - 1 - chunkStart) / FRAME);
        int frames = frames(chunkPlain);
        long storedStart = chunk * storedChunk() + (long) firstFrame * STORED_FRAME;
        long framesEnd = chunk * storedChunk() + (long) (lastFrame + 1) * STORED_FRAME;
        long chunkEnd = chunk * storedChunk() + storedLength(chunkPlain);
        boolean lastChunk = chunkStart + chunkPlain == plainSize;
        return new Span(chunk, firstFrame, lastFrame - firstFrame + 1, frames, lastChunk, storedStart,
                (int) (Math.min(framesEnd, chunkEnd) - storedStart), chunkStart + (long) firstFrame * FRAME);
    }

    /**
     * Frames {@code [firstFrame, firstFrame + frameCount)} of a chunk with {@code chunkFrames} frames,
     * stored at {@code [storedStart, storedStart + storedLength)}, holding plaintext from ball offset
     * {@code plainStart}; {@code lastChunk} marks the ball's last chunk (whose last frame is the final one).
     */
    record Span(long chunk, int firstFrame, int frameCount, int chunkFrames, boolean lastChunk, long storedStart,
                int storedLength, long plainStart) {

        /** Plaintext bytes these frames hold. */
        int plainLength() {
            return storedLength - TAG * frameCount;
        }
    }
}
