package org.mictlanx.sdk;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.jspecify.annotations.Nullable;
import org.mictlanx.common.Crc64Nvme;

/**
 * One of the S3 checksum algorithms over a byte sequence, with the raw digest S3 base64-encodes:
 * CRC32 and CRC32C as 4 big-endian bytes, CRC64NVME as 8, SHA1 and SHA256 as their digests.
 * {@link #digest()} returns the value and resets. Not thread-safe.
 */
interface Hasher {

    void update(byte[] b, int off, int len);

    /** The raw checksum of everything since the last digest (or creation); resets. */
    byte[] digest();

    /** A hasher for the S3 algorithm name ({@code CRC32C}, ...), or null when this client does not know it. */
    static @Nullable Hasher of(@Nullable String algorithm) {
        if (algorithm == null) {
            return null;
        }
        return switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "CRC32" -> crc(new CRC32(), 4);
            case "CRC32C" -> crc(new CRC32C(), 4);
            case "CRC64NVME" -> crc(new Crc64Nvme(), 8);
            case "SHA1" -> sha("SHA-1");
            case "SHA256" -> sha("SHA-256");
            default -> null;
        };
    }

    private static Hasher crc(Checksum c, int bytes) {
        return new Hasher() {
            @Override
            public void update(byte[] b, int off, int len) {
                c.update(b, off, len);
            }

            @Override
            public byte[] digest() {
                long v = c.getValue();
                c.reset();
                byte[] out = new byte[bytes];
                for (int i = 0; i < bytes; i++) {
                    out[i] = (byte) (v >>> (8 * (bytes - 1 - i)));
                }
                return out;
            }
        };
    }

    private static Hasher sha(String name) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is missing from this JDK", e);
        }
        return new Hasher() {
            @Override
            public void update(byte[] b, int off, int len) {
                md.update(b, off, len);
            }

            @Override
            public byte[] digest() {
                return md.digest();
            }
        };
    }
}
