package org.mictlanx.xolo.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.mictlanx.router.MetaTable;
import org.mictlanx.xolo.sigv4.SecretLookup;

/**
 * Users and their access keys, kept in the replicated {@link MetaTable}; root comes from
 * {@link RootCredentials} and is never stored. Secrets are sealed with {@link SecretBox} (AES-GCM,
 * bound to their access key id) before they reach the table.
 *
 * <p>Table layout: partition {@value #USERS} by user name → {@link UserEntry} JSON; partition
 * {@value #KEYS} by access key id → {@link KeyEntry} JSON (sealed secret); partition
 * {@value #USER_KEYS} by {@code user/accessKeyId} → empty, an index for listing and deleting.
 *
 * <p>Lifecycle: a user holds up to {@value #MAX_KEYS_PER_USER} access keys (rotation: add a new
 * key, switch the clients, disable then delete the old one). A user or a single key can be disabled
 * and enabled again; a disabled or deleted key, a key of a disabled or deleted user, is unknown to
 * {@link #secretFor}, so S3 answers 403 {@code InvalidAccessKeyId}, as AWS does for inactive keys.
 *
 * <p>Revocation bound: {@link #secretFor} caches found secrets for {@code cacheTtl} (zero: no
 * cache; production: {@link #DEFAULT_CACHE_TTL}). A change made through this instance (delete,
 * disable) takes effect at once; made through another router, within the TTL. Unknown and refused
 * keys are never cached, so a new or re-enabled key works everywhere at once.
 *
 * <p>The MetaTable has no compare-and-set, so two routers adding the same user name at the same
 * instant may both succeed (last writer wins on the user record; both keys stay valid).
 *
 * <p>Root comes from a supplier (see {@link RootAccount}), so a rotated root secret applies to the
 * next request. Root is never cached here and never stored in the table.
 */
public final class UserRegistry implements SecretLookup {

