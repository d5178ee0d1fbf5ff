package org.mictlanx.peer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A peer's data directory is owner-only: created 0700, files 0600, an existing looser directory tightened. */
class DataDirPermissionsTest {
    @TempDir
    Path dir;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewDataDirectoryAndItsFilesAreOwnerOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path data = dir.resolve("new-parent").resolve("peer");
        try (LocalPeer p = LocalPeer.open(PeerConfig.builder("p").dataDir(data).diskReserveBytes(0).build())) {
            p.putChunk("c", new byte[] {1, 2, 3}, org.mictlanx.peer.store.ChunkCodec.crc32c(new byte[] {1, 2, 3}, 0, 3));
        }
        assertEquals("rwx------", mode(data));
        assertEquals("rwx------", mode(data.getParent()), "parents it creates too");
        try (LocalPeer p = LocalPeer.open(PeerConfig.builder("p").dataDir(data).diskReserveBytes(0).build())) {
            List<Path> files;
            try (Stream<Path> s = Files.list(data)) {
                files = s.filter(Files::isRegularFile).toList();
            }
            assertFalse(files.isEmpty());
            for (Path f : files) assertEquals("rw-------", mode(f), f.toString());
        }
    }

    @Test
    void anExistingLooserDataDirectoryIsTightened() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path data = Files.createDirectories(dir.resolve("existing"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path stray = Files.writeString(data.resolve("LOG.old.1"), "x");
        Files.setPosixFilePermissions(stray, PosixFilePermissions.fromString("rw-r--r--"));
        try (LocalPeer p = LocalPeer.open(PeerConfig.builder("p").dataDir(data).diskReserveBytes(0).build())) {
            assertEquals("rwx------", mode(data));
            assertEquals("rw-------", mode(stray));
        }
    }
}
