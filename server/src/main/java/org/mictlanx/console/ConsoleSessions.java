package org.mictlanx.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.mictlanx.router.MetaTable;

/**
 * The web console's server-side sessions, kept in the replicated metadata ({@link MetaTable}
 * partition {@value #PARTITION}) so every router serves every session: no sticky sessions behind a
 * balancer, and a logout through one router ends the session on all of them at once (every request
 * reads the record; nothing is cached).
 *
 * <p>A session is created by a successful login and names the access key it acts as; the browser
 * holds only the session id (an {@code HttpOnly} cookie) and the session's CSRF token, never the
 * secret. A session ends at logout, after {@code idle} without a request, or {@code absolute} after
 * login, whichever comes first. Ids and CSRF tokens are 32 random bytes (base64url); a record is
 * keyed by the SHA-256 of the id (what the metadata holds never opens a session) and holds the
 * access key, user, CSRF token, creation and last-use times.
 *
 * <p>Use is recorded at most every {@link #touchEvery()} (a tenth of {@code idle}, at most a
 * minute), so a busy page does not write the metadata on each call; the idle clock is that coarse.
 * Expired records are swept (deleted) when met, and by a scan at most once per {@link #SWEEP_EVERY}
 * on each router (on login and use). At most {@code capacity} sessions are held: a login beyond that
 * ends the oldest sessions. Thread-safe.
 */
public final class ConsoleSessions {

    /** The metadata partition of session records. */
    public static final String PARTITION = "console-sessions";
    /** How often a router scans for expired records at most. */
    public static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    private static final int PAGE = 1000;

    /** One session: who it acts as, its CSRF token and its lifetime. */
    public record Session(String accessKeyId, String user, String csrfToken, Instant created, Instant lastSeen) {
    }

    /** The stored record (JSON). */
    private record Stored(String accessKeyId, String user, String csrfToken, long createdMillis, long lastSeenMillis) {
        Session session() {
            return new Session(accessKeyId, user, csrfToken, Instant.ofEpochMilli(createdMillis), Instant.ofEpochMilli(lastSeenMillis));
        }
    }

    private final MetaTable table;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration idle;
    private final Duration absolute;
    private final Duration touchEvery;
    private final int capacity;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final AtomicLong lastSweepMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger known = new AtomicInteger();

    /**
     * @param table    the replicated metadata the sessions live in
     * @param idle     a session not used for this long has ended
     * @param absolute a session ends this long after login however active it is
     * @param capacity sessions held at most (the oldest end first)
     */
    public ConsoleSessions(MetaTable table, Clock clock, SecureRandom random, Duration idle, Duration absolute, int capacity) {
        if (idle.isNegative() || idle.isZero() || absolute.isNegative() || absolute.isZero() || capacity < 1) {
            throw new IllegalArgumentException("session lifetimes and capacity must be positive");
        }
        this.table = table;
        this.clock = clock;
        this.random = random;
        this.idle = idle;
        this.absolute = absolute;
        this.capacity = capacity;
        Duration tenth = idle.dividedBy(10);
        this.touchEvery = tenth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : tenth;
    }

    /** A new session for {@code accessKeyId} (acting as {@code user}); returns its id (the cookie value) and the session. */
    public Map.Entry<String, Session> create(String accessKeyId, String user) {
        sweepIfDue();
        if (known.get() >= capacity) {
            List<Map.Entry<String, Stored>> live = sweep();
            if (live.size() >= capacity) {
                live.sort(Comparator.comparingLong(e -> e.getValue().createdMillis()));
                for (int i = 0; i <= live.size() - capacity; i++) {
                    table.delete(PARTITION, live.get(i).getKey());
                    known.decrementAndGet();
                }
            }
        }
        String id = token();
        long now = clock.millis();
        Stored s = new Stored(accessKeyId, user, token(), now, now);
        table.put(PARTITION, digest(id), write(s));
        known.incrementAndGet();
        return Map.entry(id, s.session());
    }