    public static final String USERS = "xolo-users";
    public static final String KEYS = "xolo-keys";
    public static final String USER_KEYS = "xolo-user-keys";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@+=,\\-]{1,64}");
    private static final int CACHE_LIMIT = 10_000;
    /** How many access keys one user may hold (AWS IAM allows 2; a few more ease staged rotations). */
    public static final int MAX_KEYS_PER_USER = 10;
    /** The revocation bound of {@link #UserRegistry(MetaTable, byte[], Supplier)}. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(2);

    /** A stored user; a disabled user's keys are all refused. Records without the flag read as enabled. */
    public record UserEntry(String name, long createdMillis, boolean disabled) {
    }

    /** A stored key: its user and sealed secret; a disabled key is refused. */
    public record KeyEntry(String user, byte[] sealedSecret, long createdMillis, boolean disabled) {
    }

    /** What the admin API shows of a key: never its secret. */
    public record KeyInfo(String accessKeyId, String user, long createdMillis, boolean disabled) {
    }

    private record Cached(String user, String secret, Instant expires) {
    }

    private final MetaTable table;
    private final SecretBox box;
    private final Supplier<Credentials> root;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration cacheTtl;
    // Unknown fields are ignored, so a router reading a record written by a newer one still works.
    private final MetaRecords records;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    /** Bumped by every change made here, so a lookup that raced with one does not cache what it read before it. */
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param secretKey master key material (at least 16 bytes) that secrets at rest are sealed under
     * @param cacheTtl  how long a found secret may be reused; {@code Duration.ZERO} disables caching
     */
    public UserRegistry(MetaTable table, byte[] secretKey, Credentials root, Clock clock, SecureRandom random,
                        Duration cacheTtl) {
        this(table, secretKey, () -> root, clock, random, cacheTtl);
    }

    /**
     * @param root      the root credentials in force, asked on every lookup (e.g. a {@link RootAccount})
     * @param secretKey master key material (at least 16 bytes) that secrets at rest are sealed under
     * @param cacheTtl  how long a found secret may be reused; {@code Duration.ZERO} disables caching
     */
    public UserRegistry(MetaTable table, byte[] secretKey, Supplier<Credentials> root, Clock clock, SecureRandom random,
                        Duration cacheTtl) {
        this.table = table;
        this.records = new MetaRecords(table, "identity");
        this.box = new SecretBox(secretKey, random);
        this.root = root;
        this.clock = clock;
        this.random = random;
        this.cacheTtl = cacheTtl;
    }

    /** Production defaults: system clock, a strong random, a {@link #DEFAULT_CACHE_TTL} secret cache. */
    public UserRegistry(MetaTable table, byte[] secretKey, Credentials root) {
        this(table, secretKey, () -> root, Clock.systemUTC(), new SecureRandom(), DEFAULT_CACHE_TTL);
    }

    /** Production defaults over a root that may be rotated at run time. */
    public UserRegistry(MetaTable table, byte[] secretKey, Supplier<Credentials> root) {
        this(table, secretKey, root, Clock.systemUTC(), new SecureRandom(), DEFAULT_CACHE_TTL);
    }

    /** The revocation bound: how long another router may still accept a key deleted or disabled here. */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    /** Creates a user with a first access key; throws USER_EXISTS or INVALID_NAME. */
    public Credentials addUser(String name) {
        checkName(name);
        if (table.get(USERS, name).isPresent()) {
            throw new IdentityException(IdentityException.Kind.USER_EXISTS, "user " + name + " already exists");
        }
        table.put(USERS, name, records.write(new UserEntry(name, clock.millis(), false)));
        return addKey(name);
    }

    /** Issues another access key to an existing user; throws NO_SUCH_USER or LIMIT_EXCEEDED. */
    public Credentials addKey(String name) {
        requireUser(name);
        if (keysOf(name).size() >= MAX_KEYS_PER_USER) {
            throw new IdentityException(IdentityException.Kind.LIMIT_EXCEEDED, "user " + name + " already holds "
                    + MAX_KEYS_PER_USER + " access keys, the most one user may hold: delete one first");
        }
        Credentials c;
        do {
            c = Credentials.generate(random);
        } while (c.accessKeyId().equals(root.get().accessKeyId()) || table.get(KEYS, c.accessKeyId()).isPresent());
        table.put(KEYS, c.accessKeyId(), records.write(new KeyEntry(name, box.seal(c.secretKey(), c.accessKeyId()), clock.millis(), false)));
        table.put(USER_KEYS, name + "/" + c.accessKeyId(), new byte[0]);
        return c;
    }

    /** Revokes an access key; returns whether it existed. Root's key cannot be revoked here. */
    public boolean revokeKey(String accessKeyId) {
        cache.remove(accessKeyId);
        Optional<KeyEntry> entry = table.get(KEYS, accessKeyId).map(v -> records.read(v, KeyEntry.class));
        boolean existed = table.delete(KEYS, accessKeyId);
        entry.ifPresent(e -> table.delete(USER_KEYS, e.user() + "/" + accessKeyId));
        changes.incrementAndGet();
        cache.remove(accessKeyId);
        return existed;
    }

    /**
     * Deletes one key of {@code user}; throws NO_SUCH_USER, or NO_SUCH_KEY when the key is not
     * theirs (so a typo cannot delete another user's key).
     */
    public void deleteKey(String user, String accessKeyId) {
        requireUser(user);
        key(user, accessKeyId);
        revokeKey(accessKeyId);
    }

    /** Disables ({@code enabled=false}) or enables one key of {@code user}; throws NO_SUCH_USER or NO_SUCH_KEY. */
    public void setKeyEnabled(String user, String accessKeyId, boolean enabled) {
        requireUser(user);
        KeyEntry e = key(user, accessKeyId);
        table.put(KEYS, accessKeyId, records.write(new KeyEntry(e.user(), e.sealedSecret(), e.createdMillis(), !enabled)));
        changes.incrementAndGet();
        cache.remove(accessKeyId);
    }

    /** Disables or enables a user (all their keys at once); throws NO_SUCH_USER. */
    public void setUserEnabled(String name, boolean enabled) {
        UserEntry u = requireUser(name);
        table.put(USERS, name, records.write(new UserEntry(u.name(), u.createdMillis(), !enabled)));
        forget(name);
    }

    /**
     * Deletes a user and every key of theirs; returns whether the user existed. The user record goes
     * first, so every key is refused from that instant on even before the keys themselves are gone.
     * Their buckets stay (root can still reach them); a user created later under the same name owns
     * them again, since the owner id is the name.
     */
    public boolean deleteUser(String name) {
        if (Principal.ROOT_USER.equals(name)) {
            throw new IdentityException(IdentityException.Kind.INVALID_NAME, "root cannot be deleted");
        }
        boolean existed = table.delete(USERS, name);
        forget(name);
        for (String key : keysOf(name)) {
            revokeKey(key);
        }
        return existed;
    }

    public Optional<UserEntry> user(String name) {
        return table.get(USERS, name).map(v -> records.read(v, UserEntry.class));
    }

    /** The keys of a user with their state, in access key id order; throws NO_SUCH_USER. */
    public List<KeyInfo> keyInfos(String name) {
        requireUser(name);
        List<KeyInfo> out = new ArrayList<>();
        for (String id : keysOf(name)) {
            table.get(KEYS, id).map(v -> records.read(v, KeyEntry.class))
                    .ifPresent(e -> out.add(new KeyInfo(id, e.user(), e.createdMillis(), e.disabled())));
        }
        return out;
    }

    private UserEntry requireUser(String name) {
        return user(name).orElseThrow(() -> new IdentityException(IdentityException.Kind.NO_SUCH_USER, "no user " + name));
    }

    private KeyEntry key(String user, String accessKeyId) {
        return table.get(KEYS, accessKeyId).map(v -> records.read(v, KeyEntry.class)).filter(e -> e.user().equals(user))
                .orElseThrow(() -> new IdentityException(IdentityException.Kind.NO_SUCH_KEY,
                        "user " + user + " has no access key " + accessKeyId));
    }

    /** Drops every cached secret of a user. */
    private void forget(String name) {
        changes.incrementAndGet();
        cache.values().removeIf(c -> c.user().equals(name));
    }

    /** Every user, in name order (root is not listed). */
    public List<UserEntry> listUsers() {
        return records.scan(USERS, "").stream().map(e -> records.read(e.value(), UserEntry.class)).toList();
    }

    /** The access key ids of a user, in order. */
    public List<String> keysOf(String name) {
        return records.suffixes(USER_KEYS, name + "/");
    }

    /** Who an access key belongs to; empty when unknown or revoked. */
    public Optional<Principal> principalFor(String accessKeyId) {
        if (accessKeyId.equals(root.get().accessKeyId())) {
            return Optional.of(new Principal(Principal.ROOT_USER, accessKeyId, true));
        }
        return lookup(accessKeyId).map(c -> new Principal(c.user(), accessKeyId, false));
    }

    @Override
    public Optional<String> secretFor(String accessKeyId) {
        Credentials r = root.get();
        if (accessKeyId.equals(r.accessKeyId())) {
            return Optional.of(r.secretKey());
        }
        return lookup(accessKeyId).map(Cached::secret);
    }

    private Optional<Cached> lookup(String accessKeyId) {
        Instant now = clock.instant();
        long seen = changes.get();
        Cached hit = cache.get(accessKeyId);
        if (hit != null && now.isBefore(hit.expires())) {
            return Optional.of(hit);
        }
        Optional<KeyEntry> entry = table.get(KEYS, accessKeyId).map(v -> records.read(v, KeyEntry.class));
        // A disabled key, or a key whose user is disabled or gone, is refused like an unknown one.
        if (entry.isEmpty() || entry.get().disabled()
                || user(entry.get().user()).map(UserEntry::disabled).orElse(true)) {
            cache.remove(accessKeyId);
            return Optional.empty();
        }
        Cached found = new Cached(entry.get().user(), box.open(entry.get().sealedSecret(), accessKeyId),
                now.plus(cacheTtl));
        if (!cacheTtl.isZero()) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(accessKeyId, found);
            if (changes.get() != seen) {
                cache.remove(accessKeyId, found); // a change here raced with this read: do not keep what was read before it
            }
        }
        return Optional.of(found);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || Principal.ROOT_USER.equals(name)) {
            throw new IdentityException(IdentityException.Kind.INVALID_NAME,
                    "a user name is 1 to 64 of A-Z a-z 0-9 _ . @ + = , - and not 'root'");
        }
    }


}
