package org.mictlanx.peer.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The one settings parser of every role ({@code all-in-one}, {@code server}, {@code peer}, {@code admin}):
 * configuration values by name, resolved with one precedence everywhere:
 * command-line flag ({@code --data-dir x}) &gt; environment ({@code MICTLANX_DATA_DIR}, or the
 * contents of the file named by {@code MICTLANX_DATA_DIR_FILE}, the Docker/Kubernetes secrets
 * convention) &gt; config file ({@code --config FILE} or {@code MICTLANX_CONFIG}: Java properties,
 * {@code data-dir=x}) &gt; the default given by the caller.
 *
 * <p>Names are kebab-case; the environment form is {@code MICTLANX_} + upper snake case.
 */
public final class CommandSettings {

    private final Map<String, String> flags;
    private final Map<String, String> env;
    private final Properties file;
    private final String configPath;
    private final List<String> positional;

    /** Flags that never take a value, so the word after them stays a positional argument ({@code --json user list}). */
    static final java.util.Set<String> SWITCHES = java.util.Set.of("json", "dev", "tls-self-signed");

    private CommandSettings(Map<String, String> flags, List<String> positional, Map<String, String> env, Properties file,
                            String configPath) {
        this.configPath = configPath;
        this.flags = flags;
        this.positional = positional;
        this.env = env;
        this.file = file;
    }

