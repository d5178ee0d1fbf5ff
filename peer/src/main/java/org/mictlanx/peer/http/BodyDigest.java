package org.mictlanx.peer.http;

import org.mictlanx.peer.api.PeerException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The cryptographic digest of a request or response body that the peer protocol signs, computed
 * incrementally as the body passes (no second pass). Its value names its algorithm:
 * <ul>
 *   <li>{@code sha256=HEX} — SHA-256 of the body (the JDK's SHA-NI/AVX2 intrinsic; ~1.4 GiB/s per
 *       core measured): used for bodies under {@link #GCM_MIN_BYTES}, where it is cheaper than a key
 *       setup;</li>
 *   <li>{@code aes-gcm=HEX} — the 128-bit AES-256-GCM tag of the body (the ciphertext is discarded)
 *       under a one-time key {@code HMAC-SHA256(clusterSecret, "MX2-BODY\n" + direction + "\n" + nonce)}
 *       and a zero IV: a MAC keyed by the cluster secret, unique per request nonce and direction, on the
 *       JDK's AES-GCM intrinsic (6–11 GiB/s per core measured, 5–8× SHA-256): used for larger bodies
 *       (chunks).</li>
 * </ul>
 * Each one-time key tags one body: the sender's; a verifier recomputes it over what it received and
 * only compares (it never reveals a tag), and nonces are not accepted twice. Not thread-safe.
 */
public final class BodyDigest {
    /** Bodies of at least this many bytes are tagged with AES-GCM, smaller ones hashed with SHA-256. */
    public static final int GCM_MIN_BYTES = 64 << 10;
    static final String SHA256 = "sha256=";
    static final String GCM = "aes-gcm=";
    /** Bytes per Cipher call: short calls keep the AES-GCM intrinsic compiled (see ChunkCipher). */
    private static final int SLICE = 64 << 10;
    private static final HexFormat HEX = HexFormat.of();

    /** Which body: the request's (client → peer) or the response's (peer → client). */
    public enum Direction {
        REQUEST, RESPONSE
    }

    private final MessageDigest sha;
    private final Cipher gcm;
    private final byte[] out;
    private byte[] in;

    private BodyDigest(MessageDigest sha, Cipher gcm) {
        this.sha = sha;
        this.gcm = gcm;
        this.out = gcm == null ? null : new byte[SLICE + 32];
    }

    /** A digest of the algorithm a sender uses for a body of {@code length} bytes. */
    static BodyDigest forLength(RequestSigner signer, String nonce, Direction direction, long length) {
        return length >= GCM_MIN_BYTES ? gcm(signer, nonce, direction) : new BodyDigest(RequestSigner.sha256(), null);
    }

    /** A digest of the algorithm {@code declared} names; FORBIDDEN when it names none (it is a signed header). */
    static BodyDigest forDeclared(RequestSigner signer, String nonce, Direction direction, String declared) {
        if (declared != null && declared.startsWith(SHA256) && isLowerHex(declared, SHA256.length(), 64)) {
            return new BodyDigest(RequestSigner.sha256(), null);
        }
        if (declared != null && declared.startsWith(GCM) && isLowerHex(declared, GCM.length(), 32)) {
            return gcm(signer, nonce, direction);
        }
        throw new PeerException(PeerException.Kind.FORBIDDEN, "malformed " + RequestSigner.BODY_DIGEST);
    }

    private static BodyDigest gcm(RequestSigner signer, String nonce, Direction direction) {
        byte[] key = signer.mac(("MX2-BODY\n" + direction.name() + "\n" + nonce).getBytes(StandardCharsets.US_ASCII));
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, new byte[12]));
            return new BodyDigest(null, c);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public void update(byte[] b, int off, int len) {
        if (sha != null) {
            sha.update(b, off, len);
            return;
        }
        for (int done = 0; done < len; ) {
            int n = Math.min(SLICE, len - done);
            try {
                gcm.update(b, off + done, n, out, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM failed", e);
            }
            done += n;
        }
    }

    /** Consumes nothing: reads {@code src}'s remaining bytes without moving its position. */
    public void update(ByteBuffer src) {
        if (src.hasArray()) {
            update(src.array(), src.arrayOffset() + src.position(), src.remaining());
            return;
        }
        if (sha != null) {
            sha.update(src.duplicate());
            return;
        }
        if (in == null) in = new byte[SLICE];
        ByteBuffer d = src.duplicate();
        while (d.hasRemaining()) {
            int n = Math.min(in.length, d.remaining());
            d.get(in, 0, n);
            update(in, 0, n);
        }
    }

    /** The value ({@code sha256=HEX} or {@code aes-gcm=HEX}); ends the digest. */
    public String value() {
        if (sha != null) return SHA256 + HEX.formatHex(sha.digest());
        try {
            int n = gcm.doFinal(out, 0);
            return GCM + HEX.formatHex(out, n - 16, n);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /** Whether the digest of what was read equals {@code declared} (constant time); ends the digest. */
    public boolean matches(String declared) {
        return MessageDigest.isEqual(value().getBytes(StandardCharsets.US_ASCII), declared.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean isLowerHex(String s, int from, int digits) {
        if (s.length() != from + digits) return false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }
}
