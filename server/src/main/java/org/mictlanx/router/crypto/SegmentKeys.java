package org.mictlanx.router.crypto;

import java.util.Base64;
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

    private final ChunkCipher cipher;
    private final MasterKeys masterKeys;

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
            return cipher.unwrap(masterKeys, keyId, segmentId, wrapped);
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
