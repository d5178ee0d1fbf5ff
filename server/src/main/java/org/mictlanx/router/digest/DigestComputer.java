package org.mictlanx.router.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.mictlanx.common.Crc64Nvme;
import org.mictlanx.router.Digest;

/**
 * Computes several digests over one stream of bytes in a single pass. MD5 is always included.
 * Results are raw bytes; CRCs are big-endian (4 bytes for CRC32/CRC32C, 8 for CRC64NVME), the
 * form S3 base64-encodes.
 */
public final class DigestComputer {

    private final Map<Digest, MessageDigest> hashes = new EnumMap<>(Digest.class);
    private final Map<Digest, Checksum> crcs = new EnumMap<>(Digest.class);

    public DigestComputer(Set<Digest> wanted) {
        EnumSet<Digest> all = EnumSet.of(Digest.MD5);
        all.addAll(wanted);
        for (Digest d : all) {
            switch (d) {
                case MD5 -> hashes.put(d, md("MD5"));
                case SHA1 -> hashes.put(d, md("SHA-1"));
                case SHA256 -> hashes.put(d, md("SHA-256"));
                case CRC32 -> crcs.put(d, new CRC32());
                case CRC32C -> crcs.put(d, new CRC32C());
                case CRC64NVME -> crcs.put(d, new Crc64Nvme());
            }
        }
    }

    public void update(byte[] b, int off, int len) {
        for (MessageDigest m : hashes.values()) m.update(b, off, len);
        for (Checksum c : crcs.values()) c.update(b, off, len);
    }

    /** The final digests; the computer must not be used afterwards. */
    public Map<Digest, byte[]> finish() {
        Map<Digest, byte[]> out = new EnumMap<>(Digest.class);
        hashes.forEach((d, m) -> out.put(d, m.digest()));
        crcs.forEach((d, c) -> out.put(d, d == Digest.CRC64NVME
                ? ByteBuffer.allocate(8).putLong(c.getValue()).array()
                : ByteBuffer.allocate(4).putInt((int) c.getValue()).array()));
        return out;
    }

    private static MessageDigest md(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " unavailable", e);
        }
    }
}
