package org.mictlanx.xolo.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Revocation: {@link #secretFor} caches found secrets for {@code cacheTtl} (zero: no cache).
 * A key revoked through this instance stops working at once; through another router, within the
 * TTL. Unknown keys are never cached, so a new key works everywhere at once.
 *
 * <p>The MetaTable has no compare-and-set, so two routers adding the same user name at the same
 * instant may both succeed (last writer wins on the user record; both keys stay valid).
 */
public final class UserRegistry implements SecretLookup {

    public static final String USERS = "xolo-users";
    public static final String KEYS = "xolo-keys";
    public static final String USER_KEYS = "xolo-user-keys";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@+=,\\-]{1,64}");
    private static final int CACHE_LIMIT = 10_000;

    /** A stored user. */
    public record UserEntry(String name, long createdMillis) {
    }

    /** A stored key: its user and sealed secret. */
    public record KeyEntry(String user, byte[] sealedSecret, long createdMillis) {
    }

    private record Cached(String user, String secret, Instant expires) {
    }

    private final MetaTable table;
    private final SecretBox box;
    private final Credentials root;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration cacheTtl;
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param secretKey master key material (at least 16 bytes) that secrets at rest are sealed under
     * @param cacheTtl  how long a found secret may be reused; {@code Duration.ZERO} disables caching
     */
    public UserRegistry(MetaTable table, byte[] secretKey, Credentials root, Clock clock, SecureRandom random,
                        Duration cacheTtl) {
        this.table = table;
        this.box = new SecretBox(secretKey, random);
        this.root = root;
        this.clock = clock;
        this.random = random;
        this.cacheTtl = cacheTtl;
    }

    /** Production defaults: system clock, a strong random, a 2-second secret cache. */
    public UserRegistry(MetaTable table, byte[] secretKey, Credentials root) {
        this(table, secretKey, root, Clock.systemUTC(), new SecureRandom(), Duration.ofSeconds(2));
    }

    /** Creates a user with a first access key; throws USER_EXISTS or INVALID_NAME. */
    public Credentials addUser(String name) {
        checkName(name);
        if (table.get(USERS, name).isPresent()) {
            throw new IdentityException(IdentityException.Kind.USER_EXISTS, "user " + name + " already exists");
        }
        table.put(USERS, name, write(new UserEntry(name, clock.millis())));
        return addKey(name);
    }

    /** Issues another access key to an existing user. */
    public Credentials addKey(String name) {
        if (user(name).isEmpty()) {
            throw new IdentityException(IdentityException.Kind.NO_SUCH_USER, "no user " + name);
        }
        Credentials c;
        do {
            c = Credentials.generate(random);
        } while (c.accessKeyId().equals(root.accessKeyId()) || table.get(KEYS, c.accessKeyId()).isPresent());
        table.put(KEYS, c.accessKeyId(), write(new KeyEntry(name, box.seal(c.secretKey(), c.accessKeyId()), clock.millis())));
        table.put(USER_KEYS, name + "/" + c.accessKeyId(), new byte[0]);
        return c;
    }

    /** Revokes an access key; returns whether it existed. Root's key cannot be revoked here. */
    public boolean revokeKey(String accessKeyId) {
        cache.remove(accessKeyId);
        Optional<KeyEntry> entry = table.get(KEYS, accessKeyId).map(v -> read(v, KeyEntry.class));
        boolean existed = table.delete(KEYS, accessKeyId);
        entry.ifPresent(e -> table.delete(USER_KEYS, e.user() + "/" + accessKeyId));
        cache.remove(accessKeyId);
        return existed;
    }

    /** Deletes a user and every key of theirs; returns whether the user existed. */
    public boolean deleteUser(String name) {
        if (Principal.ROOT_USER.equals(name)) {
            throw new IdentityException(IdentityException.Kind.INVALID_NAME, "root cannot be deleted");
        }
        for (String key : keysOf(name)) {
            revokeKey(key);
        }
        return table.delete(USERS, name);
    }

    public Optional<UserEntry> user(String name) {
        return table.get(USERS, name).map(v -> read(v, UserEntry.class));
    }

    /** Every user, in name order (root is not listed). */
    public List<UserEntry> listUsers() {
        List<UserEntry> out = new ArrayList<>();
        String after = "";
        while (true) {
            List<MetaTable.Entry> page = table.scan(USERS, "", after, 1000);
            page.forEach(e -> out.add(read(e.value(), UserEntry.class)));
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1).sortKey();
        }
    }

    /** The access key ids of a user, in order. */
    public List<String> keysOf(String name) {
        List<String> out = new ArrayList<>();
        String prefix = name + "/";
        String after = "";
        while (true) {
            List<MetaTable.Entry> page = table.scan(USER_KEYS, prefix, after, 1000);
            page.forEach(e -> out.add(e.sortKey().substring(prefix.length())));
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1).sortKey();
        }
    }

    /** Who an access key belongs to; empty when unknown or revoked. */
    public Optional<Principal> principalFor(String accessKeyId) {
        if (accessKeyId.equals(root.accessKeyId())) {
            return Optional.of(new Principal(Principal.ROOT_USER, accessKeyId, true));
        }
        return lookup(accessKeyId).map(c -> new Principal(c.user(), accessKeyId, false));
    }

    @Override
    public Optional<String> secretFor(String accessKeyId) {
        if (accessKeyId.equals(root.accessKeyId())) {
            return Optional.of(root.secretKey());
        }
        return lookup(accessKeyId).map(Cached::secret);
    }

    private Optional<Cached> lookup(String accessKeyId) {
        Instant now = clock.instant();
        Cached hit = cache.get(accessKeyId);
        if (hit != null && now.isBefore(hit.expires())) {
            return Optional.of(hit);
        }
        Optional<KeyEntry> entry = table.get(KEYS, accessKeyId).map(v -> read(v, KeyEntry.class));
        if (entry.isEmpty()) {
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
        }
        return Optional.of(found);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || Principal.ROOT_USER.equals(name)) {
            throw new IdentityException(IdentityException.Kind.INVALID_NAME,
                    "a user name is 1 to 64 of A-Z a-z 0-9 _ . @ + = , - and not 'root'");
        }
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(byte[] value, Class<T> type) {
        try {
            return json.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("a corrupt identity record", e);
        }
    }
}
