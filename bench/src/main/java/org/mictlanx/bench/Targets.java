package org.mictlanx.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How to start each system under test in its own JVM. */
public final class Targets {

    /**
     * One system under test: display name and what {@link #start} needs. {@code classpath} is null for the
     * MictlanX build under test (the environment's classpath) or another build's classpath (a baseline
     * measured in the same run, e.g. the commit before a change).
     */
    public record Target(String name, Kind kind, int peers, int replication, String classpath) {
        public Target(String name, Kind kind, int peers, int replication) {
            this(name, kind, peers, replication, null);
        }

        /** This MictlanX configuration started from another build's classpath, under {@code newName}. */
        public Target withClasspath(String newName, String otherClasspath) {
            return new Target(newName, kind, peers, replication, otherClasspath);
        }
    }

    public enum Kind { MICTLANX, S3PROXY }

    public static final Target MICTLANX_1 = new Target("mictlanx-1", Kind.MICTLANX, 1, 1);
    public static final Target MICTLANX_3 = new Target("mictlanx-3", Kind.MICTLANX, 3, 3);
    public static final Target S3PROXY = new Target("s3proxy", Kind.S3PROXY, 0, 0);

    private static final Pattern MICTLANX_READY = Pattern.compile("MictlanX ready at (\\S+)");
    private static final Pattern JETTY_STARTED = Pattern.compile("ServerConnector@\\S+\\{HTTP/1\\.1.*\\}\\{(127\\.0\\.0\\.1:\\d+)\\}");

    private final String javaExe;
    private final String mictlanxClasspath;
    private final String s3proxyJar;
    private final List<String> jvmOptions;
    private final int ticksPerSecond;

    /**
     * @param java            the java executable for the server JVMs
     * @param mictlanxClasspath classpath holding {@code org.mictlanx.server.Main} and its dependencies
     * @param s3proxyJar      s3proxy's self-contained jar ({@code jar-with-dependencies})
     * @param jvmOptions      options given to every server JVM alike (heap, GC)
     */
    public Targets(String java, String mictlanxClasspath, String s3proxyJar, List<String> jvmOptions, int ticksPerSecond) {
        this.javaExe = java;
        this.mictlanxClasspath = mictlanxClasspath;
        this.s3proxyJar = s3proxyJar;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.ticksPerSecond = ticksPerSecond;
    }

    /**
     * Starts {@code t} on an ephemeral loopback port with data in a fresh temp dir under {@code parent},
     * root credentials {@code ak}/{@code sk}, no per-request logging, and the extra JVM options given.
     */
    public ServerProcess start(Target t, Path parent, String ak, String sk, List<String> extraJvm,
                               boolean keepDir) throws IOException, InterruptedException {
        return start(t, parent, ak, sk, extraJvm, keepDir, List.of());
    }

    /** As above, with {@code extraArgs} appended to a MictlanX server's command line (settings). */
    public ServerProcess start(Target t, Path parent, String ak, String sk, List<String> extraJvm,
                               boolean keepDir, List<String> extraArgs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(parent, t.name() + "-");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExe);
        cmd.addAll(jvmOptions);
        cmd.addAll(extraJvm);
        return switch (t.kind()) {
            case MICTLANX -> {
                cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp",
                        t.classpath() != null ? t.classpath() : mictlanxClasspath,
                        "org.mictlanx.server.Main", "all-in-one", "--host", "127.0.0.1", "--port", "0",
                        "--data", dir.resolve("data").toString(), "--peers", Integer.toString(t.peers()),
                        "--replication", Integer.toString(t.replication()), "--access-key", ak, "--secret-key", sk));
                cmd.addAll(extraArgs);
                yield ServerProcess.start(t.name(), cmd, Map.of("MICTLANX_ACCESS_LOG", "OFF", "MICTLANX_LOG_LEVEL", "WARN"),
                        dir, line -> match(MICTLANX_READY, line, ""), 120, ticksPerSecond, keepDir);
            }
            case S3PROXY -> {
                Path blobs = Files.createDirectories(dir.resolve("data"));
                Path props = dir.resolve("s3proxy.properties");
                Files.writeString(props, String.join("\n",
                        "s3proxy.endpoint=http://127.0.0.1:0",
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + ak,
                        "s3proxy.credential=" + sk,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + blobs,
                        ""));
                cmd.addAll(List.of("-cp", s3proxyJar, "org.gaul.s3proxy.Main", "--properties", props.toString()));
                // s3proxy's default INFO level logs no line per request; Jetty's INFO line announces the port.
                yield ServerProcess.start(t.name(), cmd, Map.of(),
                        dir, line -> match(JETTY_STARTED, line, "http://"), 120, ticksPerSecond, keepDir);
            }
        };
    }

    private static URI match(Pattern p, String line, String prefix) {
        Matcher m = p.matcher(line);
        return m.find() ? URI.create(prefix + m.group(1)) : null;
    }
}
