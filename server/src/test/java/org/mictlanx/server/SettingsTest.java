package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerDescriptor;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void precedenceIsFlagThenEnvThenEnvFileThenConfigFileThenDefault() throws Exception {
        Path conf = Files.writeString(dir.resolve("m.conf"), "port=7000\nregion=from-file\ndata=/from/file\nchunk-size=4MiB\n");
        Path secret = Files.writeString(dir.resolve("secret"), "  from-secret-file\n");
        Settings s = Settings.parse(new String[] {"all", "--port", "9100", "--tls-self-signed", "--base-domain=s3.example"},
                Map.of("MICTLANX_CONFIG", conf.toString(), "MICTLANX_PORT", "9200", "MICTLANX_REGION", "from-env",
                        "MICTLANX_CLUSTER_SECRET_FILE", secret.toString()));
        assertEquals(9100, s.getInt("port", 1));
        assertEquals("from-env", s.get("region", "x"));
        assertEquals("from-secret-file", s.get("cluster-secret", "x"));
        assertEquals("/from/file", s.get("data", "x"));
        assertEquals(4L << 20, s.getBytes("chunk-size", 0));
        assertEquals("default", s.get("absent", "default"));
        assertEquals("s3.example", s.get("base-domain", "x"));
        assertEquals(true, s.getBoolean("tls-self-signed"));
        assertEquals(List.of("all"), s.positional());
    }

    @Test
    void badValuesAreReportedByName() {
        Settings s = Settings.parse(new String[] {"--port", "nine", "--chunk-size", "lots"}, Map.of());
        assertEquals("--port must be a whole number, got 'nine'", assertThrows(IllegalArgumentException.class, () -> s.getInt("port", 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.getBytes("chunk-size", 0));
        assertThrows(IllegalArgumentException.class,
                () -> Settings.parse(new String[0], Map.of("MICTLANX_X_FILE", dir.resolve("missing").toString())).get("x"));
    }

    @Test
    void peerUrlsParse() {
        List<PeerDescriptor> peers = ClusterLayout.parse("p1=http://a:7001, p2=http://b:7001|zone=z2|weight=2.5").peers();
        assertEquals(List.of(new PeerDescriptor("p1", "http://a:7001", "default", 1.0),
                new PeerDescriptor("p2", "http://b:7001", "z2", 2.5)), peers);
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.parse("http://nobody"));
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.parse("p1=http://a|colour=red"));
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.parse(" , "));
    }

    @Test
    void masterKeyAcceptsPlainBase64OrIdList() {
        String k = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertEquals("k1", MictlanXServer.masterKeys(k).currentId());
        assertEquals("k2", MictlanXServer.masterKeys("k1:" + k + ",k2:" + k).currentId());
    }
}
