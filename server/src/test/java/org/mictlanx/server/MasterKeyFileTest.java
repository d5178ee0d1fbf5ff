package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.router.crypto.MasterKeys;

/** {@code MICTLANX_MASTER_KEY_FILE}: the master key kept outside the data directory (a mounted secret). */
class MasterKeyFileTest {

    @TempDir
    Path dir;

    private static String key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void aMultiLineKeyListFileWithCommentsAndCrlfIsRead() throws Exception {
        Path file = dir.resolve("master-keys");
        Files.writeString(file, "# cluster master keys, current last\r\nk1:" + key() + "\r\n\r\nk2:" + key() + "\r\n");
        String value = Settings.parse(new String[0], Map.of("MICTLANX_MASTER_KEY_FILE", file.toString())).get("master-key").orElseThrow();
        MasterKeys keys = MictlanXServer.masterKeys(value);
        assertEquals("k2", keys.currentId());
        assertNotNull(keys.key("k1"));
        // a bare base64 key with a trailing newline is the key k1
        Files.writeString(file, "# the only key\n" + key() + "\n");
        String bare = Settings.parse(new String[0], Map.of("MICTLANX_MASTER_KEY_FILE", file.toString())).get("master-key").orElseThrow();
        assertEquals("k1", MictlanXServer.masterKeys(bare).currentId());
    }

    @Test
    void anAllInOneWithTheKeyFileKeepsNoKeyInItsDataDirectory() throws Exception {
        Path secret = dir.resolve("secrets/master-key");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "k1:" + key() + "\nk2:" + key() + "\n");
        Path data = dir.resolve("data");
        Map<String, String> env = Map.of("MICTLANX_MASTER_KEY_FILE", secret.toString());
        String[] args = {"--port", "0", "--host", "127.0.0.1", "--data", data.toString(),
                "--access-key", MictlanXServerTest.AK, "--secret-key", MictlanXServerTest.SK};
        HttpClient http = HttpClient.newHttpClient();
        try (MictlanXServer server = MictlanXServer.allInOne(Settings.parse(args, env))) {
            assertEquals(200, MictlanXServerTest.s3(http, server.endpoint(), MictlanXServerTest.AK, MictlanXServerTest.SK, "PUT", "/kept-out", "").statusCode());
            assertEquals(200, MictlanXServerTest.s3(http, server.endpoint(), MictlanXServerTest.AK, MictlanXServerTest.SK, "PUT", "/kept-out/k", "sealed").statusCode());
        }
        assertFalse(Files.exists(data.resolve("keys").resolve(MasterKeys.FILE_NAME)), "no master key beside the data");
        try (MictlanXServer again = MictlanXServer.allInOne(Settings.parse(args, env))) {
            assertEquals("sealed", MictlanXServerTest.s3(http, again.endpoint(), MictlanXServerTest.AK, MictlanXServerTest.SK, "GET", "/kept-out/k", "").body());
        }
    }
}
