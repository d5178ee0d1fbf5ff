package org.mictlanx.xolo.sigv2;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.mictlanx.xolo.sigv4.AuthResult;
import org.mictlanx.xolo.sigv4.PayloadMode;
import org.mictlanx.xolo.sigv4.RequestDates;
import org.mictlanx.xolo.sigv4.SecretLookup;
import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.SigV4Exception;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Verifier;
import org.mictlanx.xolo.sigv4.UriEncoding;

/**
 * Verifies AWS Signature Version 2 (HMAC-SHA1), as S3 still accepts it from older tools: the header
 * form {@code Authorization: AWS AccessKeyId:Signature} and query-string auth
 * ({@code AWSAccessKeyId}, {@code Expires}, {@code Signature}). Thread-safe.
 *
 * <p>Header form: the request time is {@code x-amz-date} (then the Date line of the string to sign is
 * empty) or {@code Date}; more than 15 minutes from the server clock is RequestTimeTooSkewed.
 * Query form: {@code Expires} (seconds since the epoch) is the Date line and must not have passed;
 * the query's {@code x-amz-*}, {@code Content-MD5} and {@code Content-Type} parameters count as
 * those headers (the front door obeys them as headers, so they are signed by construction). Every
 * {@code x-amz-*} header is part of {@link StringToSign}: an unsigned one cannot exist. V2 does not
 * sign the body: the result's payload is {@link PayloadMode#UNSIGNED} unless the request carries a
 * (signed) hex {@code x-amz-content-sha256}, which the body is then checked against; Content-MD5, when
 * sent, is signed and checked by the handlers as usual.
 */
public final class SigV2Verifier {

    private final SecretLookup secrets;
    private final String baseDomain;
    private final Clock clock;

    /** @param baseDomain the virtual-hosted-style domain ({@code bucket.baseDomain}), or null */
    public SigV2Verifier(SecretLookup secrets, String baseDomain, Clock clock) {
        this.secrets = secrets;
        this.baseDomain = baseDomain == null || baseDomain.isBlank() ? null : baseDomain.toLowerCase(Locale.ROOT);
        this.clock = clock;
    }

    /** Whether the request is signed with Signature Version 2 (header or query form). */
    public static boolean isSigV2(SigV4Request request) {
        String authorization = request.header("authorization");
        if (authorization != null) {
            return authorization.startsWith("AWS ");
        }
        return UriEncoding.parseQuery(request.rawQuery()).stream()
                .anyMatch(p -> p.name().equals("AWSAccessKeyId") || p.name().equals("Signature"));
    }

    /** Verifies the request's V2 signature; throws {@link SigV4Exception} with the precise reason. */
    public AuthResult verify(SigV4Request request) {
        String authorization = request.header("authorization");
        List<UriEncoding.Param> params = UriEncoding.parseQuery(request.rawQuery());
        if (authorization != null) {
            if (params.stream().anyMatch(p -> p.name().equals("Signature") || p.name().equals("X-Amz-Signature"))) {
                throw new SigV4Exception(SigV4Exception.Reason.SIGV2_MALFORMED, "Only one auth mechanism allowed;"
                        + " only the X-Amz-Algorithm query parameter, Signature query string parameter or the"
                        + " Authorization header should be specified");
            }
            return verifyHeader(request, authorization);
        }
        return verifyQuery(request, params);
    }

