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

    private final SecretKeySpec key;
    private final Clock clock;

    public RequestSigner(String secret, Clock clock) {
        if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("cluster secret required");
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    public RequestSigner(String secret) {
        this(secret, Clock.systemUTC());
    }

    public long now() {
        return clock.millis();
    }

    public static String crcHex(int crc32c) {
        return String.format("%08x", crc32c);
    }

    /** Parses an 8-digit lowercase or uppercase hex CRC32C; BAD_REQUEST otherwise. */
    public static int parseCrcHex(String hex) {
        if (hex == null || hex.length() != 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new PeerException(PeerException.Kind.BAD_REQUEST, "malformed " + BODY_CRC);
        }
        return Integer.parseUnsignedInt(hex, 16);
    }

    public String sign(String method, String path, String rawQuery, long dateMillis, String bodyCrcHex) {
        String toSign = method + "\n" + path + "\n" + (rawQuery == null ? "" : rawQuery) + "\n" + dateMillis + "\n" + bodyCrcHex;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
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
