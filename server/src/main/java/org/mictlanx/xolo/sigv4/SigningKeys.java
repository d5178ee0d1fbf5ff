package org.mictlanx.xolo.sigv4;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers SigV4 signing keys ({@code HMAC chain of secret, date, region, service}), as the AWS SDKs
 * do: a key changes once a day per credential, while deriving it costs four HMACs on every request.
 * Entries are keyed by all four inputs (the secret included), so a rotated or deleted secret never
 * meets an old key: a request signed with an old secret derives, and fails against, its own entry.
 * Bounded (least recently used out); thread-safe. The arrays handed out must not be modified.
 */
final class SigningKeys {

    static final int CAPACITY = 1024;

    private final Map<Inputs, byte[]> keys = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Inputs, byte[]> eldest) {
            return size() > CAPACITY;
        }
    };

    private record Inputs(String secret, String date, String region, String service) {
        @Override
        public String toString() {
            return "Inputs[" + date + "/" + region + "/" + service + "]"; // never the secret
        }
    }

    /** The signing key of these inputs, derived on first use. */
    byte[] get(String secret, String date, String region, String service) {
        Inputs in = new Inputs(secret, date, region, service);
        synchronized (keys) {
            byte[] k = keys.get(in);
            if (k != null) return k;
        }
        byte[] k = Signatures.signingKey(secret, date, region, service);
        synchronized (keys) {
            keys.put(in, k);
        }
        return k;
    }
}