    /**
     * The live session with this id, its use recorded; empty (and the record deleted) when it is
     * unknown, idle for too long or past its absolute lifetime.
     */
    public Optional<Session> touch(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        sweepIfDue();
        String key = digest(id);
        Optional<Stored> found = table.get(PARTITION, key).map(this::read);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Stored s = found.get();
        long now = clock.millis();
        if (expired(s, now)) {
            table.delete(PARTITION, key);
            return Optional.empty();
        }
        if (now - s.lastSeenMillis() >= touchEvery.toMillis()) {
            s = new Stored(s.accessKeyId(), s.user(), s.csrfToken(), s.createdMillis(), now);
            table.put(PARTITION, key, write(s));
        }
        return Optional.of(s.session());
    }

    /** Whether {@code given} is this session's CSRF token (constant-time comparison). */
    public static boolean csrfMatches(Session session, String given) {
        return given != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the session with this id (logout) on every router; false when there was none. */
    public boolean end(String id) {
        if (id == null || id.isEmpty()) return false;
        String key = digest(id);
        if (table.get(PARTITION, key).isEmpty()) return false;
        table.delete(PARTITION, key);
        known.decrementAndGet();
        return true;
    }

    /** Ends every session acting as {@code accessKeyId} (the key was disabled or deleted). */
    public void endAllOf(String accessKeyId) {
        for (Map.Entry<String, Stored> e : all()) {
            if (e.getValue().accessKeyId().equals(accessKeyId)) {
                table.delete(PARTITION, e.getKey());
            }
        }
        sweep();
    }

    /** Live sessions (after sweeping the expired ones). */
    public int size() {
        return sweep().size();
    }

    /** How long a session may stay unused. */
    public Duration idle() {
        return idle;
    }

    /** How long a session lives at most. */
    public Duration absolute() {
        return absolute;
    }

    /** How often a session's use is written to the metadata at most (the idle clock's resolution). */
    public Duration touchEvery() {
        return touchEvery;
    }

    private boolean expired(Stored s, long now) {
        return now >= s.lastSeenMillis() + idle.toMillis() || now >= s.createdMillis() + absolute.toMillis();
    }

    private void sweepIfDue() {
        long now = clock.millis();
        long last = lastSweepMillis.get();
        if ((last == Long.MIN_VALUE || now - last >= SWEEP_EVERY.toMillis()) && lastSweepMillis.compareAndSet(last, now)) {
            sweep();
        }
    }

    /** Deletes the expired records; returns the live ones (and counts them). */
    private List<Map.Entry<String, Stored>> sweep() {
        long now = clock.millis();
        List<Map.Entry<String, Stored>> live = new ArrayList<>();
        for (Map.Entry<String, Stored> e : all()) {
            if (expired(e.getValue(), now)) {
                table.delete(PARTITION, e.getKey());
            } else {
                live.add(e);
            }
        }
        known.set(live.size());
        return live;
    }

    private List<Map.Entry<String, Stored>> all() {
        List<Map.Entry<String, Stored>> out = new ArrayList<>();
        String after = "";
        while (true) {
            List<MetaTable.Entry> page = table.scan(PARTITION, "", after, PAGE);
            for (MetaTable.Entry e : page) {
                Stored s;
                try {
                    s = read(e.value());
                } catch (UncheckedIOException bad) {
                    table.delete(PARTITION, e.sortKey()); // a record no router can use opens nothing
                    continue;
                }
                out.add(Map.entry(e.sortKey(), s));
            }
            if (page.size() < PAGE) {
                return out;
            }
            after = page.get(page.size() - 1).sortKey();
        }
    }

    private byte[] write(Stored s) {
        try {
            return json.writeValueAsBytes(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Stored read(byte[] value) {
        try {
            return json.readValue(value, Stored.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a corrupt console session record", e);
        }
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String digest(String id) {
        try {
            // URL-safe so the sort key is a plain token (no '/' or '+').
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
