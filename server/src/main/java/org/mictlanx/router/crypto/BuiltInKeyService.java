package org.mictlanx.router.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.mictlanx.router.MetaTable;

/**
 * The built-in key service: each key is one record of the replicated metadata (partition
 * {@value #PARTITION}, sort key = key id) holding its state and every version's 256-bit material,
 * each wrapped by a cluster master key (AAD bound to key id and version, see {@link ChunkCipher#wrap}).
 * Nobody reading the peers' disks gets a key without the master key.
 *
 * <p>Decoded records are cached for {@link #CACHE_NANOS} (one second), so a request costs one
 * unwrap of the key version and no metadata read in the steady state; a disable or enable through
 * another router is seen within that second (at once through this one).
 */
public final class BuiltInKeyService implements KeyService {

    public static final String PARTITION = "_mx.kms";
    static final long CACHE_NANOS = 1_000_000_000L;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final int FORMAT_V1 = 1;

    private final MetaTable table;
    private final MasterKeys masterKeys;
    private final ChunkCipher cipher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(KeyRecord record, long atNanos) {
    }

    /** One version's material wrapped by master key {@code masterKeyId}. */
    public record Version(int version, String masterKeyId, byte[] wrapped, long createdMillis) {
    }

    /** A key: its state and versions (the last is current). */
    public record KeyRecord(String keyId, String description, boolean enabled, long createdMillis, List<Version> versions) {
        public KeyRecord {
            versions = List.copyOf(versions);
        }

        public int currentVersion() {
            return versions.getLast().version();
        }

        KeyRecord withEnabled(boolean e) {
            return new KeyRecord(keyId, description, e, createdMillis, versions);
        }

        KeyRecord withVersions(List<Version> v) {
            return new KeyRecord(keyId, description, enabled, createdMillis, v);
        }
    }

    public BuiltInKeyService(MetaTable table, MasterKeys masterKeys, ChunkCipher cipher, Clock clock) {
        this.table = table;
        this.masterKeys = masterKeys;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** Whether {@code id} is a well-formed key id (letters, digits, '-'; 1-64). */
    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Creates an enabled key with one version under a fresh random id. */
    public KeyRecord create(String description) {
        String id = UUID.randomUUID().toString();
        KeyRecord r = new KeyRecord(id, description == null ? "" : description, true, clock.millis(),
                List.of(newVersion(id, 1)));
        store(r);
        return r;
    }

    /** Every key in id order (at most {@code limit}). */
    public List<KeyRecord> list(int limit) {
        List<KeyRecord> out = new ArrayList<>();
        String after = null;
        while (out.size() < limit) {
            List<MetaTable.Entry> page = table.scan(PARTITION, null, after, Math.min(500, limit - out.size()));
            if (page.isEmpty()) break;
            for (MetaTable.Entry e : page) out.add(decode(e.value()));
            after = page.getLast().sortKey();
        }
        return out;
    }

    /** The key, read now (not from the cache). */
    public Optional<KeyRecord> describe(String keyId) {
        if (!validId(keyId)) return Optional.empty();
        Optional<KeyRecord> r = table.get(PARTITION, keyId).map(BuiltInKeyService::decode);
        r.ifPresentOrElse(k -> cache.put(keyId, new Cached(k, System.nanoTime())), () -> cache.remove(keyId));
        return r;
    }

    public KeyRecord setEnabled(String keyId, boolean enabled) {
        KeyRecord r = require(keyId).withEnabled(enabled);
        store(r);
        return r;
    }

    /** Adds a new current version; old versions stay for reading. */
    public KeyRecord rotate(String keyId) {
        KeyRecord r = require(keyId);
        List<Version> v = new ArrayList<>(r.versions());
        v.add(newVersion(keyId, r.currentVersion() + 1));
        KeyRecord out = r.withVersions(v);
        store(out);
        return out;
    }

    /**
     * Re-wraps every version of every key not yet under the current master key; returns how many
     * keys were rewritten. Idempotent, so an interrupted run is resumed by running it again.
     */
    public int rewrapUnderCurrentMaster() {
        int n = 0;
        for (KeyRecord r : list(Integer.MAX_VALUE)) {
            if (r.versions().stream().allMatch(v -> v.masterKeyId().equals(masterKeys.currentId()))) continue;
            List<Version> out = new ArrayList<>();
            for (Version v : r.versions()) {
                SecretKey m = unwrap(r.keyId(), v);
                String mk = masterKeys.currentId();
                out.add(new Version(v.version(), mk, cipher.wrap(masterKeys, mk, aadId(r.keyId(), v.version()), m),
                        v.createdMillis()));
            }
            store(r.withVersions(out));
            n++;
        }
        return n;
    }

    @Override
    public KeyVersion current(String keyId) {
        KeyRecord r = enabled(keyId);
        return material(r, r.currentVersion());
    }

    @Override
    public KeyVersion material(String keyId, int version) {
        return material(enabled(keyId), version);
    }

    private KeyVersion material(KeyRecord r, int version) {
        for (Version v : r.versions()) {
            if (v.version() == version) return new KeyVersion(r.keyId(), version, unwrap(r.keyId(), v));
        }
        throw new KeyServiceException(KeyServiceException.Kind.NOT_FOUND,
                "key " + r.keyId() + " has no version " + version);
    }

    private KeyRecord enabled(String keyId) {
        Cached c = cache.get(keyId);
        KeyRecord r;
        if (c != null && System.nanoTime() - c.atNanos() < CACHE_NANOS) {
            r = c.record();
        } else {
            r = describe(keyId).orElseThrow(() -> new KeyServiceException(KeyServiceException.Kind.NOT_FOUND,
                    "Invalid keyId " + keyId));
        }
        if (!r.enabled()) {
            throw new KeyServiceException(KeyServiceException.Kind.DISABLED, keyId + " is disabled.");
        }
        return r;
    }

    private KeyRecord require(String keyId) {
        return describe(keyId).orElseThrow(() -> new KeyServiceException(KeyServiceException.Kind.NOT_FOUND,
                "Invalid keyId " + keyId));
    }

    private Version newVersion(String keyId, int version) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String mk = masterKeys.currentId();
        byte[] wrapped = cipher.wrap(masterKeys, mk, aadId(keyId, version), new SecretKeySpec(raw, "AES"));
        java.util.Arrays.fill(raw, (byte) 0);
        return new Version(version, mk, wrapped, clock.millis());
    }

