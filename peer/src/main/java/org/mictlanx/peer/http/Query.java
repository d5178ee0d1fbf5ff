package org.mictlanx.peer.http;

import org.mictlanx.peer.api.PeerException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Query parameters of the peer API. Keys of records travel as unpadded base64url of their UTF-8
 * bytes, so any string (NUL and every other character) survives and the raw query needs no
 * percent-encoding (what is signed is what is sent).
 */
public final class Query {
    private final Map<String, String> params = new HashMap<>();

    public Query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return;
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            if (params.put(k, v) != null) throw new PeerException(PeerException.Kind.BAD_REQUEST, "repeated query parameter " + k);
        }
    }

    public static String encodeKey(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    public String raw(String name) {
        return params.get(name);
    }

    /** The decoded base64url key parameter, or null when absent. */
    public String key(String name) {
        String v = params.get(name);
        if (v == null) return null;
        try {
            byte[] b = Base64.getUrlDecoder().decode(v);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new PeerException(PeerException.Kind.BAD_REQUEST, "query parameter " + name + " is not base64url UTF-8");
        }
    }

    public String requireKey(String name) {
        String v = key(name);
        if (v == null) throw new PeerException(PeerException.Kind.BAD_REQUEST, "missing query parameter " + name);
        return v;
    }

    public int limit(int dflt) {
        String v = params.get("limit");
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new PeerException(PeerException.Kind.BAD_REQUEST, "malformed limit");
        }
    }
}
