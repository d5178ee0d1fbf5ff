package org.mictlanx.peer.http;

import org.mictlanx.peer.api.PeerException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * HMAC-SHA256 authentication of router↔peer traffic with the cluster secret, used by both sides.
 *
 * <p><b>Requests.</b> The signature ({@value #SIGNATURE}, 64 hex digits) is the HMAC of
 * <pre>
 * MX2-HMAC-SHA256 \n METHOD \n rawPath \n rawQuery \n destinationPeerId \n dateMillis \n nonce \n range \n bodyCrc32cHex \n bodyDigest
 * </pre>
 * where the destination ({@value #PEER}), date ({@value #DATE}, epoch milliseconds), nonce
 * ({@value #NONCE}, 32 hex digits from a SecureRandom, fresh per request), body digest
 * ({@value #BODY_DIGEST}, see {@link BodyDigest}: SHA-256 of small bodies, a keyed AES-GCM tag of
 * large ones), the {@code Range} of a chunk read (else empty) and, for chunk puts only,
 * the body CRC32C ({@value #BODY_CRC}, else empty) travel as headers. The peer refuses with UNAUTHORIZED a request without these headers, and with
 * FORBIDDEN one addressed to another peer, dated more than {@link #MAX_SKEW} from its clock, whose
 * signature does not match, or whose nonce it has already seen ({@link ReplayCache}). The body is
 * checked against the signed digest before anything is written (CHECKSUM_MISMATCH otherwise).
 *
 * <p><b>Responses</b> to authenticated requests carry {@value #RESPONSE_SIGNATURE}, the HMAC of
 * <pre>
 * MX2-RESPONSE \n requestSignature \n status \n errorKind \n chunkSize \n chunkCrc32c \n contentRange \n bodyDigest
 * </pre>
 * (absent headers as empty strings; the body digest as for requests, in direction RESPONSE), so a response is bound to its one request (the request
 * signature covers the nonce and the destination) and neither its status, its chunk headers nor its
 * body can be changed or replayed on the way back. Refusals of unauthenticated requests are not
 * signed (the peer has nothing to bind them to).
 */
public final class RequestSigner {
    public static final String DATE = "X-Mx-Date";
    public static final String NONCE = "X-Mx-Nonce";
    public static final String PEER = "X-Mx-Peer";
    public static final String BODY_DIGEST = "X-Mx-Body-Digest";
    public static final String BODY_CRC = "X-Mx-Body-Crc32c";
    public static final String SIGNATURE = "X-Mx-Signature";
    public static final String RESPONSE_SIGNATURE = "X-Mx-Response-Signature";
    public static final String RANGE = "Range";
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** The digest of the empty body. */
    public static final String EMPTY_DIGEST = "sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final HexFormat HEX = HexFormat.of();
    private static final MessageDigest SHA256_PROTOTYPE = sha256Prototype();

    /** Initialised with the key and never used directly: each signature runs on a clone (no provider lookup or key setup). */
    private final Mac prototype;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * What one request's signature covers. {@code range} (the Range header) is empty unless the
     * request is a ranged chunk read, {@code bodyCrc} unless it is a chunk put.
     */
    public record Signed(String method, String path, String query, String peer, long date, String nonce, String range,
                         String bodyCrc, String bodyDigest) {
        public Signed {
            query = query == null ? "" : query;
            range = range == null ? "" : range;
            bodyCrc = bodyCrc == null ? "" : bodyCrc;
        }

        String stringToSign() {
            return "MX2-HMAC-SHA256\n" + method + "\n" + path + "\n" + query + "\n" + peer + "\n" + date + "\n" + nonce + "\n"
                    + range + "\n" + bodyCrc + "\n" + bodyDigest;
        }
    }

    @SuppressWarnings("ReturnValueIgnored") // prototype.clone() only proves the Mac can be cloned
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

    /** The clock dates are made and checked with. */
    public Clock clock() {
        return clock;
    }

    /** A fresh request nonce: 16 random bytes as 32 lowercase hex digits. */
    public String newNonce() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return HEX.formatHex(b);
    }

    /** The description of a new request to {@code peer} with {@code body} (null: none), dated now with a fresh nonce. */
    public Signed newRequest(String method, String path, String query, String peer, String range, String bodyCrc, byte[] body) {
        String nonce = newNonce();
        String digest = body == null ? EMPTY_DIGEST : bodyDigest(nonce, BodyDigest.Direction.REQUEST, body, 0, body.length);
        return new Signed(method, path, query, peer, now(), nonce, range, bodyCrc, digest);
    }

    /** The digest a sender declares for {@code b[off, off + len)}, the body of the request with {@code nonce}, in {@code direction}. */
    public String bodyDigest(String nonce, BodyDigest.Direction direction, byte[] b, int off, int len) {
        if (len == 0) return EMPTY_DIGEST;
        BodyDigest d = BodyDigest.forLength(this, nonce, direction, len);
        d.update(b, off, len);
        return d.value();
    }

    /** An incremental digest to check a received body against {@code declared} ({@link BodyDigest#matches}). */
    public BodyDigest verifierOf(String nonce, BodyDigest.Direction direction, String declared) {
        return BodyDigest.forDeclared(this, nonce, direction, declared);
    }

    /** A fresh SHA-256 (a clone of a prototype: no provider lookup). */
    public static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 not cloneable", e);
        }
    }

    public static String sha256Hex(byte[] b, int off, int len) {
        MessageDigest d = sha256();
        d.update(b, off, len);
        return HEX.formatHex(d.digest());
    }

    public static String sha256Hex(byte[] b) {
        return sha256Hex(b, 0, b.length);
    }

    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
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

    /** The request signature, 64 lowercase hex digits. */
    public String sign(Signed request) {
        return mac(request.stringToSign());
    }

    /** Every authentication header of {@code request}, signature included, as (name, value) to put on the wire. */
    public void headers(Signed request, java.util.function.BiConsumer<String, String> put) {
        put.accept(DATE, Long.toString(request.date()));
        put.accept(NONCE, request.nonce());
        put.accept(PEER, request.peer());
        put.accept(BODY_DIGEST, request.bodyDigest());
        if (!request.range().isEmpty()) put.accept(RANGE, request.range());
        if (!request.bodyCrc().isEmpty()) put.accept(BODY_CRC, request.bodyCrc());
        put.accept(SIGNATURE, sign(request));
    }

    /**
     * Authenticates a request received by peer {@code ownPeerId} (headers read through {@code header});
     * returns what its signature covers. Does not check the nonce for replay (the caller's
     * {@link ReplayCache} does) nor the body (checked against {@link Signed#bodyDigest()} as it is read).
     * Throws UNAUTHORIZED (missing headers) or FORBIDDEN (another destination, stale or malformed date,
     * malformed nonce or digest, wrong signature).
     */
    public Signed verify(String ownPeerId, String method, String path, String rawQuery, Function<String, String> header) {
        String date = header.apply(DATE), nonce = header.apply(NONCE), peer = header.apply(PEER);
        String sha = header.apply(BODY_DIGEST), signature = header.apply(SIGNATURE);
        if (date == null || nonce == null || peer == null || sha == null || signature == null) {
            throw new PeerException(PeerException.Kind.UNAUTHORIZED, "request is not signed");
        }
        if (!peer.equals(ownPeerId)) {
            throw new PeerException(PeerException.Kind.FORBIDDEN, "request is addressed to peer " + peer + ", this is peer " + ownPeerId);
        }
        long millis;
        try {
            millis = Long.parseLong(date);
        } catch (NumberFormatException e) {
            throw new PeerException(PeerException.Kind.FORBIDDEN, "malformed " + DATE);
        }
        if (Math.abs(clock.millis() - millis) > MAX_SKEW.toMillis()) {
            throw new PeerException(PeerException.Kind.FORBIDDEN, "request date is more than " + MAX_SKEW.toMinutes() + " minutes off");
        }
        if (!isLowerHex(nonce, 32)) throw new PeerException(PeerException.Kind.FORBIDDEN, "malformed " + NONCE);
        if (!(sha.startsWith(BodyDigest.SHA256) || sha.startsWith(BodyDigest.GCM)) || sha.length() > 80) {
            throw new PeerException(PeerException.Kind.FORBIDDEN, "malformed " + BODY_DIGEST);
        }
        Signed signed = new Signed(method, path, rawQuery, peer, millis, nonce, header.apply(RANGE), header.apply(BODY_CRC), sha);
        if (!constantTimeEquals(sign(signed), signature)) {
            throw new PeerException(PeerException.Kind.FORBIDDEN, "signature does not match");
        }
        return signed;
    }

    /** The response signature (see the class comment); null header values count as empty. */
    public String signResponse(String requestSignature, int status, String errorKind, String chunkSize, String chunkCrc,
                               String contentRange, String bodyDigest) {
        return mac("MX2-RESPONSE\n" + requestSignature + "\n" + status + "\n" + nz(errorKind) + "\n" + nz(chunkSize) + "\n"
                + nz(chunkCrc) + "\n" + nz(contentRange) + "\n" + bodyDigest);
    }

    /** Whether {@code signature} is the response signature of these values (constant time). */
    public boolean verifyResponse(String signature, String requestSignature, int status, String errorKind, String chunkSize,
                                  String chunkCrc, String contentRange, String bodyDigest) {
        return signature != null && constantTimeEquals(
                signResponse(requestSignature, status, errorKind, chunkSize, chunkCrc, contentRange, bodyDigest), signature);
    }

    private String mac(String toSign) {
        return HEX.formatHex(mac(toSign.getBytes(StandardCharsets.UTF_8)));
    }

    /** HMAC-SHA256 of {@code data} with the cluster secret (also derives {@link BodyDigest}'s one-time keys). */
    byte[] mac(byte[] data) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 not cloneable", e);
        }
        return mac.doFinal(data);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean isLowerHex(String s, int length) {
        if (s.length() != length) return false;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    /** The 64-bit replay-cache key of a well-formed nonce (its two halves xor-ed). */
    static long nonceKey(String nonce) {
        ByteBuffer b = ByteBuffer.wrap(HEX.parseHex(nonce));
        long high = b.getLong();
        return high ^ b.getLong();
    }

    @SuppressWarnings("ReturnValueIgnored") // d.clone() only proves the digest can be cloned
    private static MessageDigest sha256Prototype() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.clone();
            return d;
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            throw new IllegalStateException("cloneable SHA-256 unavailable", e);
        }
    }
}
