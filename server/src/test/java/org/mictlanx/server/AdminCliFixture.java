package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the admin CLI tests share: an all-in-one started for them, the CLI words aimed at its
 * endpoint, and the shape of a CLI refusal (exit code 1, one line on stderr, no stack trace).
 */
final class AdminCliFixture {

    private AdminCliFixture() {
    }

    /**
     * An all-in-one on an ephemeral loopback port over {@code data} whose root user is
     * {@link AdminLifecycleTest#AK}/{@link AdminLifecycleTest#SK}, with {@code extra} settings.
     */
    static MictlanXServer allInOne(Path data, String... extra) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--host", "127.0.0.1", "--data", data.toString(),
                "--access-key", AdminLifecycleTest.AK, "--secret-key", AdminLifecycleTest.SK));
        args.addAll(List.of(extra));
        return MictlanXServer.allInOne(Settings.parse(args.toArray(String[]::new), Map.of()));
    }

    /** {@code words} followed by {@code --endpoint ep}. */
    static String[] at(URI ep, String... words) {
        List<String> a = new ArrayList<>(List.of(words));
        a.addAll(List.of("--endpoint", ep.toString()));
        return a.toArray(String[]::new);
    }

    /** A refusal: exit code 1 and one line on stderr naming {@code expected}, without a stack trace. */
    static void assertOneLineError(AdminLifecycleTest.Run r, String expected) {
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("mictlanx admin: "), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
    }
}
