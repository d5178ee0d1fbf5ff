package org.mictlanx.server;

import java.util.List;
import java.util.stream.Stream;

/**
 * The settings each server role knows and its {@code --help} text. {@link Main} refuses any other flag
 * (exit 2 with the usage line), so a typo such as {@code --replicaton 3} never starts a server that
 * silently ignores it. A new setting is added here and to its role's help.
 */
final class Roles {

    private Roles() {
    }

    /** Settings of the S3 front door, shared by both serving roles. */
    private static final List<String> FRONT = List.of("host", "port", "region", "base-domain", "tls-cert", "tls-key", "tls-self-signed",
            "header-timeout-seconds", "idle-timeout-seconds", "shutdown-timeout-seconds", "buffer-budget", "buffer-wait-ms",
            "metrics-token", "access-key", "secret-key", "master-key", "data", "replication", "write-quorum", "read-quorum",
            "chunk-size", "inline-max", "verify-ahead", "gc-grace-seconds", "sigv2", "cors-allowed-origins", "website-port", "website-domain",
            "usage-flush-ms", "quota-refresh-ms", "usage-recount-seconds", "metrics-bucket-limit",
            "sse-customer-keys-over-http",
            "console", "console-port", "console-session-idle-minutes", "console-session-max-hours",
            "lifecycle-scan-interval-seconds", "lifecycle-actions-per-second", "lifecycle-seconds-per-day",
            "lifecycle-lease-seconds",
            "notify-webhooks", "notify-timeout-seconds", "notify-max-age-hours", "notify-interval-ms",
            "notify-intent-seconds", "access-log-flush-seconds");

    static final List<String> ALL_IN_ONE = Stream.concat(FRONT.stream(), Stream.of("peers")).toList();

    static final List<String> SERVER = Stream.concat(FRONT.stream(), Stream.of("cluster-secret", "peer-urls", "peer-timeout-seconds",
            "peer-tls-cert", "peer-tls-key", "peer-tls-ca")).toList();

    private static final String COMMON = """
              --host HOST                  address to bind (default 0.0.0.0: every interface)
              --port PORT                  S3 port (default 9000; 0 for any free port)
              --data DIR                   data directory (default ./data)
              --replication N              copies of every chunk (default min(3, peers)); more than the peers is refused
              --write-quorum W --read-quorum R   acknowledgements needed (default a majority of N)
              --region R                   SigV4 region (default us-east-1)
              --base-domain D              virtual-hosted-style bucket addressing under D
              --tls-cert PEM --tls-key PEM serve HTTPS with this certificate
              --tls-self-signed            serve HTTPS with a generated self-signed certificate (kept in DATA/tls)
              --access-key K --secret-key S   root credentials (all-in-one: generated on first start if absent)
              --master-key B64             object encryption master key (all-in-one: generated on first start if absent)
              --metrics-token T            bearer token required by /metrics
              --metrics-bucket-limit N     per-bucket usage series in /metrics for the N largest buckets (default 100)
              --usage-flush-ms N --quota-refresh-ms N   usage counters written / quota figures re-read (default 1000, 1000)
              --usage-recount-seconds N    recount every bucket's usage this often (default 21600; 0: only on demand)
              --sigv2 true|false           accept Signature Version 2 requests (default true, as S3)
              --cors-allowed-origins O,... store-wide default CORS rule for these origins (buckets without their own)
              --website-port PORT          serve the static website endpoint on PORT (default: none)
              --website-domain D           website requests name the bucket as bucket.D (default: path-style)
              --sse-customer-keys-over-http true|false   accept SSE-C keys over plain HTTP (default false, as S3)
              --console true|false         serve the web console at /console (default true)
              --console-port PORT          serve the web console on PORT instead of the S3 port (default: S3 port)
              --console-session-idle-minutes N --console-session-max-hours N   console session expiry (default 30, 12)
              --header-timeout-seconds N --idle-timeout-seconds N   slow-client limits (default 20, 30)
              --shutdown-timeout-seconds N on SIGTERM, wait this long for requests in flight (default 20)
              --buffer-budget SIZE --buffer-wait-ms N   bound on bytes buffered by uploads in flight
              --chunk-size SIZE --inline-max SIZE --gc-grace-seconds N   storage tunables (docs/operations.md)
              --verify-ahead SIZE          peers verify this much of a GET past its read-ahead before the
                                           status line (default 0: off; docs/operations.md, Bit rot)
              --lifecycle-scan-interval-seconds N   pause between lifecycle rule passes (default 600)
              --lifecycle-actions-per-second N      pace of lifecycle expirations and aborts (default 100)
              --lifecycle-lease-seconds N           the cluster's lifecycle lease: another router takes the
                                                    work over within N s of the holder's death (default 30)
              --lifecycle-seconds-per-day N         TESTS ONLY: a lifecycle "day" lasts N seconds (default 86400)
              --notify-webhooks ID=URL[,ID=URL]     event notification webhooks, ARN arn:mictlanx:sqs::ID:webhook
              --notify-timeout-seconds N            timeout of one event delivery (default 10)
              --notify-max-age-hours N              drop an event undelivered this long (default 72)
              --notify-interval-ms N                pause between event sender passes (default 1000)
              --notify-intent-seconds N             resolve a notification intent pending this long (60-86400,
                                                    default 600: longer than any write takes)
              --access-log-flush-seconds N          server access log objects are written every N s (default 300)
              --config FILE                settings file (Java properties: name=value)
            Every option may also be given as --name=value, as MICTLANX_NAME (upper snake case, e.g.
            MICTLANX_PORT), as MICTLANX_NAME_FILE (a file holding the value) or in the --config file.""";

    static final String ALL_IN_ONE_HELP = """
            usage: bin/mictlanx all-in-one [options]
            Router, S3 front door and embedded storage peers in one process.
              --peers N                    embedded peers (default: as many as the data directory holds, else 1);
                                           a larger N adds peers to an existing data directory, a smaller one is refused
            """ + COMMON;

    static final String SERVER_HELP = """
            usage: bin/mictlanx server --peer-urls ID=URL,... [options]
            Router and S3 front door over remote storage peers (bin/mictlanx peer).
              --peer-urls ID=URL[|zone=Z][|weight=W],...   the storage peers (required)
              --cluster-secret S           secret shared with the peers (required; deploy/gen-secrets.sh makes one)
              --peer-timeout-seconds N     per peer call (default 30)
              --peer-tls-cert PEM --peer-tls-key PEM --peer-tls-ca PEM   mutual TLS towards the peers
            """ + COMMON;

    static final String USAGE = """
            usage: mictlanx all-in-one|server|peer|admin [options]
              all-in-one   router, S3 front door and embedded peers in one process
              server       router and S3 front door over remote peers
              peer         a storage peer
              admin        administrative commands against a running server
            bin/mictlanx ROLE --help shows the options of a role.""";
}