    private SecretKey unwrap(String keyId, Version v) {
        try {
            return cipher.unwrap(masterKeys, v.masterKeyId(), aadId(keyId, v.version()), v.wrapped());
        } catch (AEADBadTagException | IllegalStateException e) {
            throw new IllegalStateException("cannot unwrap key " + keyId + " version " + v.version(), e);
        }
    }

    private static String aadId(String keyId, int version) {
        return "kms/" + keyId + "/" + version;
    }

    private void store(KeyRecord r) {
        table.put(PARTITION, r.keyId(), encode(r));
        cache.put(r.keyId(), new Cached(r, System.nanoTime()));
    }

    static byte[] encode(KeyRecord r) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT_V1);
            out.writeUTF(r.keyId());
            out.writeUTF(r.description());
            out.writeBoolean(r.enabled());
            out.writeLong(r.createdMillis());
            out.writeInt(r.versions().size());
            for (Version v : r.versions()) {
                out.writeInt(v.version());
                out.writeUTF(v.masterKeyId());
                out.writeInt(v.wrapped().length);
                out.write(v.wrapped());
                out.writeLong(v.createdMillis());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KeyRecord decode(byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            int format = in.readUnsignedByte();
            if (format != FORMAT_V1) throw new IOException("unknown key record format " + format);
            String id = in.readUTF();
            String description = in.readUTF();
            boolean enabled = in.readBoolean();
            long created = in.readLong();
            int n = in.readInt();
            if (n < 1 || n > 100_000) throw new IOException("corrupt version count");
            List<Version> versions = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int version = in.readInt();
                String mk = in.readUTF();
                int len = in.readInt();
                if (len < 0 || len > 1024) throw new IOException("corrupt wrapped key");
                byte[] wrapped = in.readNBytes(len);
                versions.add(new Version(version, mk, wrapped, in.readLong()));
            }
            return new KeyRecord(id, description, enabled, created, versions);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt key record", e);
        }
    }
}
