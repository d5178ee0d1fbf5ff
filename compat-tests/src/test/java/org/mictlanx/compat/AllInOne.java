package org.mictlanx.compat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mictlanx.server.MictlanXServer;
import org.mictlanx.server.Settings;

/**
 * A real all-in-one MictlanX (router, S3 front door, embedded RocksDB peers) on an ephemeral
 * loopback port with its own temporary data directory, removed on close.
 */
public final class AllInOne implements AutoCloseable {

    public static final String ACCESS_KEY = "AKIACOMPATTESTROOT01";
    public static final String SECRET_KEY = "compat/test/secret/key/0123456789abcdefgh";

    private final Path dataDir;
    private final MictlanXServer server;

    private AllInOne(Path dataDir, MictlanXServer server) {
        this.dataDir = dataDir;
        this.server = server;
    }

    public static AllInOne start(String... extraArgs) throws IOException {
        Path dir = Files.createTempDirectory("mictlanx-compat");
        List<String> args = new ArrayList<>(List.of("--port", "0", "--host", "127.0.0.1", "--data", dir.toString(),
                "--base-domain", "s3.localtest", "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY));
        args.addAll(List.of(extraArgs));
        MictlanXServer server = MictlanXServer.allInOne(Settings.parse(args.toArray(String[]::new), Map.of()));
        return new AllInOne(dir, server);
    }

    public URI endpoint() {
        return server.endpoint();
    }

    public int port() {
        return server.endpoint().getPort();
    }

    /** An AWS SDK v2 client with default settings, path-style or virtual-hosted-style (loopback DNS). */
    public software.amazon.awssdk.services.s3.S3Client client(String accessKey, String secretKey, boolean pathStyle) {
        var b = software.amazon.awssdk.services.s3.S3Client.builder()
                .endpointOverride(pathStyle ? endpoint() : URI.create("http://s3.localtest:" + port()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(pathStyle);
        if (!pathStyle) {
            // Virtual-hosted style: every *.s3.localtest name resolves to loopback for this client only.
            b.httpClient(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()
                    .dnsResolver(host -> new java.net.InetAddress[] {java.net.InetAddress.getLoopbackAddress()}).build());
        }
        return b.build();
    }

    /** A root client, path-style. */
    public software.amazon.awssdk.services.s3.S3Client rootClient() {
        return client(ACCESS_KEY, SECRET_KEY, true);
    }

    public MictlanXServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws IOException {
        server.close();
        try (var walk = Files.walk(dataDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
