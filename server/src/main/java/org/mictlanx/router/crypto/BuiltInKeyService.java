package org.mictlanx.router.crypto;

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
 * each wrapped by a cluster master key (AAD bound to key id and version, see {@link ChunkCipher#wrap});
 * the record's stored form is {@link KeyRecordCodec}'s.
 * Nobody reading the peers' disks gets a key without the master key.
 *
 * <p>Decoded records are cached for {@link #CACHE_NANOS} (one second), so a request costs one
 * unwrap of the key version and no metadata read in the steady state; a disable or enable through
 * another router is seen within that second (at once through this one).
 *
 * <p>Deletion is as in AWS KMS: {@link #scheduleDeletion} disables the key at once and sets a waiting
 * period of 7 to 30 days ({@code PendingDeletion}: balls under it are unreadable with
 * KMSInvalidStateException, and {@link #cancelDeletion} brings it back as Disabled); when the period
 * ends the record, and with it every version's material, is deleted: the balls under it are then
 * unreadable for good (NotFound). Expired keys are purged by {@link #purgeExpired} (the router's GC
 * timer) and by any read of them.
 *
 * <p>The AWS managed key {@value #MANAGED_ALIAS} is what {@code aws:kms} without a key id uses
 * ({@link #defaultKey}): created on first use under a fixed id ({@link #MANAGED_ID}) with version 1
 * derived from the current master key. The creation runs under a {@link CreationGuard} (the router's:
 * the cluster-wide per-key guard of the replicated metadata), which re-reads the record before
 * writing it, so exactly one managed key ever exists even when routers create it at the same time
 * with different current master keys (mid-rotation: the derived material would differ). It cannot be
 * disabled or deleted (as in AWS).
 */
public final class BuiltInKeyService implements KeyService {

    public static final String PARTITION = "_mx.kms";
    static final long CACHE_NANOS = 1_000_000_000L;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    /** The alias of the AWS managed key. */
    public static final String MANAGED_ALIAS = "aws/s3";
    /** The AWS managed key's id (a name-based UUID, the same on every router). */
    public static final String MANAGED_ID = UUID.nameUUIDFromBytes("mictlanx aws/s3".getBytes(
            java.nio.charset.StandardCharsets.UTF_8)).toString();
    /** AWS KMS's bounds on the waiting period of a scheduled deletion, in days. */
    public static final int MIN_PENDING_DAYS = 7;
    public static final int MAX_PENDING_DAYS = 30;
    private static final long DAY_MILLIS = 86_400_000L;

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

    /**
     * A key: its state and versions (the last is current).
     *
     * @param deletionMillis when a scheduled deletion takes effect; 0 when none is scheduled
     * @param alias          {@value #MANAGED_ALIAS} for the AWS managed key, else ""
     */
    public record KeyRecord(String keyId, String description, boolean enabled, long createdMillis, List<Version> versions,
                            long deletionMillis, String alias) {
        public KeyRecord {
            versions = List.copyOf(versions);
            alias = alias == null ? "" : alias;
        }

        public KeyRecord(String keyId, String description, boolean enabled, long createdMillis, List<Version> versions) {
            this(keyId, description, enabled, createdMillis, versions, 0, "");
        }

        public int currentVersion() {
            return versions.getLast().version();
        }

        /** {@code Enabled}, {@code Disabled} or {@code PendingDeletion}, as AWS KMS names key states. */
        public String state() {
            return deletionMillis > 0 ? "PendingDeletion" : enabled ? "Enabled" : "Disabled";
        }

        public boolean managed() {
            return alias.equals(MANAGED_ALIAS);
        }

        KeyRecord withEnabled(boolean e) {
            return new KeyRecord(keyId, description, e, createdMillis, versions, deletionMillis, alias);
        }

        KeyRecord withVersions(List<Version> v) {
            return new KeyRecord(keyId, description, enabled, createdMillis, v, deletionMillis, alias);
        }

        KeyRecord withDeletion(long millis) {
            return new KeyRecord(keyId, description, false, createdMillis, versions, millis, alias);
        }
    }

    /**
     * Mutual exclusion for creating a key under a fixed id, across every router sharing the table:
     * {@code action} runs while no other router runs an action for the same id (it may throw
     * KeyServiceException or RouterException when the guard cannot be had).
     */
    @FunctionalInterface
    public interface CreationGuard {
        <T> T run(String keyId, java.util.function.Supplier<T> action);

        /** Exclusion within this process only (one router, tests). */
        static CreationGuard local() {
            Object lock = new Object();
            return new CreationGuard() {
                @Override
                public <T> T run(String keyId, java.util.function.Supplier<T> action) {
                    synchronized (lock) {
                        return action.get();
                    }
                }
            };
        }
    }

    private final CreationGuard creation;

    /** A key service whose managed key creation is guarded within this process only. */
    public BuiltInKeyService(MetaTable table, MasterKeys masterKeys, ChunkCipher cipher, Clock clock) {
        this(table, masterKeys, cipher, clock, CreationGuard.local());
    }

    /** {@code creation} guards the creation of the AWS managed key across routers. */
    public BuiltInKeyService(MetaTable table, MasterKeys masterKeys, ChunkCipher cipher, Clock clock,
                             CreationGuard creation) {
        this.creation = creation;
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
            for (MetaTable.Entry e : page) {
                KeyRecord r = KeyRecordCodec.decode(e.value());
                if (!expire(r)) out.add(r);
            }
            after = page.getLast().sortKey();
        }
        return out;
    }

    /** The key, read now (not from the cache); empty once a scheduled deletion has taken effect. */
    public Optional<KeyRecord> describe(String keyId) {
        if (!validId(keyId)) return Optional.empty();
        Optional<KeyRecord> r = table.get(PARTITION, keyId).map(KeyRecordCodec::decode).filter(k -> !expire(k));
        r.ifPresentOrElse(k -> cache.put(keyId, new Cached(k, System.nanoTime())), () -> cache.remove(keyId));
        return r;
    }

    /**
     * Enables or disables the key. A key pending deletion is refused (PENDING_DELETION: cancel the
     * deletion first), and so is disabling the AWS managed key (IllegalArgumentException).
     */
    public KeyRecord setEnabled(String keyId, boolean enabled) {
        KeyRecord cur = require(keyId);
        if (cur.deletionMillis() > 0) {
            throw new KeyServiceException(KeyServiceException.Kind.PENDING_DELETION, pendingMessage(cur));
        }
        if (cur.managed() && !enabled) {
            throw new IllegalArgumentException("the AWS managed key " + MANAGED_ALIAS + " cannot be disabled");
        }
        KeyRecord r = cur.withEnabled(enabled);
        store(r);
        return r;
    }

    /**
     * Schedules the key's deletion after {@code pendingDays} (7 to 30, as AWS KMS): it is disabled at
     * once and unusable (PendingDeletion) until {@link #cancelDeletion}; when the period ends its
     * record and every version's material are deleted. Scheduling again keeps the first date.
     */
    public KeyRecord scheduleDeletion(String keyId, int pendingDays) {
        if (pendingDays < MIN_PENDING_DAYS || pendingDays > MAX_PENDING_DAYS) {
            throw new IllegalArgumentException("the waiting period must be " + MIN_PENDING_DAYS + " to " + MAX_PENDING_DAYS
                    + " days, got " + pendingDays);
        }
        KeyRecord cur = require(keyId);
        if (cur.managed()) {
            throw new IllegalArgumentException("the AWS managed key " + MANAGED_ALIAS + " cannot be deleted");
        }
        if (cur.deletionMillis() > 0) {
            return cur;
        }
        KeyRecord r = cur.withDeletion(clock.millis() + pendingDays * DAY_MILLIS);
        store(r);
        return r;
    }

    /** Cancels a scheduled deletion: the key becomes Disabled (enable it to use it again), as in AWS KMS. */
    public KeyRecord cancelDeletion(String keyId) {
        KeyRecord cur = require(keyId);
        if (cur.deletionMillis() == 0) {
            throw new IllegalArgumentException("key " + keyId + " is not pending deletion");
        }
        KeyRecord r = new KeyRecord(cur.keyId(), cur.description(), false, cur.createdMillis(), cur.versions(), 0,
                cur.alias());
        store(r);
        return r;
    }

    /** Deletes every key whose deletion date has passed; returns how many. */
    public int purgeExpired() {
        int n = 0;
        String after = null;
        while (true) {
            List<MetaTable.Entry> page = table.scan(PARTITION, null, after, 500);
            if (page.isEmpty()) break;
            for (MetaTable.Entry e : page) {
                if (expire(KeyRecordCodec.decode(e.value()))) n++;
            }
            after = page.getLast().sortKey();
        }
        return n;
    }

    /**
     * The AWS managed key ({@value #MANAGED_ALIAS}), created on first use. Its version 1 is derived
     * from the current master key, so two routers creating it at once store the same material.
     */
    @Override
    public KeyVersion defaultKey() {
        Cached c = cache.get(MANAGED_ID);
        if (c == null || System.nanoTime() - c.atNanos() >= CACHE_NANOS) {
            if (describe(MANAGED_ID).isEmpty()) {
                // re-read under the guard: another router may have created it meanwhile
                creation.run(MANAGED_ID, () -> {
                    if (describe(MANAGED_ID).isEmpty()) {
                        String mk = masterKeys.currentId();
                        SecretKey material = derivedManagedMaterial(mk);
                        store(new KeyRecord(MANAGED_ID, "Default key that protects S3 objects when no other key is"
                                + " named (aws:kms without a key id)", true, clock.millis(),
                                List.of(new Version(1, mk, cipher.wrap(masterKeys, mk, aadId(MANAGED_ID, 1), material),
                                        0)), 0, MANAGED_ALIAS));
                    }
                    return null;
                });
            }
        }
        return current(MANAGED_ID);
    }

    private SecretKey derivedManagedMaterial(String masterKeyId) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(masterKeys.key(masterKeyId));
            return new SecretKeySpec(mac.doFinal(("mx-kms-managed\u0000" + MANAGED_ALIAS)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)), "AES");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether {@code r}'s deletion date has passed; then its record is deleted (it never comes back). */
    private boolean expire(KeyRecord r) {
        if (r.deletionMillis() == 0 || clock.millis() < r.deletionMillis()) return false;
        table.delete(PARTITION, r.keyId());
        cache.remove(r.keyId());
        return true;
    }

    private static String pendingMessage(KeyRecord r) {
        return r.keyId() + " is pending deletion (until " + java.time.Instant.ofEpochMilli(r.deletionMillis()) + ").";
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
        if (r.deletionMillis() > 0) {
            if (expire(r)) {
                throw new KeyServiceException(KeyServiceException.Kind.NOT_FOUND, "Invalid keyId " + keyId);
            }
            throw new KeyServiceException(KeyServiceException.Kind.PENDING_DELETION, pendingMessage(r));
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
        table.put(PARTITION, r.keyId(), KeyRecordCodec.encode(r));
        cache.put(r.keyId(), new Cached(r, System.nanoTime()));
    }
}
