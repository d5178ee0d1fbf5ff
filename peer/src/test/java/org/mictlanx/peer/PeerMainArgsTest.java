package org.mictlanx.peer;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** PeerMain's TLS and replay-cache options: flags, environment (what the image's entrypoint passes), all-or-none. */
class PeerMainArgsTest {
    static final String[] BASE = {"--id", "p1", "--port", "0", "--data", "/tmp/x"};

    static String[] with(String... more) {
        String[] all = new String[BASE.length + more.length];
        System.arraycopy(BASE, 0, all, 0, BASE.length);
        System.arraycopy(more, 0, all, BASE.length, more.length);
        return all;
    }

    @Test
    void tlsComesFromFlagsOrTheEnvironmentAndNeedsAllThree() {
        assertNull(PeerMain.parse(BASE, Map.of()).tls());
        var fromFlags = PeerMain.parse(with("--peer-tls-cert", "c.pem", "--peer-tls-key", "k.pem", "--peer-tls-ca", "ca.pem"), Map.of()).tls();
        assertEquals(Path.of("k.pem"), fromFlags.key());
        var fromEnv = PeerMain.parse(BASE, Map.of("MICTLANX_PEER_TLS_CERT", "c.pem", "MICTLANX_PEER_TLS_KEY", "k.pem",
                "MICTLANX_PEER_TLS_CA", "ca.pem")).tls();
        assertEquals(Path.of("ca.pem"), fromEnv.ca());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerMain.parse(with("--peer-tls-cert", "c.pem"), Map.of()))
                .getMessage().contains("--peer-tls-key"));
        assertThrows(IllegalArgumentException.class, () -> PeerMain.parse(BASE, Map.of("MICTLANX_PEER_TLS_CA", "ca.pem")));
    }

    @Test
    void replayCacheSizeIsAPositiveFlag() {
        assertEquals(1000, PeerMain.parse(with("--replay-cache-entries", "1000"), Map.of()).replayCacheEntries());
        assertThrows(IllegalArgumentException.class, () -> PeerMain.parse(with("--replay-cache-entries", "0"), Map.of()));
    }

    @Test
    void theSharedParserGivesThePeerEqualsFormsEnvironmentAndTheWildcardHost() {
        var a = PeerMain.parse(new String[] {"--id=p7", "--port=7001", "--data=/tmp/d", "--scrub-bytes-per-second=0"}, Map.of());
        assertEquals("p7", a.id());
        assertEquals(7001, a.port());
        assertEquals(0, a.scrubBytesPerSecond());
        assertEquals("0.0.0.0", a.host(), "binds every interface by default, as the server does");
        var fromEnv = PeerMain.parse(new String[0], Map.of("MICTLANX_ID", "p8", "MICTLANX_PORT", "7002", "MICTLANX_DATA", "/tmp/e",
                "MICTLANX_HOST", "127.0.0.1", "MICTLANX_REPLAY_CACHE_ENTRIES", "5"));
        assertEquals("p8", fromEnv.id());
        assertEquals("127.0.0.1", fromEnv.host());
        assertEquals(5, fromEnv.replayCacheEntries());
        assertEquals(9, PeerMain.parse(with("--port", "9"), Map.of("MICTLANX_PORT", "7002")).port(), "a flag wins over the environment");
    }

    @Test
    void unknownFlagsAndStrayWordsAreRefused() {
        assertEquals("unknown option --scrub-bytes-per-sec (did you mean --scrub-bytes-per-second?)",
                assertThrows(IllegalArgumentException.class, () -> PeerMain.parse(with("--scrub-bytes-per-sec", "1"), Map.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PeerMain.parse(with("extra"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PeerMain.parse(with("--port", "x"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PeerMain.parse(new String[] {"--id", "p1"}, Map.of()));
    }

    @Test
    void theClusterSecretComesFromEitherFlagName() {
        assertEquals("a", PeerMain.secret(PeerMain.parse(with("--secret", "a"), Map.of()), Map.of()));
        assertEquals("b", PeerMain.secret(PeerMain.parse(with("--cluster-secret", "b"), Map.of()), Map.of()));
        assertEquals("c", PeerMain.secret(PeerMain.parse(BASE, Map.of()), Map.of("MICTLANX_CLUSTER_SECRET", "c")));
    }
}
