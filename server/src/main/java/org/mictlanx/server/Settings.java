package org.mictlanx.server;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mictlanx.peer.cli.CommandSettings;

/**
 * Configuration values by name, resolved with one precedence everywhere:
 * command-line flag ({@code --data-dir x}) &gt; environment ({@code MICTLANX_DATA_DIR}, or the
 * contents of the file named by {@code MICTLANX_DATA_DIR_FILE}, the Docker/Kubernetes secrets
 * convention) &gt; config file ({@code --config FILE} or {@code MICTLANX_CONFIG}: Java properties,
 * {@code data-dir=x}) &gt; the default given by the caller.
 *
 * <p>Names are kebab-case; the environment form is {@code MICTLANX_} + upper snake case. The parsing
 * is {@link CommandSettings}, shared with the {@code peer} role.
 */
public final class Settings {

    private final CommandSettings delegate;

    private Settings(CommandSettings delegate) {
        this.delegate = delegate;
    }

    /**
     * Parses {@code --name value}, {@code --name=value} and bare {@code --flag} (value "true").
     * Other words are positional arguments.
     */
    public static Settings parse(String[] args, Map<String, String> env) {
        return new Settings(CommandSettings.parse(args, env));
    }

    public static String envName(String name) {
        return CommandSettings.envName(name);
    }

    public Optional<String> get(String name) {
        return delegate.get(name);
    }

    public String get(String name, String defaultValue) {
        return delegate.get(name, defaultValue);
    }

    public int getInt(String name, int defaultValue) {
        return delegate.getInt(name, defaultValue);
    }

    public long getBytes(String name, long defaultValue) {
        return delegate.getBytes(name, defaultValue);
    }

    public boolean getBoolean(String name) {
        return delegate.getBoolean(name);
    }

    public List<String> positional() {
        return delegate.positional();
    }

    /** True when {@code --help} / {@code -h} was given. */
    public boolean helpAsked() {
        return delegate.helpAsked();
    }

    /** See {@link CommandSettings#requireKnown}. */
    public void requireKnown(Collection<String> known) {
        delegate.requireKnown(known);
    }

    /** See {@link CommandSettings#unknownEnvironment}. */
    public List<String> unknownEnvironment(Collection<String> known) {
        return delegate.unknownEnvironment(known);
    }

    /** Accepts plain bytes or a KiB/MiB/GiB suffix (K, M, G also accepted). */
    static long parseBytes(String name, String v) {
        return CommandSettings.parseBytes(name, v);
    }
}
