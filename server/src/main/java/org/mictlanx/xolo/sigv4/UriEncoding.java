package org.mictlanx.xolo.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.mictlanx.common.SigV4Primitives;

/**
 * AWS's URI-encode rules: every byte of the UTF-8 form is percent-encoded (upper-case hex) except
 * the unreserved {@code A-Z a-z 0-9 - _ . ~}. Decoding is lenient: a '%' not followed by two hex
 * digits stands for itself, so any path or query that arrived can be canonicalized.
 */
public final class UriEncoding {

    private UriEncoding() {
    }

    /** A decoded query parameter, in arrival order. */
    public record Param(String name, String value) {
    }

    public static String encode(String s) {
        return encode(s.getBytes(StandardCharsets.UTF_8));
    }

    public static String encode(byte[] bytes) {
        return SigV4Primitives.uriEncode(bytes, false);
    }

    /** Percent-decodes to bytes; {@code plusIsSpace} for query components. */
    public static byte[] decodeToBytes(String s, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
                i += 3;
                continue;
            }
            if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
                continue;
            }
            i++;
        }
        return out.toByteArray();
    }

    public static String decode(String s, boolean plusIsSpace) {
        return new String(decodeToBytes(s, plusIsSpace), StandardCharsets.UTF_8);
    }

    /**
     * The canonical URI of an S3 request: the raw path decoded once, then each byte URI-encoded
     * once except '/'. Not normalized: {@code //} and {@code ..} stay as sent. An encoded slash
     * ({@code %2F}) therefore signs as '/': the AWS SDK for Java v2 sends a key's {@code //} as
     * {@code /%2F} but signs it as {@code //}, and S3 accepts that.
     */
    public static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        byte[] decoded = decodeToBytes(rawPath, false);
        StringBuilder out = new StringBuilder(rawPath.length() + 16);
        int start = 0;
        for (int i = 0; i <= decoded.length; i++) {
            if (i == decoded.length || decoded[i] == '/') {
                out.append(encode(java.util.Arrays.copyOfRange(decoded, start, i)));
                if (i < decoded.length) out.append('/');
                start = i + 1;
            }
        }
        return out.toString();
    }

    /** Splits a raw query string into decoded parameters; a parameter without '=' has value "". */
    public static List<Param> parseQuery(String rawQuery) {
        List<Param> params = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String piece : rawQuery.split("&")) {
            if (piece.isEmpty()) {
                continue;
            }
            int eq = piece.indexOf('=');
            String name = eq < 0 ? piece : piece.substring(0, eq);
            String value = eq < 0 ? "" : piece.substring(eq + 1);
            params.add(new Param(decode(name, true), decode(value, true)));
        }
        return params;
    }
}
