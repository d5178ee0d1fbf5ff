package org.mictlanx.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mictlanx.xolo.identity.InMemoryMetaTable;

class ConsoleSessionsTest {

    /** A clock the test moves. */
    private static final class Manual extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Manual clock = new Manual();
    private final InMemoryMetaTable table = new InMemoryMetaTable();
    private final ConsoleSessions sessions = new ConsoleSessions(table, clock, new SecureRandom(), Duration.ofMinutes(30),
            Duration.ofHours(12), 3);
    /** A second router's sessions over the same replicated metadata. */
    private final ConsoleSessions other = new ConsoleSessions(table, clock, new SecureRandom(), Duration.ofMinutes(30),
            Duration.ofHours(12), 3);

    @Test
    void aSessionActsAsItsKeyWithItsOwnCsrfToken() {
        Map.Entry<String, ConsoleSessions.Session> a = sessions.create("AK1", "alice");
        Map.Entry<String, ConsoleSessions.Session> b = sessions.create("AK1", "alice");
        assertNotEquals(a.getKey(), b.getKey());
        assertNotEquals(a.getValue().csrfToken(), b.getValue().csrfToken());
        assertTrue(a.getKey().length() >= 43, "32 random bytes");
        assertEquals("AK1", sessions.touch(a.getKey()).orElseThrow().accessKeyId());
        assertTrue(sessions.touch("not-a-session").isEmpty());
        assertTrue(sessions.touch(null).isEmpty());
    }

    @Test
    void theCsrfTokenMustMatchExactly() {
        ConsoleSessions.Session s = sessions.create("AK1", "alice").getValue();
        assertTrue(ConsoleSessions.csrfMatches(s, s.csrfToken()));
        assertFalse(ConsoleSessions.csrfMatches(s, null));
        assertFalse(ConsoleSessions.csrfMatches(s, ""));
        assertFalse(ConsoleSessions.csrfMatches(s, s.csrfToken() + "x"));
        assertFalse(ConsoleSessions.csrfMatches(s, s.csrfToken().substring(1)));
    }

    @Test
    void anIdleSessionEndsAndUseKeepsItAlive() {
        String id = sessions.create("AK1", "alice").getKey();
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertTrue(sessions.touch(id).isPresent());
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertTrue(sessions.touch(id).isPresent(), "each use restarts the idle clock");
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        assertTrue(sessions.touch(id).isEmpty(), "30 idle minutes end it");
        clock.now = clock.now.minus(Duration.ofMinutes(20));
        assertTrue(sessions.touch(id).isEmpty(), "an ended session stays ended");
    }

    @Test
    void aSessionEndsAtItsAbsoluteLifetimeHoweverActive() {
        String id = sessions.create("AK1", "alice").getKey();
        for (int i = 0; i < 12 * 4 - 1; i++) {
            clock.now = clock.now.plus(Duration.ofMinutes(15));
            assertTrue(sessions.touch(id).isPresent(), "minute " + (i + 1) * 15);
        }
        clock.now = clock.now.plus(Duration.ofMinutes(15));
        assertTrue(sessions.touch(id).isEmpty(), "12 hours after login");
    }

    @Test
    void logoutAndKeyRevocationEndSessions() {
        String a = sessions.create("AK1", "alice").getKey();
        String b = sessions.create("AK1", "alice").getKey();
        String c = sessions.create("AK2", "bob").getKey();
        assertTrue(sessions.end(a));
        assertFalse(sessions.end(a));
        assertTrue(sessions.touch(a).isEmpty());
        sessions.endAllOf("AK1");
        assertTrue(sessions.touch(b).isEmpty());
        assertTrue(sessions.touch(c).isPresent());
    }

