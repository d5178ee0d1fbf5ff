package org.mictlanx.sdk;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The client's encryption keys by id, and the rules tying a ball's metadata to the cipher and chunk
 * size needed to read it. Immutable and thread-safe.
 */
final class Keyring {

    private final Map<String, ClientKey> ciphers;
    private final int partSize;

    Keyring(Collection<EncryptionKey> keys, int partSize) {
        Map<String, ClientKey> m = new HashMap<>();
        keys.forEach(k -> m.put(k.id(), new ClientKey(k)));
        this.ciphers = Map.copyOf(m);
        this.partSize = partSize;
    }

    /** The cipher a put asks for, or null for plaintext; an unknown key id is a caller error. */
    @Nullable ClientKey forPut(PutOptions options) {
        String id = options.encryptionKeyId();
        if (id == null) {
            return null;
        }
        ClientKey c = ciphers.get(id);
        if (c == null) {
            throw new IllegalArgumentException("no encryption key with id '" + id
                    + "' was given to this client");
        }
        return c;
    }

    /**
     * The cipher a stored ball needs (its key, recorded IV and chunk size), or null for plaintext;
     * fails clearly when this client lacks the key or the ball's format is not {@link BallCipher#ALGORITHM}.
     */
    @Nullable BallCipher forRead(BallInfo info) {
        String alg = info.metadata().get(BallUploader.META_ENC);
        if (alg == null) {
            return null;
        }
        String where = info.bucket() + "/" + info.key();
        if (!BallCipher.ALGORITHM.equals(alg)) {
            throw new EncryptionException(where + " is encrypted with unsupported format " + alg
                    + " (this client reads " + BallCipher.ALGORITHM + ")", null);
        }
        String id = info.metadata().get(BallUploader.META_KEY_ID);
        ClientKey c = ciphers.get(id);
        if (c == null) {
            throw new EncryptionException(where + " is client-side encrypted with key id '"
                    + id + "' and this client has no key with that id", null);
        }
        int chunk;
        try {
            chunk = Integer.parseInt(info.metadata().get(BallUploader.META_CHUNK));
        } catch (NumberFormatException e) {
            throw new EncryptionException(where + " has no valid encryption chunk size", e);
        }
        return c.forBall(info.metadata().get(BallUploader.META_IV), chunk, where);
    }

    /** The read chunk size of a ball: its encryption chunk size, or this client's part size for plaintext. */
    int chunkSize(@Nullable BallCipher cipher) {
        return cipher == null ? partSize : cipher.layout().chunkSize();
    }
}
