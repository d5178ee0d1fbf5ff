package org.mictlanx.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Where the server JVMs come from: {@code --classpath-file} holds the bench module's runtime classpath
 * ({@code ./mvnw -pl bench dependency:build-classpath}); the s3proxy jar is split off it so each
 * server gets only its own classes. The server JVMs use this JVM's java.
 */
public record Environment(String java, String mictlanxClasspath, String s3proxyJar, int ticksPerSecond) {

    public static Environment from(Args args) throws IOException {
        Path file = Path.of(args.require("classpath-file"));
        List<String> entries = entries(file);
        String s3proxy = entries.stream().filter(e -> Path.of(e).getFileName().toString().startsWith("s3proxy-"))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no s3proxy jar in " + file));
        String mx = String.join(File.pathSeparator, entries.stream().filter(e -> !e.equals(s3proxy)).toList());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new Environment(java, mx, s3proxy, args.getInt("clk-tck", 100));
    }

    /**
     * The MictlanX server classpath in another build's classpath file (written by that checkout's
     * {@code bench/run.sh}), without its s3proxy jar: a baseline started beside the build under test.
     */
    public static String mictlanxClasspath(Path file) throws IOException {
        return String.join(File.pathSeparator, entries(file).stream()
                .filter(e -> !Path.of(e).getFileName().toString().startsWith("s3proxy-")).toList());
    }

    private static List<String> entries(Path file) throws IOException {
        return Arrays.stream(Files.readString(file).strip().split(File.pathSeparator))
                .filter(s -> !s.isBlank()).toList();
    }

    public Targets targets(List<String> jvmOptions) {
        return new Targets(java, mictlanxClasspath, s3proxyJar, jvmOptions, ticksPerSecond);
    }
}
