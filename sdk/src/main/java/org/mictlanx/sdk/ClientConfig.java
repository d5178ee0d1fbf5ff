package org.mictlanx.sdk;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link MictlanX} client needs. Invariants: at least one router; part size between
 * 5 MiB and 5 GiB (S3's multipart bounds, except that a lone last part may be smaller) and at most
 * 512 MiB here because each part in flight is buffered; parallelism at least 1; cache bytes not negative.
 *
 * @param routers       base URIs of the routers (scheme, host, port), all serving the same data
 * @param accessKey     SigV4 access key id
 * @param secretKey     SigV4 secret key
 * @param region        SigV4 region
 * @param partSize      bytes per part for multipart puts, and per ranged read for gets of encrypted balls or
 *                      through the cache (plaintext gets stream ranged reads of whole parts, at least 32 MiB)
 * @param parallelism   parts in flight per put or get (bounds memory: parallelism x partSize); a streamed
 *                      plaintext get holds no per-part buffer: it splits the read into about this many
 *                      ranged GETs of whole parts (at least 32 MiB each) and keeps two of them open
 * @param retry         retry policy for retryable failures
 * @param cacheBytes    capacity of the chunk cache in bytes, 0 disables it
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout per-request timeout; for the ranged GETs of reads, the longest wait for the answer
 *                       or for the next bytes of its body
 */
public record ClientConfig(List<URI> routers, String accessKey, String secretKey, String region, int partSize,
                           int parallelism, RetryPolicy retry, long cacheBytes, Duration connectTimeout,
                           Duration requestTimeout) {

    /** The smallest part S3 accepts (other than the last). */
    public static final int MIN_PART_SIZE = 5 << 20;
    /** Default part size: 8 MiB. */
    public static final int DEFAULT_PART_SIZE = 8 << 20;

    /** Validates the invariants above. */
    public ClientConfig {
        routers = requireRouters(routers);
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        if (partSize < MIN_PART_SIZE || partSize > (512 << 20)) {
            throw new IllegalArgumentException("part size must be between 5 MiB and 512 MiB: " + partSize);
        }
        if (parallelism < 1 || cacheBytes < 0) {
            throw new IllegalArgumentException("parallelism must be >= 1 and cache bytes >= 0");
        }
    }

    /**
     * The configuration of a builder's settings, whose credentials are null until given: validated as by
     * the constructor, in its order (no router first, then a missing access key or secret key).
     */
    static ClientConfig of(List<URI> routers, @Nullable String accessKey, @Nullable String secretKey, String region,
                           int partSize, int parallelism, RetryPolicy retry, long cacheBytes, Duration connectTimeout,
                           Duration requestTimeout) {
        requireRouters(routers);
        return new ClientConfig(routers, Objects.requireNonNull(accessKey, "accessKey"),
                Objects.requireNonNull(secretKey, "secretKey"), region, partSize, parallelism, retry, cacheBytes,
                connectTimeout, requestTimeout);
    }

    private static List<URI> requireRouters(List<URI> routers) {
        List<URI> copy = List.copyOf(routers);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("at least one router is required");
        }
        return copy;
    }

    /**
     * Parses {@code mictlanx://ACCESS:SECRET@host1:9000,host2:9000/?secure=false&partSize=8388608&parallelism=4&cacheBytes=0}.
     * Access and secret may be percent-encoded; the secret may contain {@code /}. {@code secure}
     * (default false) picks https.
     */
    public static MictlanX.Builder parse(String connection) {
        String prefix = "mictlanx://";
        if (connection == null || !connection.startsWith(prefix)) {
            throw new IllegalArgumentException("a connection string starts with mictlanx://");
        }
        String rest = connection.substring(prefix.length());
        int at = rest.lastIndexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("the connection string needs ACCESS:SECRET@hosts");
        }
        String userInfo = rest.substring(0, at);
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("the connection string needs ACCESS:SECRET@hosts");
        }
        MictlanX.Builder b = MictlanX.builder().credentials(decode(userInfo.substring(0, colon)),
                decode(userInfo.substring(colon + 1)));
        String hostsAndQuery = rest.substring(at + 1);
        int q = hostsAndQuery.indexOf('?');
        String hosts = q < 0 ? hostsAndQuery : hostsAndQuery.substring(0, q);
        if (hosts.endsWith("/")) {
            hosts = hosts.substring(0, hosts.length() - 1);
        }
        Map<String, String> params = new java.util.HashMap<>();
        if (q >= 0) {
            for (String kv : hostsAndQuery.substring(q + 1).split("&")) {
                if (!kv.isEmpty()) {
                    int eq = kv.indexOf('=');
                    params.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : decode(kv.substring(eq + 1)));
                }
            }
        }
        String scheme = Boolean.parseBoolean(params.getOrDefault("secure", "false")) ? "https" : "http";
        List<URI> routers = new ArrayList<>();
        for (String h : hosts.split(",")) {
            if (h.isBlank() || h.contains("/")) {
                throw new IllegalArgumentException("invalid router address: '" + h + "'");
            }
            routers.add(URI.create(scheme + "://" + h.trim()));
        }
        b.routers(routers);
        if (params.containsKey("partSize")) {
            b.partSize(Integer.parseInt(params.get("partSize")));
        }
        if (params.containsKey("parallelism")) {
            b.parallelism(Integer.parseInt(params.get("parallelism")));
        }
        if (params.containsKey("cacheBytes")) {
            b.cacheBytes(Long.parseLong(params.get("cacheBytes")));
        }
        if (params.containsKey("region")) {
            b.region(params.get("region"));
        }
        return b;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
