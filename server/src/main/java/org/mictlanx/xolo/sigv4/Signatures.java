package org.mictlanx.xolo.sigv4;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

import org.mictlanx.common.SigV4Primitives;

/**
 * The SigV4 signer: signing-key derivation, the strings to sign (request, chunk, trailer) and the
 * signature itself. Pure functions; used by the verifier and by clients alike.
 */
public final class Signatures {

    public static final String ALGORITHM = SigV4Primitives.ALGORITHM;
    /** ISO 8601 basic format of x-amz-date: {@code 20130524T000000Z}. */
    public static final DateTimeFormatter AMZ_DATE = SigV4Primitives.AMZ_DATE;
    public static final DateTimeFormatter SCOPE_DATE = SigV4Primitives.SCOPE_DATE;

    private Signatures() {
    }

    /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
    public static byte[] signingKey(String secret, String date, String region, String service) {
        return SigV4Primitives.signingKey(secret, date, region, service);
    }

    public static String stringToSign(Instant time, String scope, String canonicalRequest) {
        return SigV4Primitives.stringToSign(time, scope, canonicalRequest);
    }

    /** The string an aws-chunked chunk signs, chained to the previous signature. */
    public static String chunkStringToSign(Instant time, String scope, String previousSignature, String chunkSha256) {
        return "AWS4-HMAC-SHA256-PAYLOAD\n" + AMZ_DATE.format(time) + "\n" + scope + "\n" + previousSignature + "\n"
                + SigV4Crypto.EMPTY_SHA256 + "\n" + chunkSha256;
    }

    /** The string the trailer of an aws-chunked body signs; {@code trailerSha256} hashes "name:value\n" lines. */
    public static String trailerStringToSign(Instant time, String scope, String previousSignature, String trailerSha256) {
        return "AWS4-HMAC-SHA256-TRAILER\n" + AMZ_DATE.format(time) + "\n" + scope + "\n" + previousSignature + "\n"
                + trailerSha256;
    }

    public static String sign(byte[] signingKey, String stringToSign) {
        return SigV4Crypto.hex(SigV4Crypto.hmac(signingKey, stringToSign));
    }
}
