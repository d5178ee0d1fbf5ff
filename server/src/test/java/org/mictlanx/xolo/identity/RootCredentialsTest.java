package org.mictlanx.xolo.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void generatedOnceKeptOwnerOnlyAndAnnounced() throws IOException {
        List<String> printed = new ArrayList<>();
        Path data = dir.resolve("data");
        RootCredentials first = RootCredentials.load(Map.of(), data, printed::add, new SecureRandom());
        assertTrue(first.generated());
        assertEquals(RootCredentials.Source.GENERATED, first.source());
        assertTrue(String.join("\n", printed).contains(first.credentials().secretKey()));
        Path file = data.resolve(RootCredentials.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        printed.clear();
        RootCredentials again = RootCredentials.load(Map.of(), data, printed::add, new SecureRandom());
        assertEquals(first.credentials(), again.credentials());
        assertEquals(RootCredentials.Source.FILE, again.source());
        assertFalse(again.generated());
        assertTrue(printed.isEmpty());
        try (var files = Files.list(data)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void aLooseFileIsNarrowedToOwnerOnly() throws IOException {
        Path file = dir.resolve(RootCredentials.FILE_NAME);
        Files.writeString(file, "access_key=MXFROMFILE0000000000\nsecret_key=fromfilefromfilefromfile\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        RootCredentials loaded = RootCredentials.load(Map.of(), dir, s -> { }, new SecureRandom());
        assertEquals(new Credentials("MXFROMFILE0000000000", "fromfilefromfilefromfile"), loaded.credentials());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.writeString(file, "access_key=only\n");
        assertThrows(IOException.class, () -> RootCredentials.load(Map.of(), dir, s -> { }, new SecureRandom()));
    }

    @Test
    void theEnvironmentWinsAndMustBeComplete() throws IOException {
        RootCredentials env = RootCredentials.load(Map.of(RootCredentials.ENV_ACCESS_KEY, "minioadmin",
                RootCredentials.ENV_SECRET_KEY, "minioadmin"), dir, s -> { }, new SecureRandom());
        assertEquals(new Credentials("minioadmin", "minioadmin"), env.credentials());
        assertEquals(RootCredentials.Source.ENVIRONMENT, env.source());
        assertFalse(Files.exists(dir.resolve(RootCredentials.FILE_NAME)), "nothing written");
        assertThrows(IllegalArgumentException.class, () -> RootCredentials.load(
                Map.of(RootCredentials.ENV_ACCESS_KEY, "minioadmin"), dir, s -> { }, new SecureRandom()));
    }
}
