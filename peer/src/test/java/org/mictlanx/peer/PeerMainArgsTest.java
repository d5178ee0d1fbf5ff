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
}
