package org.mictlanx.peer.client;

import java.io.IOException;
import org.eclipse.jetty.client.Response;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.http.Json;

/**
 * Decodes a peer's (authenticated) error response: the kind from its {@code X-Mx-Error-Kind} header,
 * else from the status; the message from its JSON body, else a generic one.
 */
final class PeerErrors {

    private PeerErrors() {
    }

    /** The message of an error body, or "peer ID answered STATUS". */
    static String message(String id, int status, byte[] body) {
        try {
            if (body.length > 0) return Json.MAPPER.readValue(body, Json.Error.class).message();
        } catch (IOException | RuntimeException ignored) {
            // the kind header or the status still say what happened
        }
        return "peer " + id + " answered " + status;
    }

    /** The exception of an authenticated error response of peer {@code id}. */
    static PeerException of(String id, Response response, byte[] body) {
        int status = response.getStatus();
        String kindHeader = response.getHeaders().get("X-Mx-Error-Kind");
        String message = message(id, status, body);
        PeerException.Kind kind = null;
        if (kindHeader != null) {
            try {
                kind = PeerException.Kind.valueOf(kindHeader);
            } catch (IllegalArgumentException ignored) {
                // unknown kind: fall back to the status
            }
        }
        if (kind == null) {
            kind = PeerException.Kind.UNAVAILABLE;
            for (PeerException.Kind k : PeerException.Kind.values()) {
                if (k.httpStatus == status) {
                    kind = k;
                    break;
                }
            }
        }
        return new PeerException(kind, message);
    }
}