    private AuthResult verifyHeader(SigV4Request request, String authorization) {
        String credential = authorization.substring(4).strip();
        int colon = credential.indexOf(':');
        if (colon <= 0 || colon == credential.length() - 1) {
            throw new SigV4Exception(SigV4Exception.Reason.SIGV2_MALFORMED,
                    "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
        }
        String amzDate = request.header("x-amz-date");
        String date = request.header("date");
        Instant time = amzDate != null ? parseDate(amzDate) : RequestDates.parseHttpDate(date);
        if (time == null) {
            throw new SigV4Exception(SigV4Exception.Reason.MISSING_OR_BAD_DATE,
                    "AWS authentication requires a valid Date or x-amz-date header");
        }
        Instant now = clock.instant();
        if (Duration.between(time, now).abs().compareTo(SigV4Verifier.MAX_SKEW) > 0) {
            throw new SigV4Exception(SigV4Exception.Reason.REQUEST_TIME_TOO_SKEWED,
                    "The difference between the request time and the current time is too large.");
        }
        String dateLine = amzDate != null ? "" : date.strip();
        return check(request, request.headers(), credential.substring(0, colon), credential.substring(colon + 1),
                dateLine, false);
    }

    private AuthResult verifyQuery(SigV4Request request, List<UriEncoding.Param> params) {
        String accessKey = param(params, "AWSAccessKeyId");
        String signature = param(params, "Signature");
        String expires = param(params, "Expires");
        if (accessKey == null || signature == null || expires == null) {
            throw new SigV4Exception(SigV4Exception.Reason.SIGV2_QUERY_INCOMPLETE,
                    "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires.strip());
        } catch (NumberFormatException e) {
            throw new SigV4Exception(SigV4Exception.Reason.SIGV2_QUERY_INCOMPLETE,
                    "Invalid date (should be seconds since epoch): " + expires);
        }
        if (clock.instant().getEpochSecond() > expiresAt) {
            throw new SigV4Exception(SigV4Exception.Reason.PRESIGNED_EXPIRED, "Request has expired");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        for (UriEncoding.Param p : params) {
            String name = p.name().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-") || ((name.equals("content-type") || name.equals("content-md5"))
                    && !request.headers().containsKey(name))) {
                headers.computeIfAbsent(name, k -> new ArrayList<>()).add(p.value());
            }
        }
        // A '+' of the base64 signature sent unescaped decodes as a space.
        return check(request, headers, accessKey, signature.replace(' ', '+'), expires.strip(), true);
    }

    private AuthResult check(SigV4Request request, Map<String, List<String>> headers, String accessKey,
                             String signature, String dateLine, boolean presigned) {
        Optional<String> secret = secrets.secretFor(accessKey);
        if (secret.isEmpty()) {
            throw new SigV4Exception(SigV4Exception.Reason.INVALID_ACCESS_KEY_ID,
                    "The AWS Access Key Id you provided does not exist in our records");
        }
        String toSign = StringToSign.build(request.method(), bucketPrefix(request.header("host")), request.rawPath(),
                request.rawQuery(), headers, dateLine);
        if (!SigV4Crypto.constantTimeEquals(sign(secret.get(), toSign), signature)) {
            throw new SigV4Exception(SigV4Exception.Reason.SIGNATURE_DOES_NOT_MATCH,
                    "The request signature we calculated does not match the signature you provided");
        }
        String sha = request.header("x-amz-content-sha256");
        if (sha != null && !sha.strip().equals("UNSIGNED-PAYLOAD")) {
            if (SigV4Verifier.payloadMode(sha.strip()) != PayloadMode.SIGNED) {
                throw new SigV4Exception(SigV4Exception.Reason.INVALID_CONTENT_SHA256,
                        "aws-chunked bodies need Signature Version 4");
            }
            return new AuthResult(accessKey, PayloadMode.SIGNED, sha.strip().toLowerCase(Locale.ROOT), null, presigned);
        }
        return new AuthResult(accessKey, PayloadMode.UNSIGNED, null, null, presigned);
    }

    /** Base64 of HMAC-SHA1 of {@code stringToSign} under {@code secret}. */
    public static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /** {@code /bucket} for a virtual-hosted-style request, else empty. */
    private String bucketPrefix(String host) {
        if (baseDomain == null || host == null || host.startsWith("[")) {
            return "";
        }
        String h = host.toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        return h.endsWith("." + baseDomain) ? "/" + h.substring(0, h.length() - baseDomain.length() - 1) : "";
    }

    private static Instant parseDate(String value) {
        Instant amz = RequestDates.parseAmzDate(value.strip());
        return amz != null ? amz : RequestDates.parseHttpDate(value);
    }

    private static String param(List<UriEncoding.Param> params, String name) {
        return params.stream().filter(p -> p.name().equals(name)).map(UriEncoding.Param::value).findFirst().orElse(null);
    }
}
