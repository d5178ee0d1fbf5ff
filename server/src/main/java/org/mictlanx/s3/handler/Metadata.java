package org.mictlanx.s3.handler;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;

/**
 * User metadata ({@code x-amz-meta-*}) and the stored system headers. Metadata values are stored as
 * received (RFC 2047 encoded words stay encoded; raw UTF-8 bytes become the characters they encode)
 * and returned as stored, RFC 2047-encoded when not plain ASCII, as S3 does.
 */
public final class Metadata {

    /** S3's limit on user metadata: the UTF-8 bytes of all names and values. */
    public static final int MAX_USER_METADATA_BYTES = 2048;
    static final String META_PREFIX = "x-amz-meta-";
    /** System headers stored with a ball and returned on GET/HEAD (lower case). */
    static final Set<String> SYSTEM_HEADERS = Set.of("content-type", "content-encoding", "content-disposition",
            "content-language", "cache-control", "expires", WebsiteRedirects.HEADER);

    private Metadata() {
    }

    /** The user metadata of a request, names without the prefix, multiple values joined by commas. */
    static Map<String, String> userMetadata(S3Request req) {
        Map<String, String> out = new LinkedHashMap<>();
        int size = 0;
        for (Map.Entry<String, List<String>> h : req.headers().entrySet()) {
            if (!h.getKey().startsWith(META_PREFIX)) {
                continue;
            }
            String name = h.getKey().substring(META_PREFIX.length());
            String value = String.join(",", h.getValue().stream().map(Metadata::fromWire).toList());
            size += name.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
            out.put(name, value);
        }
        if (size > MAX_USER_METADATA_BYTES) {
            throw new S3Exception(S3ErrorCode.METADATA_TOO_LARGE,
                    "Your metadata headers exceed the maximum allowed metadata size.");
        }
        return out;
    }

    /**
     * The system headers to store; the {@code aws-chunked} content coding is transport only and dropped.
     * A {@code x-amz-website-redirect-location} is validated as S3 does (400 InvalidRedirectLocation).
     */
    static Map<String, String> systemHeaders(S3Request req) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : SYSTEM_HEADERS) {
            String v = req.header(name);
            if (v == null) {
                continue;
            }
            if (name.equals("content-encoding")) {
                v = withoutAwsChunked(v);
                if (v.isEmpty()) {
                    continue;
                }
            }
            if (name.equals(WebsiteRedirects.HEADER)) {
                WebsiteRedirects.validate(v);
            }
            out.put(name, fromWire(v));
        }
        return out;
    }

    /**
     * A Content-Encoding value without its {@code aws-chunked} token(s), otherwise byte-exact (S3 keeps
     * {@code deflate, gzip} as sent); empty when nothing else was listed.
     */
    static String withoutAwsChunked(String value) {
        String[] tokens = value.split(",", -1);
        StringBuilder out = new StringBuilder();
        boolean dropped = false;
        for (String token : tokens) {
            if (token.trim().equalsIgnoreCase("aws-chunked")) {
                dropped = true;
                continue;
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(token);
        }
        // Whitespace that separated a dropped token from the next one is not part of the value.
        return dropped ? out.toString().strip() : value;
    }

    /** The header value to send for a stored value: as is when printable ASCII, else an RFC 2047 encoded word. */
    static String toWire(String stored) {
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c < 0x20 && c != '\t' || c > 0x7e) {
                return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(stored.getBytes(StandardCharsets.UTF_8)) + "?=";
            }
        }
        return stored;
    }

    /**
     * A header value as the server library decoded it: if every char is a byte (ISO-8859-1) and the
     * bytes form valid UTF-8 with non-ASCII in it, the client sent raw UTF-8, so decode it as such.
     */
    static String fromWire(String value) {
        boolean high = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff) {
                return value;
            }
            high |= c > 0x7f;
        }
        if (!high) {
            return value;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }

    /** Header name with each dash-separated word capitalized, e.g. {@code content-type} to {@code Content-Type}. */
    static String canonicalName(String lower) {
        StringBuilder sb = new StringBuilder(lower.length());
        boolean up = true;
        for (char c : lower.toCharArray()) {
            sb.append(up ? Character.toUpperCase(c) : c);
            up = c == '-';
        }
        return sb.toString();
    }
}
