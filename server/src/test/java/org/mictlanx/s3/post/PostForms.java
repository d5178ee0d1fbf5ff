package org.mictlanx.s3.post;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mictlanx.xolo.sigv2.SigV2Verifier;
import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.Signatures;

/** Builds signed POST object forms as browsers send them (test helper). */
public final class PostForms {

    static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private PostForms() {
    }

    /** A policy expiring in an hour with these conditions (JSON fragments), base64. */
    public static String policy(Instant expiration, List<String> conditions) {
        String json = "{\"expiration\": \"" + expiration + "\", \"conditions\": [" + String.join(", ", conditions) + "]}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The SigV4 authentication fields for {@code accessKey} now; the policy must name them as conditions. */
    public static Map<String, String> v4Fields(String accessKey, Instant now) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        f.put("x-amz-credential", accessKey + "/" + Signatures.SCOPE_DATE.format(now) + "/us-east-1/s3/aws4_request");
        f.put("x-amz-date", AMZ.format(now));
        return f;
    }

    /** The conditions that pin the SigV4 fields. */
    public static List<String> v4Conditions(Map<String, String> v4) {
        return v4.entrySet().stream().map(e -> "{\"" + e.getKey() + "\": \"" + e.getValue() + "\"}").toList();
    }

    public static String v4Signature(String secret, Instant now, String policy) {
        byte[] key = Signatures.signingKey(secret, Signatures.SCOPE_DATE.format(now), "us-east-1", "s3");
        return SigV4Crypto.hex(SigV4Crypto.hmac(key, policy));
    }

    public static String v2Signature(String secret, String policy) {
        return SigV2Verifier.sign(secret, policy);
    }

    /** The form's bytes up to and including the file part's headers. */
    public static byte[] head(Map<String, String> fields, String filename, String fileType) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append("--").append(BOUNDARY).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(k).append("\"\r\n\r\n").append(v).append("\r\n"));
        sb.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .append(filename).append("\"\r\n");
        if (fileType != null) {
            sb.append("Content-Type: ").append(fileType).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What follows the file: the closing delimiter (after a field that S3 ignores). */
    public static byte[] tail() {
        return ("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"submit\"\r\n\r\nUpload\r\n--"
                + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] form(Map<String, String> fields, String filename, String fileType, byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head(fields, filename, fileType));
        out.writeBytes(file);
        out.writeBytes(tail());
        return out.toByteArray();
    }

    static InputStream stream(Map<String, String> fields, String filename, InputStream file) {
        return new SequenceInputStream(new SequenceInputStream(new java.io.ByteArrayInputStream(head(fields, filename, null)),
                file), new java.io.ByteArrayInputStream(tail()));
    }

    public static String contentType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }
}
