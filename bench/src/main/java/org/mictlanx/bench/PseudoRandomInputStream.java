package org.mictlanx.bench;

import java.io.InputStream;

/**
 * A deterministic stream of {@code length} pseudo-random bytes: byte {@code i} is byte {@code i % 8}
 * (little-endian) of SplitMix64's output for {@code seed + i / 8}, so any two streams with the same seed
 * and length are equal, and nothing is held in memory beyond the current 8 bytes.
 */
public final class PseudoRandomInputStream extends InputStream {

    private final long seed;
    private final long length;
    private long position;

    public PseudoRandomInputStream(long seed, long length) {
        if (length < 0) throw new IllegalArgumentException("negative length");
        this.seed = seed;
        this.length = length;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private byte at(long pos) {
        return (byte) (mix(seed + (pos >>> 3) * 0x9e3779b97f4a7c15L) >>> ((pos & 7) * 8));
    }

    @Override
    public int read() {
        if (position >= length) return -1;
        return at(position++) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (position >= length) return -1;
        int n = (int) Math.min(len, length - position);
        int i = 0;
        while (i < n && (position & 7) != 0) b[off + i++] = at(position++);
        while (n - i >= 8) {
            long v = mix(seed + (position >>> 3) * 0x9e3779b97f4a7c15L);
            for (int k = 0; k < 8; k++) b[off + i + k] = (byte) (v >>> (k * 8));
            i += 8;
            position += 8;
        }
        while (i < n) b[off + i++] = at(position++);
        return n;
    }

    @Override
    public long skip(long n) {
        long s = Math.max(0, Math.min(n, length - position));
        position += s;
        return s;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, length - position);
    }
}
