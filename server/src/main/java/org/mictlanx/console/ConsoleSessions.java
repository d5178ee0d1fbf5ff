package org.mictlanx.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's server-side sessions. A session is created by a successful login and names the
 * access key it acts as; the browser holds only the session id (an {@code HttpOnly} cookie) and the
 * session's CSRF token, never the secret. A session ends at logout, after {@code idle} without a
 * request, or {@code absolute} after login, whichever comes first.
 *
 * <p>Ids and CSRF tokens are 32 random bytes (base64url). The table is keyed by the SHA-256 of the
 * id, so a heap dump does not hand out live cookies, and compared in constant time where a token is
 * checked. At most {@code capacity} sessions are held; a login beyond that ends the oldest session.
 * Thread-safe.
 */
public final class ConsoleSessions {

    /** One session: who it acts as, its CSRF token and its lifetime. */
    public record Session(String accessKeyId, String user, String csrfToken, Instant created, Instant lastSeen) {
    }

    private final Clock clock;
    private final SecureRandom random;
    private final Duration idle;
    private final Duration absolute;
    private final int capacity;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    /**
     * @param idle     a session not used for this long has ended
     * @param absolute a session ends this long after login however active it is
     * @param capacity sessions held at most (the oldest ends first)
     */
    public ConsoleSessions(Clock clock, SecureRandom random, Duration idle, Duration absolute, int capacity) {
        if (idle.isNegative() || idle.isZero() || absolute.isNegative() || absolute.isZero() || capacity < 1) {
            throw new IllegalArgumentException("session lifetimes and capacity must be positive");
        }
        this.clock = clock;
        this.random = random;
        this.idle = idle;
        this.absolute = absolute;
        this.capacity = capacity;
    }

    /** A new session for {@code accessKeyId} (acting as {@code user}); returns its id (the cookie value) and the session. */
    public Map.Entry<String, Session> create(String accessKeyId, String user) {
        sweep();
        while (sessions.size() >= capacity) {
            sessions.entrySet().stream().min(Comparator.comparing(e -> e.getValue().created()))
                    .ifPresent(e -> sessions.remove(e.getKey()));
        }
        String id = token();
        Instant now = clock.instant();
        Session s = new Session(accessKeyId, user, token(), now, now);
        sessions.put(digest(id), s);
        return Map.entry(id, s);
    }

    /**
     * The live session with this id, its idle clock restarted; empty (and the session forgotten) when
     * it is unknown, idle for too long or past its absolute lifetime.
     */
    public Optional<Session> touch(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        String key = digest(id);
        Instant now = clock.instant();
        Session[] out = new Session[1];
        sessions.computeIfPresent(key, (k, s) -> {
            if (expired(s, now)) {
                return null;
            }
            out[0] = new Session(s.accessKeyId(), s.user(), s.csrfToken(), s.created(), now);
            return out[0];
        });
        return Optional.ofNullable(out[0]);
    }

    /** Whether {@code given} is this session's CSRF token (constant-time comparison). */
    public static boolean csrfMatches(Session session, String given) {
        return given != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the session with this id (logout); false when there was none. */
    public boolean end(String id) {
        return id != null && sessions.remove(digest(id)) != null;
    }

    /** Ends every session acting as {@code accessKeyId} (the key was disabled or deleted). */
    public void endAllOf(String accessKeyId) {
        sessions.values().removeIf(s -> s.accessKeyId().equals(accessKeyId));
    }

    /** Live sessions (after forgetting the expired ones). */
    public int size() {
        sweep();
        return sessions.size();
    }

    /** How long a session may stay unused. */
    public Duration idle() {
        return idle;
    }

    /** How long a session lives at most. */
    public Duration absolute() {
        return absolute;
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen().plus(idle)) || !now.isBefore(s.created().plus(absolute));
    }

    private void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String digest(String id) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
