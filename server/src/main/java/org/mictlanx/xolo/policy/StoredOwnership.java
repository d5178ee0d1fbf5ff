package org.mictlanx.xolo.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Who owns a ball and the ACL it was written with, carried in the ball's (or its multipart upload's)
 * own stored headers, so that they are committed by the very write that commits the version: there
 * is no second write after the commit that a crash could lose (which would leave a writer-owned
 * version bucket-owned, or a public-read version private). Internal headers, never rendered:
 * {@value #OWNER} = the owner id when it is not the bucket owner (the writer under ObjectWriter, or
 * under BucketOwnerPreferred without {@code bucket-owner-full-control}); {@value #ACL} = the grants
 * the write asked for (JSON), when ACLs are enabled and any was asked. A later PutObjectAcl writes the
 * version's ACL record ({@link PolicyStore}), which then takes precedence and keeps this owner.
 */
public final class StoredOwnership {

    public static final String OWNER = "x-mx-owner";
    public static final String ACL = "x-mx-acl";
    /** The event notification write token a write commits with (org.mictlanx.s3.notify.EventIntent#TOKEN_HEADER). */
    static final String EVENT_TOKEN = "x-mx-event-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Acl.Grant>> GRANTS = new TypeReference<>() {
    };

    private StoredOwnership() {
    }

    /** The headers recording {@code owner} (null: the bucket owner) and {@code grants} (empty: private). */
    public static Map<String, String> headers(String owner, List<Acl.Grant> grants) {
        Map<String, String> out = new LinkedHashMap<>();
        if (owner != null) {
            out.put(OWNER, owner);
        }
        if (grants != null && !grants.isEmpty()) {
            try {
                out.put(ACL, JSON.writeValueAsString(grants));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /**
     * {@code stored} without any ownership header or event token (a copy never inherits its source's), plus
     * {@code ownership} (what {@link #headers} made for this write).
     */
    public static Map<String, String> apply(Map<String, String> stored, Map<String, String> ownership) {
        if (!stored.containsKey(OWNER) && !stored.containsKey(ACL) && !stored.containsKey(EVENT_TOKEN) && ownership.isEmpty()) {
            return stored;
        }
        Map<String, String> out = new LinkedHashMap<>(stored);
        out.remove(OWNER);
        out.remove(ACL);
        out.remove(EVENT_TOKEN);
        out.putAll(ownership);
        return out;
    }

    /** Whether a ball's stored headers record an owner or an ACL. */
    public static boolean present(Map<String, String> stored) {
        return stored.containsKey(OWNER) || stored.containsKey(ACL);
    }

    /** The owner recorded with a ball, when not the bucket owner. */
    public static Optional<String> owner(Map<String, String> stored) {
        return Optional.ofNullable(stored.get(OWNER));
    }

    /** The grants a ball was written with (empty: private, or none recorded). */
    public static List<Acl.Grant> grants(Map<String, String> stored) {
        String v = stored.get(ACL);
        if (v == null) {
            return List.of();
        }
        try {
            return List.copyOf(JSON.readValue(v, GRANTS));
        } catch (JsonProcessingException e) {
            return List.of(); // fail closed: private
        }
    }
}
