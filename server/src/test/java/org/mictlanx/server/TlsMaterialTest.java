package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development certificate's key store is protected by a random password kept owner-only beside it. */
class TlsMaterialTest {

    @TempDir
    Path dir;

    private static KeyStore open(Path file, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    private static char[] password(Path tls) throws IOException {
        return Files.readString(tls.resolve(TlsMaterial.PASSWORD_FILE)).strip().toCharArray();
    }

    @Test
    void theGeneratedKeyStoreHasARandomOwnerOnlyPassword() throws Exception {
        Path a = dir.resolve("a/tls"), b = dir.resolve("b/tls");
        KeyStore inMemory = TlsMaterial.selfSigned(a, List.of());
        TlsMaterial.selfSigned(b, List.of());
        char[] pa = password(a);
        assertTrue(pa.length >= 32, "at least 24 random bytes");
        assertNotEquals(new String(pa), new String(password(b)), "each key store draws its own password");
        assertNotEquals("mictlanx", new String(pa));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a.resolve(TlsMaterial.PASSWORD_FILE))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a.resolve("self-signed.p12"))));
        assertThrows(IOException.class, () -> open(a.resolve("self-signed.p12"), "mictlanx".toCharArray()), "the old fixed password fails");
        KeyStore onDisk = open(a.resolve("self-signed.p12"), pa);
        assertArrayEquals(onDisk.getCertificate("mictlanx").getEncoded(), inMemory.getCertificate("mictlanx").getEncoded());
        // loaded again: same certificate, same password
        KeyStore again = TlsMaterial.selfSigned(a, List.of());
        assertArrayEquals(onDisk.getCertificate("mictlanx").getEncoded(), again.getCertificate("mictlanx").getEncoded());
        assertEquals(new String(pa), new String(password(a)));
        assertTrue(again.getKey("mictlanx", TlsMaterial.STORE_PASSWORD) != null, "the in-memory store opens with the process password");
    }

    @Test
    void aKeyStoreUnderTheFormerFixedPasswordIsReprotected() throws Exception {
        Path tls = dir.resolve("tls");
        KeyStore generated = TlsMaterial.selfSigned(tls, List.of());
        // rewrite it as older versions kept it: fixed password, no password file
        KeyStore legacy = KeyStore.getInstance("PKCS12");
        legacy.load(null, null);
        legacy.setKeyEntry("mictlanx", generated.getKey("mictlanx", TlsMaterial.STORE_PASSWORD), "mictlanx".toCharArray(),
                generated.getCertificateChain("mictlanx"));
        try (OutputStream out = Files.newOutputStream(tls.resolve("self-signed.p12"))) {
            legacy.store(out, "mictlanx".toCharArray());
        }
        Files.delete(tls.resolve(TlsMaterial.PASSWORD_FILE));
        KeyStore loaded = TlsMaterial.selfSigned(tls, List.of());
        assertArrayEquals(generated.getCertificate("mictlanx").getEncoded(), loaded.getCertificate("mictlanx").getEncoded());
        assertThrows(IOException.class, () -> open(tls.resolve("self-signed.p12"), "mictlanx".toCharArray()));
        open(tls.resolve("self-signed.p12"), password(tls));
    }
}
