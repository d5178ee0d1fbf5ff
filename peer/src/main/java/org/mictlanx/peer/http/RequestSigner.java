package org.mictlanx.peer.http;

import org.mictlanx.peer.api.PeerException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * HMAC-SHA256 request signatures between routers and peers, used by both server and client.
 *
 * <p>String to sign: {@code METHOD \n rawPath \n rawQuery \n dateMillis \n bodyCrc32cHex}. The body
 * checksum header is signed, and the server checks the body against it, so path, query, time and
 * body are all covered. A request is rejected with UNAUTHORIZED when a header is missing and with
 * FORBIDDEN when the signature is wrong or the date is more than {@link #MAX_SKEW} from the
 * verifier's clock.
 */
public final class RequestSigner {
    public static final String DATE = "X-Mx-Date";
    public static final String BODY_CRC = "X-Mx-Body-Crc32c";
    public static final String SIGNATURE = "X-Mx-Signature";
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private static final HexFormat HEX = HexFormat.of();

    /** Initialised with the key and never used directly: each signature runs on a clone (no provider lookup or key setup). */
    private final Mac prototype;
    private final Clock clock;

    public RequestSigner(String secret, Clock clock) {
        if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("cluster secret required");
        try {
            this.prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            prototype.clone();
        } catch (GeneralSecurityException | CloneNotSupportedException e) {
            throw new IllegalStateException("cloneable HmacSHA256 unavailable", e);
        }
        this.clock = clock;
    }

    public RequestSigner(String secret) {
        this(secret, Clock.systemUTC());
    }

    public long now() {
        return clock.millis();
    }

    /** The CRC32C as 8 lowercase hex digits. */
    public static String crcHex(int crc32c) {
        return HEX.toHexDigits(crc32c);
    }

    /** Parses an 8-digit lowercase or uppercase hex CRC32C; BAD_REQUEST otherwise. */
    public static int parseCrcHex(String hex) {
        if (hex == null || hex.length() != 8) throw new PeerException(PeerException.Kind.BAD_REQUEST, "malformed " + BODY_CRC);
        int v = 0;
        for (int i = 0; i < 8; i++) {
            char c = hex.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) throw new PeerException(PeerException.Kind.BAD_REQUEST, "malformed " + BODY_CRC);
            v = (v << 4) | d;
        }
        return v;
    }

    public String sign(String method, String path, String rawQuery, long dateMillis, String bodyCrcHex) {
        String toSign = method + "\n" + path + "\n" + (rawQuery == null ? "" : rawQuery) + "\n" + dateMillis + "\n" + bodyCrcHex;
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 not cloneable", e);
        }
        return HEX.formatHex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    }

    /** Throws UNAUTHORIZED (missing headers) or FORBIDDEN (bad signature, stale or malformed date). */
    public void verify(String method, String path, String rawQuery, String date, String bodyCrcHex, String signature) {
        if (date == null || bodyCrcHex == null || signature == null) {
            throw new PeerException(PeerException.Kind.UNAUTHORIZED, "request is not signed");
        }
        long millis;
        try {
            millis = Long.parseLong(date);
        } catch (NumberFormatException e) {
            throw new PeerException(PeerException.Kind.FORBIDDEN, "malformed " + DATE);
        }
        if (Math.abs(clock.millis() - millis) > MAX_SKEW.toMillis()) {
            throw new PeerException(PeerException.Kind.FORBIDDEN, "request date is more than 5 minutes off");
        }
        byte[] expected = sign(method, path, rawQuery, millis, bodyCrcHex).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new PeerException(PeerException.Kind.FORBIDDEN, "signature does not match");
        }
    }
}
