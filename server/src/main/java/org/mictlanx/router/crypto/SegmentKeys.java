package org.mictlanx.router.crypto;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * Who wraps a segment's data key. The segment's {@code keyId} says which:
 * <ul>
 *   <li>a master key id ({@code k1}, ...): wrapped by that master key (SSE-S3, the default);</li>
 *   <li>{@code sse-c.SALT} ({@value #CUSTOMER_PREFIX} then 16 random bytes, base64url): wrapped by
 *       the key-encryption key derived from the customer's key with that salt
 *       ({@link CustomerKey#kek}); without the customer's key nobody, the master key's holder
 *       included, can unwrap it.</li>
 * </ul>
 * The wrap's AAD binds the key id and the segment id, so a wrapped key cannot be moved to another
 * segment nor relabelled.
 */
public final class SegmentKeys {

    public static final String CUSTOMER_PREFIX = "sse-c.";

    /** How many master-key unwraps are remembered (one entry is about 200 bytes). */
    static final int UNWRAPPED_CACHE = 4096;

    private final ChunkCipher cipher;
    private final MasterKeys masterKeys;
    /**
     * Master-key unwraps already done, by key id and segment id, each with the wrapped bytes it came
     * from: a pure function of inputs that never change in this process (the master keys are fixed at
     * start), so a hit is exactly what unwrapping again would give. Customer-wrapped keys are never kept.
     */
    private final Map<String, Unwrapped> unwrapped = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Unwrapped> eldest) {
            return size() > UNWRAPPED_CACHE;
        }
    };

    private record Unwrapped(byte[] wrapped, SecretKey key) {
    }

    public SegmentKeys(ChunkCipher cipher, MasterKeys masterKeys) {
        this.cipher = cipher;
        this.masterKeys = masterKeys;
    }

    /** A wrapped data key and the id naming what wrapped it. */
    public record Wrapped(String keyId, byte[] wrappedKey) {
    }

    /** Whether a segment with this key id needs the customer's key. */
    public static boolean isCustomer(String keyId) {
        return keyId.startsWith(CUSTOMER_PREFIX);
    }

    /** Wraps {@code dataKey} of segment {@code segmentId} under {@code customer} (null: the current master key). */
    public Wrapped wrap(String segmentId, SecretKey dataKey, CustomerKey customer) {
        if (customer == null) {
            String id = masterKeys.currentId();
            return new Wrapped(id, cipher.wrap(masterKeys, id, segmentId, dataKey));
        }
        byte[] salt = CustomerKey.salt();
        String id = CUSTOMER_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(salt);
        return new Wrapped(id, cipher.wrapWith(customer.kek(salt, segmentId), id, segmentId, dataKey));
    }

    /**
     * Unwraps the data key of segment {@code segmentId}. A customer-wrapped key needs
     * {@code customer}: AEADBadTagException when it is missing or wrong, or the wrap is damaged.
     */
    public SecretKey unwrap(String segmentId, String keyId, byte[] wrapped, CustomerKey customer)
            throws AEADBadTagException {
        if (!isCustomer(keyId)) {
            String id = keyId + '/' + segmentId;
            synchronized (unwrapped) {
                Unwrapped hit = unwrapped.get(id);
                if (hit != null && Arrays.equals(hit.wrapped(), wrapped)) return hit.key();
            }
            SecretKey key = cipher.unwrap(masterKeys, keyId, segmentId, wrapped);
            synchronized (unwrapped) {
                unwrapped.put(id, new Unwrapped(wrapped.clone(), key));
            }
            return key;
        }
        if (customer == null) {
            throw new AEADBadTagException("segment " + segmentId + " needs the customer's key");
        }
        byte[] salt;
        try {
            salt = Base64.getUrlDecoder().decode(keyId.substring(CUSTOMER_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new AEADBadTagException("bad customer key id of segment " + segmentId);
        }
        return cipher.unwrapWith(customer.kek(salt, segmentId), keyId, segmentId, wrapped);
    }
}
