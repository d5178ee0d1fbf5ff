package org.mictlanx.server;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Saved admin targets ("aliases"): a name for an endpoint, root credentials and an optional CA
 * certificate, kept in {@code CONFIG_DIR/mictlanx/aliases.properties}, where CONFIG_DIR is the
 * {@code config-dir} setting, else {@code $XDG_CONFIG_HOME}, else {@code ~/.config}. The directory is
 * owner-only (0700) and the file 0600, written atomically; secrets are never printed back.
 */
final class AdminProfiles {

    /** One saved target. {@code caCert} may be null. */
    record Profile(String name, String url, String accessKey, String secretKey, String caCert) {
        @Override
        public String toString() {
            return "Profile[" + name + " " + url + " " + accessKey + "]"; // never the secret
        }
    }

    private final Path file;

    AdminProfiles(Path file) {
        this.file = file;
    }

    /** The aliases file for these settings and environment. */
    static AdminProfiles of(Settings s, Map<String, String> env) {
        Path base = s.get("config-dir").map(Path::of)
                .or(() -> Optional.ofNullable(env.get("XDG_CONFIG_HOME")).filter(v -> !v.isBlank()).map(Path::of))
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".config"));
        return new AdminProfiles(base.resolve("mictlanx").resolve("aliases.properties"));
    }

    Path file() {
        return file;
    }

    Map<String, Profile> all() {
        Properties p = load();
        Map<String, Profile> out = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.endsWith(".url")) continue;
            String name = key.substring(0, key.length() - ".url".length());
            out.put(name, new Profile(name, p.getProperty(name + ".url"), p.getProperty(name + ".access-key"),
                    p.getProperty(name + ".secret-key"), p.getProperty(name + ".ca-cert")));
        }
        return out;
    }

    Optional<Profile> get(String name) {
        return Optional.ofNullable(all().get(name));
    }

    void put(Profile profile) {
        if (!profile.name().matches("[A-Za-z0-9_-]{1,64}")) throw new IllegalArgumentException("an alias name is 1-64 of [A-Za-z0-9_-]");
        Properties p = load();
        p.setProperty(profile.name() + ".url", profile.url());
        p.setProperty(profile.name() + ".access-key", profile.accessKey());
        p.setProperty(profile.name() + ".secret-key", profile.secretKey());
        if (profile.caCert() != null) p.setProperty(profile.name() + ".ca-cert", profile.caCert());
        else p.remove(profile.name() + ".ca-cert");
        store(p);
    }

    boolean remove(String name) {
        Properties p = load();
        boolean had = p.remove(name + ".url") != null;
        p.remove(name + ".access-key");
        p.remove(name + ".secret-key");
        p.remove(name + ".ca-cert");
        if (had) store(p);
        return had;
    }

    private Properties load() {
        Properties p = new Properties();
        if (!Files.exists(file)) return p;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        return p;
    }

    private void store(Properties p) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            Path dir = file.getParent();
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
            Path tmp = posix
                    ? Files.createTempFile(dir, ".aliases", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".aliases", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "mictlanx admin aliases (secrets: keep this file 0600)");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            if (posix) Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
