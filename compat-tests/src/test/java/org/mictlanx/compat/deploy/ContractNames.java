package org.mictlanx.compat.deploy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.mictlanx.server.Settings;

/**
 * The environment variables the configuration contract defines: each server setting as
 * {@code MICTLANX_NAME} and {@code MICTLANX_NAME_FILE} (named by {@link Settings#envName}, the code's own
 * rule), plus the container entrypoint's and the logging configuration's own variables.
 */
final class ContractNames {

    /** The settings pinned by the configuration contract (kebab-case names). */
    static final List<String> SETTINGS = List.of("host", "port", "data", "peers", "replication", "write-quorum",
            "read-quorum", "chunk-size", "peer-urls", "cluster-secret", "master-key", "access-key", "secret-key",
            "region", "base-domain", "tls-cert", "tls-key", "tls-self-signed", "metrics-token", "config",
            "header-timeout-seconds", "idle-timeout-seconds", "buffer-budget", "buffer-wait-ms",
            "peer-tls-cert", "peer-tls-key", "peer-tls-ca", "inline-max", "verify-ahead", "gc-grace-seconds", "shutdown-timeout-seconds",
            "peer-timeout-seconds", "sigv2", "cors-allowed-origins", "website-port", "website-domain",
            "usage-flush-ms", "quota-refresh-ms", "usage-recount-seconds", "metrics-bucket-limit",
            "sse-customer-keys-over-http",
            "console", "console-port", "console-session-idle-minutes", "console-session-max-hours",
            "lifecycle-scan-interval-seconds", "lifecycle-actions-per-second", "lifecycle-seconds-per-day",
            "lifecycle-lease-seconds",
            "notify-webhooks", "notify-timeout-seconds", "notify-max-age-hours", "notify-interval-ms",
            "notify-intent-seconds", "access-log-flush-seconds");

    /** Read by deploy/docker-entrypoint.sh only: peer id, jar directory, JVM options. */
    static final List<String> ENTRYPOINT = List.of("MICTLANX_PEER_ID", "MICTLANX_CLASSPATH", "MICTLANX_JAVA_OPTS");

    /** Read by the logging configuration (logback.xml) only: root level, access log switch. */
    static final List<String> LOGGING = List.of("MICTLANX_LOG_LEVEL", "MICTLANX_ACCESS_LOG");

    private ContractNames() {
    }

    static Set<String> all() {
        Set<String> names = new TreeSet<>(ENTRYPOINT);
        names.addAll(LOGGING);
        for (String s : SETTINGS) {
            String env = Settings.envName(s);
            names.add(env);
            if (!s.equals("config")) names.add(env + "_FILE");
        }
        return names;
    }
}
