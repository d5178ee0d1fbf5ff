package org.mictlanx.xolo.identity;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The root credentials in force in this process, and their rotation. Where root's secret is kept
 * decides who may rotate it:
 * <ul>
 *   <li>kept in the data directory ({@value RootCredentials#FILE_NAME}: the all-in-one without
 *       {@code access-key}/{@code secret-key} settings): {@link #rotate} draws a new secret, writes
 *       the file atomically and owner-only, and the old secret is refused from the next request on;</li>
 *   <li>given by the settings (flag, {@code MICTLANX_SECRET_KEY}, {@code MICTLANX_SECRET_KEY_FILE}:
 *       always so for the server role, where every router must agree): the operator rotates it by
 *       changing the setting and restarting the routers; {@link #rotate} refuses with
 *       {@link IdentityException.Kind#ROOT_FROM_SETTINGS}.</li>
 * </ul>
 * The access key id stays; only the secret changes. Thread-safe.
 */
public final class RootAccount implements Supplier<Credentials> {

    private final Path file;
    private volatile Credentials current;

    private RootAccount(Credentials current, Path file) {
        this.current = current;
        this.file = file;
    }

    /**
     * @param loaded  what {@link RootCredentials#load} found
     * @param dataDir the data directory it was loaded from
     */
    public static RootAccount of(RootCredentials loaded, Path dataDir) {
        return new RootAccount(loaded.credentials(), loaded.source() == RootCredentials.Source.ENVIRONMENT
                ? null : dataDir.resolve(RootCredentials.FILE_NAME));
    }

    /** Root credentials from the settings: not rotatable at run time. */
    public static RootAccount fixed(Credentials credentials) {
        return new RootAccount(credentials, null);
    }

    @Override
    public Credentials get() {
        return current;
    }

    /** The file root's secret is kept in, when it is kept by the server (and so rotatable). */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Draws a new root secret, keeps it, and makes it the one in force; returns the new credentials. */
    public synchronized Credentials rotate(SecureRandom random) throws IOException {
        if (file == null) {
            throw new IdentityException(IdentityException.Kind.ROOT_FROM_SETTINGS,
                    "the root secret comes from the settings (--secret-key, MICTLANX_SECRET_KEY or MICTLANX_SECRET_KEY_FILE):"
                            + " change it there and restart the routers");
        }
        Credentials next = new Credentials(current.accessKeyId(), Credentials.generate(random).secretKey());
        RootCredentials.write(file, next);
        current = next;
        return next;
    }
}
