package org.mictlanx.peer.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON mapper of the peer wire format (configured once, immutable afterwards, thread-safe). */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private Json() {
    }

    /** The error body of every failed peer request. */
    public record Error(String kind, String message) {
    }

    /** Response of a record batch put: for each record, whether it is now the stored version. */
    public record Applied(java.util.List<Boolean> applied) {
    }

    /** Response of a chunk verification: the ids absent or failing their checksum. */
    public record Verified(java.util.List<String> bad) {
    }

    /** Response of a chunk delete. */
    public record Deleted(boolean existed) {
    }
}
