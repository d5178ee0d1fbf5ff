package org.mictlanx.xolo.sigv4;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Verifies AWS Signature Version 4 on a request: the Authorization header form and the presigned
 * query form. Thread-safe; holds no per-request state.
 *
 * <p>Order of checks, so each failure gets its precise reason: which form (none: anonymous;
 * SigV2 or another algorithm: unsupported; both: malformed) → the form parses → payload mode →
 * the scope's region is the store's region → request time (format, scope date, skew or presigned
 * expiry) → the access key exists → the signature matches (constant-time) → every {@code x-amz-*}
 * header is signed. The service must be {@code s3}. The body is not read here: the caller checks it
 * against {@link AuthResult#payloadSha256()} or decodes it with {@link AwsChunkedInputStream}.
 *
 * <p>Signed headers, as S3 enforces them: {@code host} is always signed; every {@code x-amz-*} request header must be listed, under header
 * auth and for presigned URLs alike, except that a presigned request may carry an unsigned
 * {@code x-amz-content-sha256} (S3 tolerates it; this verifier then ignores it, the payload stays
 * unsigned); under header auth a {@code Content-MD5} header must be signed too. Otherwise
 * {@link SigV4Exception.Reason#HEADERS_NOT_SIGNED} names them, so nothing unsigned can steer the
 * operation (for example an {@code x-amz-copy-source} added to a presigned PUT URL).
 */
public final class SigV4Verifier {

    /** The largest allowed distance between the request time and the server clock. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private final SecretLookup secrets;
    private final String region;
    private final Clock clock;
    private final SigningKeys signingKeys = new SigningKeys();

    /**
     * @param region the store's region: a credential scope naming any other region is refused
     *               ({@code AuthorizationHeaderMalformed} / {@code AuthorizationQueryParametersError}
     *               naming the expected region, which clients use to re-sign)
     */
    public SigV4Verifier(SecretLookup secrets, String region, Clock clock) {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region is required");
        }
        this.secrets = secrets;
        this.region = region;
        this.clock = clock;
    }

    /** Where this verifier finds secrets (for the other signature forms: SigV2, POST policies). */
    public SecretLookup secrets() {
        return secrets;
    }

    /** The store's region, which every credential scope must name. */
    public String region() {
        return region;
    }

    /** Verifies the request's signature; throws {@link SigV4Exception} with the precise reason. */
    public AuthResult verify(SigV4Request request) {
        List<UriEncoding.Param> params = UriEncoding.parseQuery(request.rawQuery());
        String authorization = request.header("authorization");
        boolean presigned = PresignedQueryParser.isPresigned(params);
        if (authorization != null && presigned) {
            throw new SigV4Exception(SigV4Exception.Reason.AUTHORIZATION_HEADER_MALFORMED,
                    "Only one auth mechanism allowed; both the Authorization header and X-Amz-* query were given");
        }
        if (authorization != null) {
            return verifyHeader(request, params, AuthorizationHeaderParser.parse(authorization));
        }
        if (presigned) {
            return verifyPresigned(request, params, PresignedQueryParser.parse(params));
        }
        if (PresignedQueryParser.isSigV2(params)) {
            throw new SigV4Exception(SigV4Exception.Reason.UNSUPPORTED_ALGORITHM,
                    "Signature Version 2 is not supported; use AWS4-HMAC-SHA256");
        }
        throw new SigV4Exception(SigV4Exception.Reason.MISSING_AUTHENTICATION, "Anonymous requests are not allowed");
    }

    private AuthResult verifyHeader(SigV4Request request, List<UriEncoding.Param> params, ParsedSignature parsed) {
        if (!region.equals(parsed.scope().region())) {
            throw new SigV4Exception(SigV4Exception.Reason.WRONG_REGION_HEADER, "The authorization header is malformed;"
                    + " the region '" + parsed.scope().region() + "' is wrong; expecting '" + region + "'", region);
        }
        String contentSha = request.header("x-amz-content-sha256");
        if (contentSha == null) {
            throw new SigV4Exception(SigV4Exception.Reason.MISSING_CONTENT_SHA256,
                    "Missing required header for this request: x-amz-content-sha256");
        }
        contentSha = contentSha.strip();
        PayloadMode mode = payloadMode(contentSha);
        Instant time = requestTime(request);
        checkScopeDate(parsed, time, SigV4Exception.Reason.AUTHORIZATION_HEADER_MALFORMED);
        Instant now = clock.instant();
        if (Duration.between(time, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new SigV4Exception(SigV4Exception.Reason.REQUEST_TIME_TOO_SKEWED,
                    "The difference between the request time " + time + " and the server's time " + now
                            + " is too large");
        }
        return check(request, params, parsed, time, contentSha, mode, false);
    }

    private AuthResult verifyPresigned(SigV4Request request, List<UriEncoding.Param> params, ParsedSignature parsed) {
        if (!region.equals(parsed.scope().region())) {
            throw new SigV4Exception(SigV4Exception.Reason.WRONG_REGION_QUERY, "Error parsing the X-Amz-Credential"
                    + " parameter; the region '" + parsed.scope().region() + "' is wrong; expecting '" + region + "'",
                    region);
        }
        Instant time = parsed.presignedDate();
        checkScopeDate(parsed, time, SigV4Exception.Reason.AUTHORIZATION_QUERY_MALFORMED);
        Instant now = clock.instant();
        if (time.isAfter(now.plus(MAX_SKEW))) {
            throw new SigV4Exception(SigV4Exception.Reason.REQUEST_TIME_TOO_SKEWED,
                    "The presigned URL is not yet valid: X-Amz-Date " + time + " is in the future");
        }
        if (now.isAfter(time.plusSeconds(parsed.expiresSeconds()))) {
            throw new SigV4Exception(SigV4Exception.Reason.PRESIGNED_EXPIRED, "Request has expired");
        }
        String payload = parsed.presignedPayload();
        if (payload == null && parsed.signedHeaders().contains("x-amz-content-sha256")) {
            payload = request.header("x-amz-content-sha256");
        }
        payload = payload == null ? "UNSIGNED-PAYLOAD" : payload.strip();
        PayloadMode mode = payloadMode(payload);
        List<UriEncoding.Param> signedParams = params.stream().filter(p -> !p.name().equals("X-Amz-Signature")).toList();
        return check(request, signedParams, parsed, time, payload, mode, true);
    }

    private AuthResult check(SigV4Request request, List<UriEncoding.Param> params, ParsedSignature parsed,
                             Instant time, String payloadLine, PayloadMode mode, boolean presigned) {
        CredentialScope scope = parsed.scope();
        Optional<String> secret = secrets.secretFor(scope.accessKeyId());
        if (secret.isEmpty()) {
            throw new SigV4Exception(SigV4Exception.Reason.INVALID_ACCESS_KEY_ID,
                    "The AWS Access Key Id you provided does not exist in our records");
        }
        byte[] key = signingKeys.get(secret.get(), scope.date(), scope.region(), scope.service());
        String canonical = CanonicalRequest.build(request.method(), request.rawPath(), params, request.headers(),
                parsed.signedHeaders(), payloadLine);
        String expected = Signatures.sign(key, Signatures.stringToSign(time, scope.scope(), canonical));
        if (!SigV4Crypto.constantTimeEquals(expected, parsed.signature())) {
            expected = asSentSignature(key, time, scope, canonical);
        }
        if (expected == null || !SigV4Crypto.constantTimeEquals(expected, parsed.signature())) {
            throw new SigV4Exception(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH,
                    "The request signature we calculated does not match the signature you provided");
        }
        List<String> unsigned = unsignedHeaders(request, parsed.signedHeaders(), presigned);
        if (!unsigned.isEmpty()) {
            throw new SigV4Exception(SigV4Exception.Reason.HEADERS_NOT_SIGNED,
                    "There were headers present in the request which were not signed", String.join(", ", unsigned));
        }
        String sha = mode == PayloadMode.SIGNED ? payloadLine.toLowerCase(Locale.ROOT) : null;
        AuthResult.StreamingContext streaming = mode.chunked()
                ? new AuthResult.StreamingContext(parsed.signature(), key, time, scope.scope()) : null;
        return new AuthResult(scope.accessKeyId(), mode, sha, streaming, presigned);
    }

    /**
     * The request headers that must be signed but are not: {@code host} (always), then in arrival order every {@code x-amz-*}
     * header (a presigned request may leave {@code x-amz-content-sha256} unsigned) and, under
     * header auth, {@code Content-MD5}.
     */
    static List<String> unsignedHeaders(SigV4Request request, List<String> signedHeaders, boolean presigned) {
        List<String> out = new java.util.ArrayList<>();
        if (!signedHeaders.contains("host")) {
            out.add("host");
        }
        for (String name : request.headers().keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean mustSign = lower.startsWith("x-amz-") ? !(presigned && lower.equals("x-amz-content-sha256"))
                    : !presigned && lower.equals("content-md5");
            if (mustSign && !signedHeaders.contains(lower)) {
                out.add(lower);
            }
        }
        return out;
    }

    /**
     * Header values reach us one char per received byte (ISO-8859-1). The canonical request above
     * encodes those chars as UTF-8, which is what botocore signs (it sends Latin-1 bytes but signs
     * the UTF-8 of the characters). Clients that send raw UTF-8 bytes (the Go and JavaScript SDKs,
     * curl) sign exactly the bytes they sent: this is that signature, or null when the canonical
     * request holds no byte above 0x7F (then both forms are the same) or its bytes are not UTF-8.
     */
    private static String asSentSignature(byte[] key, Instant time, CredentialScope scope, String canonical) {
        boolean high = false;
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if (c > 0xff) {
                return null;
            }
            high |= c > 0x7f;
        }
        if (!high) {
            return null;
        }
        try {
            String asSent = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(canonical.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                    .toString();
            return Signatures.sign(key, Signatures.stringToSign(time, scope.scope(), asSent));
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    /** Classifies x-amz-content-sha256: 64 hex digits or one of the four keywords. */
    public static PayloadMode payloadMode(String contentSha) {
        return switch (contentSha) {
            case "UNSIGNED-PAYLOAD" -> PayloadMode.UNSIGNED;
            case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" -> PayloadMode.STREAMING_SIGNED;
            case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" -> PayloadMode.STREAMING_SIGNED_TRAILER;
            case "STREAMING-UNSIGNED-PAYLOAD-TRAILER" -> PayloadMode.STREAMING_UNSIGNED_TRAILER;
            default -> {
                if (!SigV4Crypto.isHex64(contentSha)) {
                    throw new SigV4Exception(SigV4Exception.Reason.INVALID_CONTENT_SHA256,
                            "x-amz-content-sha256 must be a hex SHA-256 or a known payload keyword");
                }
                yield PayloadMode.SIGNED;
            }
        };
    }

    private static Instant requestTime(SigV4Request request) {
        String amz = request.header("x-amz-date");
        Instant time = amz != null ? RequestDates.parseAmzDate(amz.strip()) : RequestDates.parseHttpDate(request.header("date"));
        if (time == null) {
            throw new SigV4Exception(SigV4Exception.Reason.MISSING_OR_BAD_DATE,
                    "AWS authentication requires a valid Date or x-amz-date header");
        }
        return time;
    }

    private static void checkScopeDate(ParsedSignature parsed, Instant time, SigV4Exception.Reason reason) {
        String date = Signatures.SCOPE_DATE.format(time);
        if (!date.equals(parsed.scope().date())) {
            throw new SigV4Exception(reason, "The credential scope date " + parsed.scope().date()
                    + " does not match the request date " + date);
        }
    }
}
