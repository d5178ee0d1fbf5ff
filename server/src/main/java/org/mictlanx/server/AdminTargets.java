package org.mictlanx.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.mictlanx.xolo.identity.RootCredentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where {@code mictlanx admin} sends its calls and as whom: {@link #resolve} picks, in order, the
 * {@code --alias NAME} saved by {@code alias set} ({@link AdminProfiles}; {@code --endpoint} and
 * {@code --ca-cert} still override its URL and certificate), else the root credentials from settings
 * ({@code access-key}/{@code secret-key}, their {@code MICTLANX_*} and {@code _FILE} forms), else the
 * {@code root-credentials.properties} of an all-in-one data directory here ({@code --data}, default
 * {@code ./data}; its self-signed certificate is trusted for an {@code https://} endpoint). Also the
 * {@code alias} commands, {@code --json} output and the text form of {@code info}.
 */
final class AdminTargets {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A resolved target; {@code caCert} may be null; {@code source} says where the credentials came from. */
    record Target(String endpoint, String accessKey, String secretKey, String caCert, String source) {
        @Override
        public String toString() {
            return "Target[" + endpoint + " " + accessKey + " from " + source + "]"; // never the secret
        }
    }

    private AdminTargets() {
    }

    static Target resolve(Settings s, Map<String, String> env) {
        String defaultEndpoint = "http://127.0.0.1:" + s.get("port", "9000");
        var aliasName = s.get("alias");
        if (aliasName.isPresent()) {
            AdminProfiles profiles = AdminProfiles.of(s, env);
            AdminProfiles.Profile p = profiles.get(aliasName.get()).orElseThrow(() -> new IllegalArgumentException(
                    "no alias '" + aliasName.get() + "' in " + profiles.file() + " (bin/mictlanx admin alias list)"));
            return new Target(s.get("endpoint", p.url()), p.accessKey(), p.secretKey(), s.get("ca-cert").orElse(p.caCert()), "alias " + p.name());
        }
        String endpoint = s.get("endpoint", defaultEndpoint);
        String ak = s.get("access-key").orElse(null);
        String sk = s.get("secret-key").orElse(null);
        if (ak != null && sk != null) return new Target(endpoint, ak, sk, s.get("ca-cert").orElse(null), "settings");
        Path data = Path.of(s.get("data", "./data"));
        Path file = data.resolve(RootCredentials.FILE_NAME);
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
            String ca = s.get("ca-cert").orElse(null);
            Path selfSigned = data.resolve("tls").resolve("self-signed.pem");
            if (ca == null && endpoint.startsWith("https://") && Files.isRegularFile(selfSigned)) ca = selfSigned.toString();
            if (p.getProperty("access_key") != null && p.getProperty("secret_key") != null) {
                return new Target(endpoint, p.getProperty("access_key"), p.getProperty("secret_key"), ca, file.toString());
            }
        }
        throw new IllegalArgumentException("no root credentials: use --alias NAME (bin/mictlanx admin alias set ...), set "
                + "MICTLANX_ACCESS_KEY and MICTLANX_SECRET_KEY, or run beside an all-in-one's data directory (--data DIR)");
    }

    /** {@code alias set|list|remove}. */
    static int alias(List<String> w, Settings s, PrintStream out, PrintStream err) {
        AdminProfiles profiles = AdminProfiles.of(s, System.getenv());
        String sub = w.size() >= 2 ? w.get(1) : "";
        try {
            switch (sub) {
                case "set" -> {
                    if (w.size() != 6) return AdminCli.usage(w, err);
                    String url = w.get(3);
                    if (!url.startsWith("http://") && !url.startsWith("https://")) {
                        throw new IllegalArgumentException("the URL must start with http:// or https://, got " + url);
                    }
                    String ca = s.get("ca-cert").map(c -> Path.of(c).toAbsolutePath().normalize().toString()).orElse(null);
                    if (ca != null) Main.trusting(ca); // a bad certificate file is refused now, not at every later call
                    profiles.put(new AdminProfiles.Profile(w.get(2), url, w.get(4), w.get(5), ca));
                    out.println("alias " + w.get(2) + " -> " + url + " saved in " + profiles.file());
                }
                case "list" -> {
                    if (w.size() != 2) return AdminCli.usage(w, err);
                    var all = profiles.all();
                    if (s.getBoolean("json")) {
                        var arr = JSON.createArrayNode();
                        all.values().forEach(p -> arr.addObject().put("name", p.name()).put("url", p.url()).put("accessKey", p.accessKey())
                                .put("caCert", p.caCert()));
                        out.println(arr.toPrettyString());
                    } else {
                        if (all.isEmpty()) out.println("(no aliases; bin/mictlanx admin alias set NAME URL ACCESS_KEY SECRET_KEY)");
                        all.values().forEach(p -> out.printf("%-16s %-40s %s%s%n", p.name(), p.url(), p.accessKey(),
                                p.caCert() == null ? "" : "  ca-cert " + p.caCert()));
                    }
                }
                case "remove" -> {
                    if (w.size() != 3) return AdminCli.usage(w, err);
                    if (!profiles.remove(w.get(2))) throw new IllegalArgumentException("no alias '" + w.get(2) + "'");
                    out.println("alias " + w.get(2) + " removed");
                }
                default -> {
                    return AdminCli.usage(w, err);
                }
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("mictlanx admin: " + e.getMessage());
            return 1;
        }
    }

    /** Every command with {@code --json}: the server's answer as it is (a new user or key: name, accessKey, secretKey). */
    static int json(List<String> w, Settings settings, AdminClient client, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        String verb = w.size() >= 2 ? w.get(0) + " " + w.get(1) : w.get(0);
        int args = w.size() - (w.size() >= 2 && List.of("user", "key", "root", "peer", "policy", "kms", "group").contains(w.get(0)) ? 2 : 1);
        String group = settings.get("group").orElse(null);
        JsonNode answer = switch (verb) {
            case "user list" -> args == 0 ? client.listUsers() : null;
            case "user show" -> args == 1 ? client.showUser(w.get(2)) : null;
            case "user add" -> args == 1 ? JSON.valueToTree(client.addUser(w.get(2))) : null;
            case "user delete" -> args == 1 ? client.deleteUser(w.get(2)) : null;
            case "user disable", "user enable" -> args == 1 ? client.setUserEnabled(w.get(2), w.get(1).equals("enable")) : null;
            case "key list" -> args == 1 ? client.listKeys(w.get(2)) : null;
            case "key add" -> args == 1 ? JSON.valueToTree(client.addKey(w.get(2))) : null;
            case "key delete" -> args == 2 ? client.deleteKey(w.get(2), w.get(3)) : null;
            case "key disable", "key enable" -> args == 2 ? client.setKeyEnabled(w.get(2), w.get(3), w.get(1).equals("enable")) : null;
            case "root rotate" -> args == 0 ? client.rotateRoot() : null;
            case "policy list" -> args == 0 ? client.listPolicies() : null;
            case "policy show" -> args == 1 ? client.showPolicy(w.get(2)) : null;
            case "policy put" -> args == 2 ? client.putPolicy(w.get(2), AdminCli.policyDocument(w.get(3))) : null;
            case "policy delete" -> args == 1 ? client.deletePolicy(w.get(2)) : null;
            case "policy attach" -> group != null ? (args == 1 ? client.attachGroupPolicy(group, w.get(2)) : null)
                    : args == 2 ? client.attachPolicy(w.get(2), w.get(3)) : null;
            case "policy detach" -> group != null ? (args == 1 ? client.detachGroupPolicy(group, w.get(2)) : null)
                    : args == 2 ? client.detachPolicy(w.get(2), w.get(3)) : null;
            case "policy user" -> args == 1 ? client.attachedPolicies(w.get(2)) : null;
            case "kms create" -> args <= 1 ? client.createKmsKey(args == 1 ? w.get(2) : null) : null;
            case "kms list" -> args == 0 ? client.listKmsKeys() : null;
            case "kms describe" -> args == 1 ? client.describeKmsKey(w.get(2)) : null;
            case "kms disable", "kms enable", "kms rotate", "kms cancel-deletion" -> args == 1
                    ? client.changeKmsKey(w.get(1), w.get(2)) : null;
            case "kms schedule-deletion" -> args == 1 || args == 2
                    ? client.scheduleKmsKeyDeletion(w.get(2), args == 2 ? w.get(3) : null) : null;
            case "kms rewrap-master" -> args == 0 ? client.rewrapKmsKeys() : null;
            case "kms rewrap-status" -> args == 0 ? client.rewrapStatus() : null;
            case "policy group" -> args == 1 ? client.groupPolicies(w.get(2)) : null;
            case "group list", "group show", "group add", "group delete", "group member" -> AdminGroups.json(w, args, client);
            case "stats" -> args == 0 ? client.stats() : null;
            case "layout" -> args == 0 ? client.layout() : null;
            case "repair" -> args == 0 ? withProgress("repair", client, settings, err, client::repairNow) : null;
            case "peer add", "peer replace" -> args == 2 ? client.changePeers(w.get(1), w.get(2), w.get(3),
                    settings.get("zone").orElse(null), settings.get("weight").orElse(null)) : null;
            case "peer drain" -> args == 1 ? withProgress("drain " + w.get(2), client, settings, err,
                    () -> client.changePeers("drain", w.get(2), null, null, null)) : null;
            case "peer remove" -> args == 1 ? client.changePeers("remove", w.get(2), null, null, null) : null;
            case "peer rebuild" -> args == 1 ? client.changePeers("rebuild", w.get(2), null, null, null) : null;
            default -> null;
        };
        if (answer == null) return AdminCli.usage(w, err);
        out.println(answer.toPrettyString());
        return 0;
    }

    /** {@code info} as text: one header block, a row per peer, then repair and GC progress. */
    static String infoText(JsonNode info) {
        StringBuilder sb = new StringBuilder();
        sb.append("version:  ").append(info.path("version").asText()).append('\n');
        sb.append("uptime:   ").append(duration(info.path("uptimeSeconds").asLong()))
                .append(" (since ").append(info.path("startedAt").asText()).append(")\n");
        sb.append("layout:   version ").append(info.path("layoutVersion").asLong()).append(", ")
                .append(info.path("peers").size()).append(" peer(s)\n");
        sb.append(String.format("%-16s %-9s %-10s %12s %12s %10s  %s%n", "PEER", "STATE", "ZONE", "USED", "FREE", "CHUNKS", "URL"));
        for (JsonNode p : info.path("peers")) {
            boolean known = p.has("usedBytes");
            sb.append(String.format("%-16s %-9s %-10s %12s %12s %10s  %s%n", p.path("id").asText(), p.path("state").asText(),
                    p.path("zone").asText(), known ? bytes(p.path("usedBytes").asLong()) : "?", known ? bytes(p.path("freeBytes").asLong()) : "?",
                    known ? String.valueOf(p.path("chunks").asLong()) : "?", p.path("url").asText()));
        }
        JsonNode bk = info.path("buckets");
        if (bk.has("count")) {
            sb.append("buckets:  ").append(bk.path("count").asLong()).append(", ").append(bytes(bk.path("sizeBytes").asLong()))
                    .append(" in ").append(bk.path("objects").asLong()).append(" object(s)");
            if (bk.path("uploadBytes").asLong() > 0) sb.append(", open uploads ").append(bytes(bk.path("uploadBytes").asLong()));
            sb.append(", ").append(bk.path("withQuota").asLong()).append(" with a quota (admin bucket list)\n");
        } else if (bk.has("error")) {
            sb.append("buckets:  usage unavailable: ").append(bk.path("error").asText()).append('\n');
        }
        JsonNode m = info.path("maintenance");
        sb.append("repair:   ").append(m.path("repairRunning").asBoolean() ? "running" : "idle")
                .append(", passes ").append(m.path("repairPasses").asLong())
                .append(", queued ").append(m.path("repairQueued").asLong())
                .append(", replicas restored ").append(m.path("replicasRestored").asLong())
                .append(", bytes copied ").append(bytes(m.path("bytesCopied").asLong()))
                .append(", unrepairable ").append(m.path("unrepairable").asLong()).append('\n');
        sb.append("gc:       passes ").append(m.path("gcPasses").asLong())
                .append(", chunks deleted ").append(m.path("gcChunksDeleted").asLong())
                .append(", misplaced replicas deleted ").append(m.path("gcMisplacedDeleted").asLong());
        JsonNode l = info.path("lifecycle");
        if (!l.isMissingNode()) {
            sb.append("\nlifecycle: ").append(l.path("running").asBoolean() ? "running" : "idle")
                    .append(l.path("leaseHeld").asBoolean() ? " (this router holds the lease)" : "")
                    .append(", passes ").append(l.path("passes").asLong())
                    .append(", expired ").append(l.path("expired").asLong())
                    .append(", noncurrent expired ").append(l.path("noncurrentExpired").asLong())
                    .append(", delete markers removed ").append(l.path("deleteMarkersRemoved").asLong())
                    .append(", uploads aborted ").append(l.path("uploadsAborted").asLong())
                    .append(", kept by locks ").append(l.path("lockedKept").asLong())
                    .append(l.path("position").asText().isEmpty() ? "" : ", at " + l.path("position").asText());
        }
        return sb.toString();
    }

    /** An admin call. */
    interface Call {
        JsonNode run() throws IOException, InterruptedException;
    }

    /**
     * Runs a long call ({@code repair}, {@code peer drain}) while printing the repair progress to
     * {@code err} every {@code progress-seconds} (default 2; stdout keeps only the answer), then a last line.
     */
    static JsonNode withProgress(String what, AdminClient client, Settings settings, PrintStream err, Call call)
            throws IOException, InterruptedException {
        long every = Math.max(100, (long) (Double.parseDouble(settings.get("progress-seconds", "2")) * 1000));
        long t0 = System.nanoTime();
        Thread poller = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Thread.sleep(every);
                    JsonNode m = client.stats().path("maintenance");
                    err.println(what + ": " + elapsed(t0) + " " + progress(m));
                }
            } catch (InterruptedException e) {
                // the call returned
            } catch (IOException | RuntimeException e) {
                err.println(what + ": progress unavailable (" + e.getMessage() + ")");
            }
        });
        try {
            JsonNode answer = call.run();
            poller.interrupt();
            poller.join();
            JsonNode m = answer.has("maintenance") ? answer.path("maintenance") : client.stats().path("maintenance");
            err.println(what + ": done in " + elapsed(t0) + ", " + progress(m));
            return answer;
        } finally {
            poller.interrupt();
        }
    }

    private static String elapsed(long t0) {
        return String.format(java.util.Locale.ROOT, "%.1fs", (System.nanoTime() - t0) / 1e9);
    }

    private static String progress(JsonNode m) {
        return (m.path("repairRunning").asBoolean() ? "repair running" : "repair idle") + ", chunks checked " + m.path("chunksChecked").asLong()
                + ", replicas restored " + m.path("replicasRestored").asLong() + ", bytes copied " + bytes(m.path("bytesCopied").asLong())
                + ", queued " + m.path("repairQueued").asLong();
    }

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[i]);
    }

    private static String duration(long seconds) {
        long d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60, s = seconds % 60;
        return (d > 0 ? d + "d " : "") + (d > 0 || h > 0 ? h + "h " : "") + m + "m " + s + "s";
    }
}
