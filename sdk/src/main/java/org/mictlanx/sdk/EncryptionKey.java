package org.mictlanx.sdk;

import java.util.Arrays;
import java.util.Objects;

/**
 * An application's AES-256 key for client-side encryption, named by an id that is recorded in the
 * metadata of every ball it encrypts (the key itself never leaves the client). The id must be a
 * short printable token because it travels in an HTTP header.
 */
public final class EncryptionKey {

    private final String id;
    private final byte[] key;

    /** A 32-byte key named {@code id} (letters, digits, {@code -_.}; 1..64 chars). The bytes are copied. */
    public EncryptionKey(String id, byte[] key) {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a key id is 1..64 of [A-Za-z0-9._-]: '" + id + "'");
        }
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("an AES-256 key is 32 bytes");
        }
        this.id = id;
        this.key = key.clone();
    }

    /** The key id recorded with encrypted balls. */
    public String id() {
        return id;
    }

    byte[] bytes() {
        return key.clone();
    }

    /** Never prints the key bytes. */
    @Override
    public String toString() {
        return "EncryptionKey[" + id + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptionKey k && k.id.equals(id) && Arrays.equals(k.key, key);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
