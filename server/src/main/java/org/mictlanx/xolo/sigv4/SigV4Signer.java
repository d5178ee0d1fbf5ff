package org.mictlanx.xolo.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client-side SigV4 signer (admin client, tests): signs header-form requests, presigns URLs and frames
 * aws-chunked bodies, using the same primitives ({@link Signatures}, {@link CanonicalRequest}) as
 * the verifier. Those primitives are pinned to AWS's published examples in {@code AwsExamplesTest},
 * so agreement here is not circular.
 */
public final class SigV4Signer {

    private final String accessKey;
    private final String secret;
    private final String region;

    public SigV4Signer(String accessKey, String secret, String region) {
        this.accessKey = accessKey;
        this.secret = secret;
        this.region = region;
    }

    /** A signed request: the headers and the seed signature. */
    public record Signed(SigV4Request request, String signature, String scope, byte[] signingKey, Instant time) {
        public AuthResult.StreamingContext streaming() {
            return new AuthResult.StreamingContext(signature, signingKey, time, scope);
        }
    }

    /**
     * Signs with the Authorization header. {@code headers} are lower-case name to value and must
     * include host; x-amz-date and x-amz-content-sha256 are added; every given header is signed.
     */
    public Signed sign(String method, String rawPath, String rawQuery, Map<String, String> headers,
                       String contentSha256, Instant time) {
        Map<String, List<String>> all = new TreeMap<>();
        headers.forEach((k, v) -> all.put(k.toLowerCase(Locale.ROOT), List.of(v)));
        all.put("x-amz-date", List.of(Signatures.AMZ_DATE.format(time)));
        all.put("x-amz-content-sha256", List.of(contentSha256));
        List<String> signedHeaders = new ArrayList<>(all.keySet());
        String date = Signatures.SCOPE_DATE.format(time);
        String scope = date + "/" + region + "/s3/aws4_request";
        byte[] key = Signatures.signingKey(secret, date, region, "s3");
        String canonical = CanonicalRequest.build(method, rawPath, UriEncoding.parseQuery(rawQuery), all,
                signedHeaders, contentSha256);
        String signature = Signatures.sign(key, Signatures.stringToSign(time, scope, canonical));
        all.put("authorization", List.of(Signatures.ALGORITHM + " Credential=" + accessKey + "/" + scope
                + ", SignedHeaders=" + String.join(";", signedHeaders) + ", Signature=" + signature));
        return new Signed(new SigV4Request(method, rawPath, rawQuery, all), signature, scope, key, time);
    }

    /** Presigns: returns the request with the X-Amz-* query appended; only host is signed. */
    public SigV4Request presign(String method, String rawPath, String rawQuery, String host, Instant time,
                                long expiresSeconds) {
        String date = Signatures.SCOPE_DATE.format(time);
        String scope = date + "/" + region + "/s3/aws4_request";
        String query = (rawQuery == null || rawQuery.isEmpty() ? "" : rawQuery + "&")
                + "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + UriEncoding.encode(accessKey + "/" + scope)
                + "&X-Amz-Date=" + Signatures.AMZ_DATE.format(time) + "&X-Amz-Expires=" + expiresSeconds
                + "&X-Amz-SignedHeaders=host";
        Map<String, List<String>> headers = Map.of("host", List.of(host));
        String canonical = CanonicalRequest.build(method, rawPath, UriEncoding.parseQuery(query), headers,
                List.of("host"), "UNSIGNED-PAYLOAD");
        byte[] key = Signatures.signingKey(secret, date, region, "s3");
        String signature = Signatures.sign(key, Signatures.stringToSign(time, scope, canonical));
        return new SigV4Request(method, rawPath, query + "&X-Amz-Signature=" + signature, headers);
    }

    /**
     * Frames {@code data} as aws-chunked in {@code chunkSize} pieces. Signed modes chain chunk
     * signatures from the context's seed; trailer modes append {@code trailers} (signed in
     * signed-trailer mode).
     */
    public static byte[] chunked(byte[] data, int chunkSize, PayloadMode mode, AuthResult.StreamingContext ctx,
                                 Map<String, String> trailers) {
        boolean signed = mode == PayloadMode.STREAMING_SIGNED || mode == PayloadMode.STREAMING_SIGNED_TRAILER;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String previous = ctx == null ? null : ctx.seedSignature();
        int offset = 0;
        while (true) {
            int n = Math.min(chunkSize, data.length - offset);
            byte[] piece = java.util.Arrays.copyOfRange(data, offset, offset + n);
            String header = Integer.toHexString(n);
            if (signed) {
                previous = Signatures.sign(ctx.signingKey(), Signatures.chunkStringToSign(ctx.requestTime(),
                        ctx.scope(), previous, SigV4Crypto.sha256Hex(piece)));
                header += ";chunk-signature=" + previous;
            }
            out.writeBytes((header + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(piece);
            if (n > 0) {
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            offset += n;
            if (n == 0) {
                break;
            }
        }
        if (mode == PayloadMode.STREAMING_SIGNED) {
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }
        StringBuilder canonical = new StringBuilder();
        trailers.forEach((k, v) -> {
            out.writeBytes((k + ":" + v + "\r\n").getBytes(StandardCharsets.UTF_8));
            canonical.append(k).append(':').append(v).append('\n');
        });
        if (mode == PayloadMode.STREAMING_SIGNED_TRAILER) {
            String sig = Signatures.sign(ctx.signingKey(), Signatures.trailerStringToSign(ctx.requestTime(),
                    ctx.scope(), previous, SigV4Crypto.sha256Hex(canonical.toString())));
            out.writeBytes(("x-amz-trailer-signature:" + sig + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
