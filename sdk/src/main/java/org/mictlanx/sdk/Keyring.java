package org.mictlanx.sdk;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The client's encryption keys by id, and the rules tying a ball's metadata to the cipher and chunk
 * size needed to read it. Immutable and thread-safe.
 */
final class Keyring {

    private final Map<String, ChunkCipher> ciphers;
    private final int partSize;

    Keyring(Collection<EncryptionKey> keys, int partSize) {
        Map<String, ChunkCipher> m = new HashMap<>();
        keys.forEach(k -> m.put(k.id(), new ChunkCipher(k)));
        this.ciphers = Map.copyOf(m);
        this.partSize = partSize;
    }

    /** The cipher a put asks for, or null for plaintext; an unknown key id is a caller error. */
    ChunkCipher forPut(PutOptions options) {
        if (options.encryptionKeyId() == null) {
            return null;
        }
        ChunkCipher c = ciphers.get(options.encryptionKeyId());
        if (c == null) {
            throw new IllegalArgumentException("no encryption key with id '" + options.encryptionKeyId()
                    + "' was given to this client");
        }
        return c;
    }

    /** The cipher a stored ball needs, or null for plaintext; fails clearly when this client lacks the key. */
    ChunkCipher forRead(BallInfo info) {
        String alg = info.metadata().get(BallUploader.META_ENC);
        if (alg == null) {
            return null;
        }
        if (!ChunkCipher.ALGORITHM.equals(alg)) {
            throw new EncryptionException(info.bucket() + "/" + info.key() + " is encrypted with unsupported " + alg, null);
        }
        String id = info.metadata().get(BallUploader.META_KEY_ID);
        ChunkCipher c = ciphers.get(id);
        if (c == null) {
            throw new EncryptionException(info.bucket() + "/" + info.key() + " is client-side encrypted with key id '"
                    + id + "' and this client has no key with that id", null);
        }
        return c;
    }

    int chunkSize(BallInfo info, ChunkCipher cipher) {
        if (cipher == null) {
            return partSize;
        }
        try {
            return Integer.parseInt(info.metadata().get(BallUploader.META_CHUNK));
        } catch (NumberFormatException e) {
            throw new EncryptionException(info.bucket() + "/" + info.key() + " has no valid encryption chunk size", e);
        }
    }

}