    /**
     * Parses {@code --name value}, {@code --name=value} and bare {@code --flag} (value "true"; always so for
     * the {@link #SWITCHES}).
     * Other words are positional arguments.
     */
    public static CommandSettings parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && a.length() > 2) {
                String body = a.substring(2);
                int eq = body.indexOf('=');
                if (eq > 0) {
                    flags.put(body.substring(0, eq), body.substring(eq + 1));
                } else if (!SWITCHES.contains(body) && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    flags.put(body, args[++i]);
                } else {
                    flags.put(body, "true");
                }
            } else {
                positional.add(a);
            }
        }
        Properties file = new Properties();
        String configPath = flags.getOrDefault("config", env.get("MICTLANX_CONFIG"));
        if (configPath != null) {
            try (Reader r = Files.newBufferedReader(Path.of(configPath), StandardCharsets.UTF_8)) {
                file.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + configPath + ": " + e.getMessage(), e);
            }
        }
        return new CommandSettings(flags, positional, env, file, configPath);
    }

    public static String envName(String name) {
        return "MICTLANX_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public Optional<String> get(String name) {
        String v = flags.get(name);
        if (v != null) return Optional.of(v);
        String envName = envName(name);
        v = env.get(envName);
        if (v != null) return Optional.of(v);
        String fileRef = env.get(envName + "_FILE");
        if (fileRef != null) {
            try {
                return Optional.of(Files.readString(Path.of(fileRef), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + envName + "_FILE " + fileRef + ": " + e.getMessage(), e);
            }
        }
        return Optional.ofNullable(file.getProperty(name));
    }

    public String get(String name, String defaultValue) {
        return get(name).orElse(defaultValue);
    }

    public int getInt(String name, int defaultValue) {
        return get(name).map(v -> parseInt(name, v)).orElse(defaultValue);
    }

    public long getBytes(String name, long defaultValue) {
        return get(name).map(v -> parseBytes(name, v)).orElse(defaultValue);
    }

    public boolean getBoolean(String name) {
        return get(name).map(v -> v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes")).orElse(false);
    }

    /** The flag names given on the command line (without {@code --}). */
    public java.util.Set<String> flagNames() {
        return java.util.Set.copyOf(flags.keySet());
    }

    /** True when {@code --help} or {@code -h} was given. */
    public boolean helpAsked() {
        return flags.containsKey("help") || positional.contains("-h") || positional.contains("help") && positional.size() == 1;
    }

    /**
     * Refuses any flag, and any key of the {@code --config} file, not in {@code known} ({@code config} and
     * {@code help} are always known as flags), so a typo ({@code --replicaton 3}, {@code replicaton=3} in the
     * file) is an error instead of a silently ignored setting.
     *
     * @throws IllegalArgumentException naming the first unknown flag or file key, with the closest known name when one is near
     */
    public void requireKnown(java.util.Collection<String> known) {
        for (String f : new java.util.TreeSet<>(flags.keySet())) {
            if (f.equals("config") || f.equals("help") || known.contains(f)) continue;
            String near = nearest(known, f);
            throw new IllegalArgumentException("unknown option --" + f + (near == null ? "" : " (did you mean --" + near + "?)"));
        }
        for (String k : new java.util.TreeSet<>(file.stringPropertyNames())) {
            if (known.contains(k)) continue;
            String near = nearest(known, k);
            throw new IllegalArgumentException("unknown setting '" + k + "' in config file " + configPath
                    + (near == null ? "" : " (did you mean " + near + "?)"));
        }
    }

    /**
     * {@code MICTLANX_*} variables that are not settings but are read by the launchers ({@code bin/mictlanx},
     * the distribution's launcher, the container entrypoint) and the logging configuration.
     */
    public static final java.util.Set<String> LAUNCHER_VARIABLES = java.util.Set.of("MICTLANX_CONFIG", "MICTLANX_JAVA_OPTS",
            "MICTLANX_CLASSPATH", "MICTLANX_LOG_LEVEL", "MICTLANX_ACCESS_LOG", "MICTLANX_PEER_ID");

    /**
     * One warning line for each {@code MICTLANX_*} environment variable that is neither a setting in
     * {@code known} (as {@code MICTLANX_NAME} or {@code MICTLANX_NAME_FILE}) nor one of the
     * {@link #LAUNCHER_VARIABLES}: such a variable is ignored. Not an error, since environments carry variables
     * meant for other roles; a near miss ({@code MICTLANX_REPLICATON}) names the variable meant.
     */
    public List<String> unknownEnvironment(java.util.Collection<String> known) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String k : known) {
            names.add(envName(k));
            names.add(envName(k) + "_FILE");
        }
        List<String> warnings = new ArrayList<>();
        for (String v : new java.util.TreeSet<>(env.keySet())) {
            if (!v.startsWith("MICTLANX_") || names.contains(v) || LAUNCHER_VARIABLES.contains(v)) continue;
            boolean isFile = v.endsWith("_FILE");
            String near = nearest(known, isFile ? v.substring(0, v.length() - "_FILE".length()) : v);
            warnings.add(v + " is not a setting of this role and is ignored"
                    + (near == null ? "" : " (did you mean " + envName(near) + (isFile ? "_FILE" : "") + "?)"));
        }
        return warnings;
    }

    /** The known name closest to {@code given} (a flag, a file key or a variable name), or null when none is near. */
    private static String nearest(java.util.Collection<String> known, String given) {
        String f = given.startsWith("MICTLANX_") ? given.substring("MICTLANX_".length()) : given;
        String name = f.toLowerCase(Locale.ROOT).replace('_', '-');
        return known.stream().filter(k -> distance(k, name) <= 2).min(java.util.Comparator.comparingInt(k -> distance(k, name)))
                .or(() -> known.stream().filter(k -> name.length() >= 3 && (k.startsWith(name) || name.startsWith(k))).findFirst())
                .orElse(null);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    public long getLong(String name, long defaultValue) {
        return get(name).map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
            }
        }).orElse(defaultValue);
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    private static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    /** Accepts plain bytes or a KiB/MiB/GiB suffix (K, M, G also accepted). */
    public static long parseBytes(String name, String v) {
        String s = v.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long mult = 1;
        if (s.endsWith("K")) mult = 1L << 10;
        else if (s.endsWith("M")) mult = 1L << 20;
        else if (s.endsWith("G")) mult = 1L << 30;
        if (mult != 1) s = s.substring(0, s.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(s.trim()), mult);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + " must be a size like 8MiB, got '" + v + "'");
        }
    }
}
