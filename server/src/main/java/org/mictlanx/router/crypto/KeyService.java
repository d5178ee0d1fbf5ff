package org.mictlanx.router.crypto;

import javax.crypto.SecretKey;

/**
 * The key service behind S3 SSE-KMS: named, versioned 256-bit keys that never leave it in the clear
 * except as the material the router derives per-segment key-encryption keys from. The built-in one
 * ({@link BuiltInKeyService}) keeps its keys in the replicated metadata, each version wrapped by the
 * cluster master key. This interface is the extension point for an external service (a KMIP server,
 * a cloud KMS): implement it and pass it to {@code RouterBuilder#keyService}; the contract is only
 * what is below, so an implementation may cache, call out, or unwrap remotely.
 *
 * <p>Contract: {@link #current} names the version new data keys are wrapped under; {@link #material}
 * returns any version ever issued (rotation keeps old versions readable) as long as the key is
 * enabled. Both throw {@link KeyServiceException} of kind NOT_FOUND for an unknown key and DISABLED
 * for a disabled one; a disabled key makes every ball wrapped under it unreadable until re-enabled.
 */
public interface KeyService {

    /** One version of a key: what {@link SegmentKeys} derives key-encryption keys from. */
    record KeyVersion(String keyId, int version, SecretKey material) {
        @Override
        public String toString() {
            return "KeyVersion[" + keyId + "/" + version + "]";
        }
    }

    /** The version new balls are wrapped under. */
    KeyVersion current(String keyId);

    /** Version {@code version} of the key, for reading balls wrapped under it. */
    KeyVersion material(String keyId, int version);

    /**
     * The current version of the service's default key: what {@code aws:kms} without a key id uses
     * (AWS's managed key {@code aws/s3}), created on first use. A service without one throws
     * NOT_FOUND (then such writes are refused with KMS.NotFoundException).
     */
    default KeyVersion defaultKey() {
        throw new KeyServiceException(KeyServiceException.Kind.NOT_FOUND, "this key service has no default key (aws/s3)");
    }
}