    @Test
    void beyondCapacityTheOldestSessionEnds() {
        String first = sessions.create("AK1", "a").getKey();
        clock.now = clock.now.plusSeconds(1);
        String second = sessions.create("AK2", "b").getKey();
        clock.now = clock.now.plusSeconds(1);
        sessions.create("AK3", "c");
        clock.now = clock.now.plusSeconds(1);
        sessions.create("AK4", "d");
        assertEquals(3, sessions.size());
        assertTrue(sessions.touch(first).isEmpty());
        assertTrue(sessions.touch(second).isPresent());
    }

    @Test
    void anyRouterServesASessionAndALogoutOnOneEndsItOnAll() {
        Map.Entry<String, ConsoleSessions.Session> a = sessions.create("AK1", "alice");
        ConsoleSessions.Session there = other.touch(a.getKey()).orElseThrow();
        assertEquals("alice", there.user());
        assertEquals(a.getValue().csrfToken(), there.csrfToken(), "the CSRF token travels with the session");
        // Use through one router keeps it alive on the other (the idle clock is shared).
        clock.now = clock.now.plus(Duration.ofMinutes(25));
        assertTrue(other.touch(a.getKey()).isPresent());
        clock.now = clock.now.plus(Duration.ofMinutes(25));
        assertTrue(sessions.touch(a.getKey()).isPresent(), "used 25 minutes ago through the other router");
        assertTrue(other.end(a.getKey()));
        assertTrue(sessions.touch(a.getKey()).isEmpty(), "logged out through the other router");
    }

    @Test
    void theMetadataHoldsNoSessionIdAndExpiredRecordsAreSwept() {
        String id = sessions.create("AK1", "alice").getKey();
        sessions.create("AK2", "bob");
        java.util.List<org.mictlanx.router.MetaTable.Entry> stored = table.scan(ConsoleSessions.PARTITION, "", "", 100);
        assertEquals(2, stored.size());
        for (org.mictlanx.router.MetaTable.Entry e : stored) {
            assertFalse(e.sortKey().contains(id), "the key is the id's digest");
            assertFalse(new String(e.value(), java.nio.charset.StandardCharsets.UTF_8).contains(id), "no id in the record");
        }
        clock.now = clock.now.plus(Duration.ofMinutes(31)); // both idle past 30 minutes
        other.create("AK3", "carol"); // a login on any router sweeps (at most once a minute per router)
        assertEquals(1, table.scan(ConsoleSessions.PARTITION, "", "", 100).size(), "the expired records are deleted");
        assertTrue(sessions.touch(id).isEmpty());
    }

    @Test
    void lifetimesMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ConsoleSessions(table, clock, new SecureRandom(), Duration.ZERO, Duration.ofHours(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new ConsoleSessions(table, clock, new SecureRandom(), Duration.ofMinutes(1), Duration.ofHours(1), 0));
    }

    @Test
    void loginFailuresAreLimitedPerAddressAndPerKey() {
        LoginLimiter limiter = new LoginLimiter(clock, 3, Duration.ofMinutes(5), 100);
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.allowed("10.0.0.1", "AK1"));
            limiter.failed("10.0.0.1", "AK1");
        }
        assertFalse(limiter.allowed("10.0.0.1", "AK1"));
        assertFalse(limiter.allowed("10.0.0.1", "AK9"), "the address is blocked for every key");
        assertFalse(limiter.allowed("10.0.0.2", "AK1"), "the key is blocked from every address");
        assertTrue(limiter.allowed("10.0.0.2", "AK2"));
        clock.now = clock.now.plus(Duration.ofMinutes(5)).plusSeconds(1);
        assertTrue(limiter.allowed("10.0.0.1", "AK1"), "failures leave the window");
    }

    @Test
    void aFullLimiterFailsClosed() {
        LoginLimiter limiter = new LoginLimiter(clock, 3, Duration.ofMinutes(5), 4);
        limiter.failed("a1", "k1");
        limiter.failed("a2", "k2");
        assertFalse(limiter.allowed("a3", "k3"), "no room to track more: refused");
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        assertTrue(limiter.allowed("a3", "k3"), "old entries are forgotten first");
    }
}
