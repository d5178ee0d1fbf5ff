package org.mictlanx.router.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeysTest {

    @TempDir
    Path tmp;

    @Test
    void generatedOnFirstStartWithOwnerOnlyPermissionsAndStable() throws Exception {
        Path dir = tmp.resolve("data");
        MasterKeys k1 = MasterKeys.loadOrCreate(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(MasterKeys.FILE_NAME))));
        MasterKeys again = MasterKeys.loadOrCreate(dir);
        assertArrayEquals(k1.current().getEncoded(), again.current().getEncoded());
    }

    @Test
    void rotationKeepsOldKeysReadable() throws Exception {
        MasterKeys before = MasterKeys.loadOrCreate(tmp);
        ChunkCipher cipher = new ChunkCipher();
        SecretKey dk = cipher.newDataKey();
        byte[] wrapped = cipher.wrap(before, before.currentId(), "ball", dk);
        String newId = MasterKeys.rotate(tmp);
        MasterKeys after = MasterKeys.loadOrCreate(tmp);
        assertEquals(newId, after.currentId());
        assertArrayEquals(dk.getEncoded(), cipher.unwrap(after, before.currentId(), "ball", wrapped).getEncoded());
    }

    @Test
    void chunksAreBoundToBallAndIndex() throws Exception {
        ChunkCipher cipher = new ChunkCipher();
        SecretKey dk = cipher.newDataKey();
        byte[] plain = "hello chunk".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = cipher.encrypt(dk, "ball", 3, plain, 0, plain.length);
        assertArrayEquals(plain, cipher.decrypt(dk, "ball", 3, sealed));
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(dk, "ball", 4, sealed));
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(dk, "other", 3, sealed));
        sealed[0] ^= 1;
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt(dk, "ball", 3, sealed));
    }

    @Test
    void parsesTextFormAndRejectsBadKeys() {
        String k = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        MasterKeys m = MasterKeys.parse("old:" + k + ", new:" + k);
        assertEquals("new", m.currentId());
        assertThrows(IllegalArgumentException.class, () -> MasterKeys.parse("a:AAAA"));
        assertThrows(IllegalArgumentException.class, () -> MasterKeys.parse(""));
        assertThrows(IllegalStateException.class, () -> m.key("missing"));
    }
}
