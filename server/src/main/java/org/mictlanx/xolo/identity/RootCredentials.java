package org.mictlanx.xolo.identity;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the root credentials come from, in order: the environment ({@code MICTLANX_ACCESS_KEY} and
 * {@code MICTLANX_SECRET_KEY}, both or neither), else the file {@value #FILE_NAME} in the data
 * directory, else freshly generated, written there owner-only ({@code rw-------}, atomically) and
 * announced once. A file found readable by others is narrowed to owner-only with a warning.
 *
 * @param generated whether they were created by this call (and announced)
 */
public record RootCredentials(Credentials credentials, Source source, boolean generated) {

    public static final String ENV_ACCESS_KEY = "MICTLANX_ACCESS_KEY";
    public static final String ENV_SECRET_KEY = "MICTLANX_SECRET_KEY";
    public static final String FILE_NAME = "root-credentials.properties";
    private static final Logger LOG = LoggerFactory.getLogger(RootCredentials.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public enum Source { ENVIRONMENT, FILE, GENERATED }

    /**
     * @param env      the environment, e.g. {@code System.getenv()}
     * @param dataDir  the data directory (created if missing)
     * @param announce receives the printable lines when credentials are generated, e.g. {@code System.out::println}
     */
    public static RootCredentials load(Map<String, String> env, Path dataDir, Consumer<String> announce,
                                       SecureRandom random) throws IOException {
        String ak = env.get(ENV_ACCESS_KEY);
        String sk = env.get(ENV_SECRET_KEY);
        if (ak != null || sk != null) {
            if (ak == null || sk == null || ak.isBlank() || sk.isBlank()) {
                throw new IllegalArgumentException("set both " + ENV_ACCESS_KEY + " and " + ENV_SECRET_KEY + ", or neither");
            }
            return new RootCredentials(new Credentials(ak.strip(), sk.strip()), Source.ENVIRONMENT, false);
        }
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return new RootCredentials(read(file), Source.FILE, false);
        }
        Files.createDirectories(dataDir);
        Credentials created = Credentials.generate(random);
        write(file, created);
        announce.accept("Root credentials generated and kept in " + file + ":");
        announce.accept("  access key: " + created.accessKeyId());
        announce.accept("  secret key: " + created.secretKey());
        return new RootCredentials(created, Source.GENERATED, true);
    }

    private static Credentials read(Path file) throws IOException {
        if (posix()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                LOG.warn("{} was readable by others ({}); narrowing it to owner-only", file,
                        PosixFilePermissions.toString(perms));
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        }
        Properties p = new Properties();
        try (Reader r = new StringReader(Files.readString(file, StandardCharsets.UTF_8))) {
            p.load(r);
        }
        String ak = p.getProperty("access_key");
        String sk = p.getProperty("secret_key");
        if (ak == null || sk == null) {
            throw new IOException(file + " lacks access_key or secret_key");
        }
        return new Credentials(ak.strip(), sk.strip());
    }

    /** Writes the credentials file atomically, owner-only (also used by {@link RootAccount#rotate}). */
    static void write(Path file, Credentials c) throws IOException {
        Path dir = file.getParent();
        Path tmp = posix()
                ? Files.createTempFile(dir, ".root-credentials", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, ".root-credentials", ".tmp");
        try {
            if (!posix()) {
                tmp.toFile().setReadable(false, false);
                tmp.toFile().setReadable(true, true);
            }
            String text = "# MictlanX root credentials; keep this file private\naccess_key=" + c.accessKeyId()
                    + "\nsecret_key=" + c.secretKey() + "\n";
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
