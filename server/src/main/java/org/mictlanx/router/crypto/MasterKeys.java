package org.mictlanx.router.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster master keys (AES-256) that wrap every ball's data key. Each has an id; new balls
 * are wrapped under {@link #currentId()} and a ball records the id it used, so after a rotation
 * old balls stay readable as long as their key is still listed.
 *
 * <p>Text form (the {@code master-key} setting, or the all-in-one's key file): entries {@code ID:BASE64}
 * separated by commas or newlines, the current key LAST. Rotation: append a new entry (or call
 * {@link #rotate(Path)} on the all-in-one key file) and restart the routers; never remove a key
 * while balls wrapped under it exist.
 */
public final class MasterKeys {

    public static final String FILE_NAME = "master-keys";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final Map<String, SecretKey> keys;
    private final String currentId;
    private final String firstId;

    private MasterKeys(Map<String, SecretKey> keys, String currentId) {
        this.firstId = keys.keySet().iterator().next();
        this.keys = Map.copyOf(keys);
        this.currentId = currentId;
    }

    /** One key under the id {@code id}. */
    public static MasterKeys of(String id, byte[] key) {
        return new MasterKeys(Map.of(requireId(id), toKey(id, key)), id);
    }

    /** A fresh random key (tests, benchmarks). */
    public static MasterKeys random(String id) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return of(id, k);
    }

    /** Parses the text form; the last entry is current. */
    public static MasterKeys parse(String text) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String last = null;
        // Comment lines go first, so a comma inside a comment does not split it into entries.
        String entries = text.lines().filter(l -> !l.strip().startsWith("#")).collect(java.util.stream.Collectors.joining("\n"));
        for (String raw : entries.split("[,\\n]")) {
            String e = raw.trim();
            if (e.isEmpty()) continue;
            int colon = e.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("master key entry must be ID:BASE64");
            String id = requireId(e.substring(0, colon));
            byte[] raw32;
            try {
                raw32 = Base64.getDecoder().decode(e.substring(colon + 1).trim());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("master key " + id + " is not base64");
            }
            if (keys.put(id, toKey(id, raw32)) != null) throw new IllegalArgumentException("duplicate master key id " + id);
            last = id;
        }
        if (last == null) throw new IllegalArgumentException("no master key given");
        return new MasterKeys(keys, last);
    }

    /**
     * Loads {@code dataDir/master-keys}, creating it with one random key on first start. The
     * directory is created rwx------ and the file rw------- (on POSIX file systems).
     */
    public static MasterKeys loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            createOwnerOnlyDir(dataDir);
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            String line = "k1:" + Base64.getEncoder().encodeToString(k) + "\n";
            try {
                writeOwnerOnly(file, line, StandardOpenOption.CREATE_NEW);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Appends a new random key to the key file, making it current; returns its id. */
    public static String rotate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        MasterKeys existing = parse(Files.readString(file, StandardCharsets.UTF_8));
        int n = existing.keys.size() + 1;
        while (existing.keys.containsKey("k" + n)) n++;
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        writeOwnerOnly(file, "k" + n + ":" + Base64.getEncoder().encodeToString(k) + "\n", StandardOpenOption.APPEND);
        return "k" + n;
    }

    public String currentId() {
        return currentId;
    }

    public SecretKey current() {
        return keys.get(currentId);
    }

    /**
     * Raw bytes of the FIRST listed key, from which other services derive their sealing keys (the
     * Xolo guard seals user secrets under it). Rotation appends keys, so this one stays put; it
     * must never be removed from the list.
     */
    public byte[] identityKey() {
        return keys.get(firstId).getEncoded();
    }

    /** The key with this id; throws when it is unknown (removed too early, or another cluster's ball). */
    public SecretKey key(String id) {
        SecretKey k = keys.get(id);
        if (k == null) throw new IllegalStateException("unknown master key id " + id);
        return k;
    }

    private static void createOwnerOnlyDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException nonPosix) {
            Files.createDirectories(dir);
        }
    }

    private static void writeOwnerOnly(Path file, String text, StandardOpenOption mode) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (mode == StandardOpenOption.CREATE_NEW) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException nonPosix) {
                Files.createFile(file);
            }
            Files.write(file, bytes, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } else {
            Files.write(file, bytes, mode, StandardOpenOption.SYNC);
        }
    }

    private static String requireId(String id) {
        if (id == null || !ID.matcher(id).matches()) throw new IllegalArgumentException("bad master key id: " + id);
        return id;
    }

    private static SecretKey toKey(String id, byte[] raw) {
        if (raw.length != 32) throw new IllegalArgumentException("master key " + id + " must be 32 bytes, got " + raw.length);
        return new SecretKeySpec(raw, "AES");
    }
}
