package org.mictlanx.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code mictlanx admin ...}: the admin API ({@link AdminClient}) from the command line. Signs as
 * root with {@code MICTLANX_ACCESS_KEY}/{@code MICTLANX_SECRET_KEY} (or their flags and
 * {@code _FILE} forms). Exit codes: 0 done, 1 the call failed (one line on stderr: connection
 * refused, TLS trust, refused credentials, unknown user or key...), 2 wrong usage (with the usage).
 * {@code help}, {@code --help} or {@code -h} anywhere prints the help of the command named so far.
 */
final class AdminCli {

    /** One command: its words, its arguments and what it does. */
    private record Command(String words, String args, String summary) {
        String line() {
            String left = words + (args.isEmpty() ? "" : " " + args);
            return "  " + left + " ".repeat(Math.max(2, 44 - left.length())) + summary;
        }
    }

    private static final List<Command> COMMANDS = List.of(
            new Command("info", "", "version, uptime, layout, peers with state and capacity, repair and GC progress"),
            new Command("alias set", "NAME URL ACCESS_KEY SECRET_KEY [--ca-cert PEM]", "save a server and its root credentials as NAME (file 0600)"),
            new Command("alias list", "", "the saved aliases (never their secrets)"),
            new Command("alias remove", "NAME", "forget an alias"),
            new Command("user list", "", "list users with their status (Active or Disabled)"),
            new Command("user show", "NAME", "show a user and its access keys (never secrets)"),
            new Command("user add", "NAME", "create a user; prints its first access key and secret (shown only once)"),
            new Command("user delete", "NAME", "delete a user and all its keys (its buckets stay; root can reach them)"),
            new Command("user disable", "NAME", "refuse all of a user's keys (403 InvalidAccessKeyId) until enabled"),
            new Command("user enable", "NAME", "accept a disabled user's keys again"),
            new Command("key list", "NAME", "list a user's access keys with their status"),
            new Command("key add", "NAME", "issue another key to a user (rotation: add, switch clients, delete the old)"),
            new Command("key delete", "NAME ACCESS_KEY", "delete one of a user's keys"),
            new Command("key disable", "NAME ACCESS_KEY", "refuse one key until enabled again"),
            new Command("key enable", "NAME ACCESS_KEY", "accept a disabled key again"),
            new Command("policy list", "", "list user policies (built-ins: readonly, readwrite, writeonly, home-prefix)"),
            new Command("policy show", "NAME", "print a policy's JSON document"),
            new Command("policy put", "NAME FILE", "create or replace a policy from an IAM JSON file ('-': stdin)"),
            new Command("policy delete", "NAME", "delete a policy (refused while attached)"),
            new Command("policy attach", "USER NAME", "attach a policy: the user then has exactly what its policies grant"),
            new Command("policy detach", "USER NAME", "detach a policy (a user with none owns its buckets, as before)"),
            new Command("policy attach --group", "GROUP NAME", "attach a policy to a group: it applies to every member"),
            new Command("policy detach --group", "GROUP NAME", "detach a policy from a group"),
            new Command("policy user", "USER", "list the policies attached to a user (its groups' apply too)"),
            new Command("policy group", "GROUP", "list the policies attached to a group"),
            new Command("group list", "", "list groups with their member counts"),
            new Command("group show", "NAME", "a group's members and attached policies"),
            new Command("group add", "NAME", "create a group of users"),
            new Command("group delete", "NAME", "delete a group (refused while it has members or policies)"),
            new Command("group member add", "GROUP USER", "add a user to a group"),
            new Command("group member remove", "GROUP USER", "remove a user from a group"),
            new Command("bucket list", "", "buckets with owner, size (objects and open uploads), object count and quota"),
            new Command("bucket info", "NAME", "one bucket: owner, region, size, objects, open uploads' bytes, quota and its use"),
            new Command("bucket quota set", "NAME SIZE", "hard quota (10GiB, 500MB, bytes): writes past it get 403 QuotaExceeded"),
            new Command("bucket quota clear", "NAME", "remove a bucket's quota"),
            new Command("bucket recount", "[NAME]", "recount usage from the records (corrects drift after crashes)"),
            new Command("notify target list", "", "event notification targets: id, ARN, URL and source (settings or admin)"),
            new Command("notify target add", "ID URL", "add a webhook target arn:mictlanx:sqs::ID:webhook (every router sees it)"),
            new Command("notify target remove", "ID", "remove an added target (refused while a bucket's notifications use it)"),
            new Command("root rotate", "", "draw a new root secret (all-in-one keeping it in data/); prints it once"),
            new Command("kms create", "[DESCRIPTION]", "create an SSE-KMS key (built-in key service); prints its id"),
            new Command("kms list", "", "list SSE-KMS keys with their state and versions (never material)"),
            new Command("kms describe", "ID", "show one SSE-KMS key"),
            new Command("kms disable", "ID", "make every object under the key unreadable (403) until enabled"),
            new Command("kms enable", "ID", "make a disabled key usable again"),
            new Command("kms rotate", "ID", "new current key version; old versions stay for reading"),
            new Command("kms schedule-deletion", "ID [DAYS]", "delete the key after DAYS (7-30, default 30); unusable meanwhile"),
            new Command("kms cancel-deletion", "ID", "cancel a scheduled deletion (the key stays disabled)"),
            new Command("kms rewrap-master", "", "start re-wrapping KMS keys and objects under the newest master key (background)"),
            new Command("kms rewrap-status", "", "progress of the master key re-wrap"),
            new Command("stats", "", "router statistics (peers up, repair counters)"),
            new Command("layout", "", "the cluster layout"),
            new Command("repair", "", "run a repair pass now (returns when done)"),
            new Command("peer add", "ID URL [--zone Z] [--weight W]", "add a storage peer (its share of data moves to it)"),
            new Command("peer replace", "ID URL", "point a peer id at a new, e.g. empty, peer"),
            new Command("peer drain", "ID", "move a peer's data away, then remove it"),
            new Command("peer remove", "ID", "remove a dead peer; repair restores its replicas"),
            new Command("peer rebuild", "ID", "rebuild a peer online: a damaged store is rebuilt by the peer, then everything it should hold is re-replicated onto it (progress: admin stats, rebuild)"),
            new Command("trace", "[--bucket B] [--status 403|5xx] [--user U] [--operation OP] [--count N] [--routers URL,URL]",
                    "live requests (time, user, operation, bucket/key, status, duration, bytes) of this router, and of the other routers listed, merged"));

    private static final String HEADER = """
            usage: mictlanx admin [--alias NAME | --endpoint URL] [--ca-cert PEM] [--json] COMMAND
              Signs as root: the --alias NAME saved by `alias set`, else MICTLANX_ACCESS_KEY and MICTLANX_SECRET_KEY
              (or --access-key/--secret-key, or *_FILE), else DATA/root-credentials.properties of an all-in-one
              started here (--data DATA, default ./data).
              --endpoint  the server (default http://127.0.0.1:9000); --ca-cert  PEM certificate(s) to trust for https
              --json      print the server's answer as JSON instead of text
              A deleted or disabled key is refused at once by the router that changed it, by the others within 2 s.""";

    private AdminCli() {
    }

    static int run(Settings settings, PrintStream out, PrintStream err) {
        List<String> words = settings.positional();
        // "help" counts as the first or second word only, so a user may still be named "help".
        int helpAt = words.indexOf("help");
        boolean helpFlag = settings.get("help").isPresent() || words.contains("-h") || (helpAt == 0 || helpAt == 1);
        List<String> command = words.stream().filter(w -> !w.equals("-h")).toList();
        if (helpAt == 0 || helpAt == 1) command = new java.util.ArrayList<>(command.subList(0, helpAt));
        if (helpFlag) {
            // "--help user" parses as help=user: treat the value as the command word.
            String value = settings.get("help").orElse("true");
            List<String> topic = command.isEmpty() && !value.equals("true") ? List.of(value) : command;
            out.println(help(topic));
            return 0;
        }
        if (command.isEmpty()) {
            err.println(help(List.of()));
            return 2;
        }
        if (command.get(0).equals("alias")) return AdminTargets.alias(command, settings, out, err);
        AdminTargets.Target target;
        try {
            target = AdminTargets.resolve(settings, System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("mictlanx admin: " + e.getMessage());
            return 2;
        }
        URI endpoint;
        AdminClient client;
        try {
            endpoint = URI.create(target.endpoint());
            if (endpoint.getHost() == null || !List.of("http", "https").contains(String.valueOf(endpoint.getScheme()))) {
                throw new IllegalArgumentException("--endpoint must be an http:// or https:// URL, got " + endpoint);
            }
            javax.net.ssl.SSLContext tls = target.caCert() == null ? null : Main.trusting(target.caCert());
            client = new AdminClient(endpoint, target.accessKey(), target.secretKey(), tls, FrontDoorWiring.region(settings));
        } catch (IllegalArgumentException e) {
            err.println("mictlanx admin: " + e.getMessage());
            return 1;
        }
        try {
            if (command.get(0).equals("trace")) {
                String ak = target.accessKey();
                String sk = target.secretKey();
                javax.net.ssl.SSLContext trust = target.caCert() == null ? null : Main.trusting(target.caCert());
                return AdminTrace.run(command, settings, client,
                        uri -> new AdminClient(uri, ak, sk, trust, FrontDoorWiring.region(settings)), out, err);
            }
            return dispatch(command, settings, client, out, err);
        } catch (AdminClient.AdminException e) {
            err.println("mictlanx admin: " + refusal(e));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            err.println("mictlanx admin: cannot connect to " + endpoint + " (connection refused or unreachable; is the server running? --endpoint)");
        } catch (SSLException e) {
            err.println("mictlanx admin: TLS with " + endpoint + " failed: " + tlsReason(e));
        } catch (HttpTimeoutException e) {
            err.println("mictlanx admin: " + endpoint + " did not answer in time");
        } catch (IOException e) {
            err.println("mictlanx admin: " + endpoint + ": " + oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("mictlanx admin: interrupted");
        } catch (UnresolvedAddressException e) {
            err.println("mictlanx admin: cannot resolve the host of " + endpoint);
        } catch (RuntimeException e) {
            err.println("mictlanx admin: " + oneLine(e));
        }
        return 1;
    }

    private static int dispatch(List<String> w, Settings settings, AdminClient client, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        if (w.equals(List.of("info"))) {
            JsonNode info = client.info();
            out.println(settings.getBoolean("json") ? info.toPrettyString() : AdminTargets.infoText(info));
            return 0;
        }
        if (w.get(0).equals("bucket")) return BucketCli.run(w, settings.getBoolean("json"), client, out, err);
        if (w.get(0).equals("notify")) return NotifyCli.run(w, settings.getBoolean("json"), client, out, err);
        if (w.get(0).equals("trace")) return AdminTrace.run(w, settings, client, out, err);
        if (settings.getBoolean("json")) return AdminTargets.json(w, settings, client, out, err);
        String verb = w.size() >= 2 ? w.get(0) + " " + w.get(1) : w.get(0);
        int args = w.size() - (w.size() >= 2 && List.of("user", "key", "root", "peer", "policy", "kms", "group").contains(w.get(0)) ? 2 : 1);
        switch (verb) {
            case "user list" -> {
                if (args != 0) return usage(w, err);
                JsonNode users = client.listUsers().path("users");
                if (users.isEmpty()) out.println("(no users; root is built in)");
                for (JsonNode u : users) {
                    out.printf("%-32s %-9s %s%n", u.path("name").asText(), u.path("status").asText(), u.path("created").asText());
                }
            }
            case "user show" -> {
                if (args != 1) return usage(w, err);
                JsonNode u = client.showUser(w.get(2));
                out.println("user:    " + u.path("name").asText());
                out.println("status:  " + u.path("status").asText());
                out.println("created: " + u.path("created").asText());
                if (!u.path("policies").isEmpty()) out.println("policies: " + join(u.path("policies")));
                if (!u.path("groups").isEmpty()) out.println("groups:  " + join(u.path("groups")));
                printKeys(u.path("keys"), out);
            }
            case "user add" -> {
                if (args != 1) return usage(w, err);
                printNew(client.addUser(w.get(2)), out);
            }
            case "user delete" -> {
                if (args != 1) return usage(w, err);
                client.deleteUser(w.get(2));
                out.println("deleted user " + w.get(2) + " and its keys");
            }
            case "user disable", "user enable" -> {
                if (args != 1) return usage(w, err);
                boolean enable = w.get(1).equals("enable");
                client.setUserEnabled(w.get(2), enable);
                out.println((enable ? "enabled" : "disabled") + " user " + w.get(2));
            }
            case "key list" -> {
                if (args != 1) return usage(w, err);
                printKeys(client.listKeys(w.get(2)).path("keys"), out);
            }
            case "key add" -> {
                if (args != 1) return usage(w, err);
                printNew(client.addKey(w.get(2)), out);
            }
            case "key delete" -> {
                if (args != 2) return usage(w, err);
                client.deleteKey(w.get(2), w.get(3));
                out.println("deleted access key " + w.get(3) + " of user " + w.get(2));
            }
            case "key disable", "key enable" -> {
                if (args != 2) return usage(w, err);
                boolean enable = w.get(1).equals("enable");
                client.setKeyEnabled(w.get(2), w.get(3), enable);
                out.println((enable ? "enabled" : "disabled") + " access key " + w.get(3) + " of user " + w.get(2));
            }
            case "root rotate" -> {
                if (args != 0) return usage(w, err);
                JsonNode r = client.rotateRoot();
                out.println("access key: " + r.path("accessKey").asText());
                out.println("secret key: " + r.path("secretKey").asText());
                out.println("kept in:    " + r.path("keptIn").asText() + " (the old secret is refused from now on)");
            }
            case "kms create" -> {
                if (args > 1) return usage(w, err);
                out.println(client.createKmsKey(args == 1 ? w.get(2) : null).toPrettyString());
            }
            case "kms list" -> {
                if (args != 0) return usage(w, err);
                out.println(client.listKmsKeys().toPrettyString());
            }
            case "kms describe" -> {
                if (args != 1) return usage(w, err);
                out.println(client.describeKmsKey(w.get(2)).toPrettyString());
            }
            case "kms rewrap-master" -> {
                if (args != 0) return usage(w, err);
                out.println(client.rewrapKmsKeys().toPrettyString());
            }
            case "kms rewrap-status" -> {
                if (args != 0) return usage(w, err);
                out.println(client.rewrapStatus().toPrettyString());
            }
            case "kms schedule-deletion" -> {
                if (args != 1 && args != 2) return usage(w, err);
                out.println(client.scheduleKmsKeyDeletion(w.get(2), args == 2 ? w.get(3) : null).toPrettyString());
            }
            case "kms disable", "kms enable", "kms rotate", "kms cancel-deletion" -> {
                if (args != 1) return usage(w, err);
                out.println(client.changeKmsKey(w.get(1), w.get(2)).toPrettyString());
            }
            case "policy list", "policy show", "policy put", "policy delete", "policy attach", "policy detach",
                 "policy user", "policy group" -> {
                String group = settings.get("group").orElse(null);
                if (group != null && List.of("attach", "detach").contains(w.get(1))) {
                    if (args != 1 || group.equals("true")) return usage(w, err);
                    boolean attach = w.get(1).equals("attach");
                    JsonNode r = attach ? client.attachGroupPolicy(group, w.get(2)) : client.detachGroupPolicy(group, w.get(2));
                    out.println(w.get(1) + "ed " + w.get(2) + (attach ? " to group " : " from group ") + group
                            + "; attached now: " + r.path("attached") + " (every router within "
                            + r.path("enforcedEverywhereWithinSeconds").asText() + " s)");
                    return 0;
                }
                return policy(w, args, client, out, err);
            }
            case "group list", "group show", "group add", "group delete", "group member" -> {
                return AdminGroups.run(w, args, client, out, err);
            }
            default -> {
                return legacy(w, settings, client, out, err);
            }
        }
        return 0;
    }

    /** The user policy commands. */
    private static int policy(List<String> w, int args, AdminClient client, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        int wanted = switch (w.get(1)) {
            case "list" -> 0;
            case "put", "attach", "detach" -> 2;
            default -> 1;
        };
        if (args != wanted) return usage(w, err);
        switch (w.get(1)) {
            case "list" -> {
                for (JsonNode p : client.listPolicies().path("policies")) {
                    out.printf("%-32s %s%n", p.path("name").asText(), p.path("builtIn").asBoolean() ? "built-in" : "");
                }
            }
            case "show" -> out.println(client.showPolicy(w.get(2)).path("document").toPrettyString());
            case "put" -> {
                client.putPolicy(w.get(2), policyDocument(w.get(3)));
                out.println("stored policy " + w.get(2));
            }
            case "delete" -> {
                client.deletePolicy(w.get(2));
                out.println("deleted policy " + w.get(2));
            }
            case "attach", "detach" -> {
                JsonNode r = w.get(1).equals("attach") ? client.attachPolicy(w.get(2), w.get(3)) : client.detachPolicy(w.get(2), w.get(3));
                out.println(w.get(1) + "ed " + w.get(3) + (w.get(1).equals("attach") ? " to " : " from ") + w.get(2)
                        + "; attached now: " + r.path("attached") + " (every router within "
                        + r.path("enforcedEverywhereWithinSeconds").asText() + " s)");
            }
            case "group" -> {
                for (JsonNode n : client.groupPolicies(w.get(2)).path("attached")) out.println(n.asText());
            }
            default -> {
                for (JsonNode n : client.attachedPolicies(w.get(2)).path("attached")) out.println(n.asText());
            }
        }
        return 0;
    }

    /** The policy document named by {@code policy put}'s FILE argument ({@code -}: standard input). */
    static byte[] policyDocument(String file) throws IOException {
        return file.equals("-") ? System.in.readAllBytes() : java.nio.file.Files.readAllBytes(java.nio.file.Path.of(file));
    }

    /** stats, layout, repair and peer changes: JSON as the server answers. */
    private static int legacy(List<String> w, Settings settings, AdminClient client, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        if (w.size() == 1 && List.of("stats", "layout", "repair").contains(w.get(0))) {
            var node = switch (w.get(0)) {
                case "stats" -> client.stats();
                case "layout" -> client.layout();
                default -> AdminTargets.withProgress("repair", client, settings, err, client::repairNow);
            };
            out.println(node.toPrettyString());
            return 0;
        }
        if (w.size() >= 3 && w.get(0).equals("peer") && List.of("add", "replace", "drain", "remove", "rebuild").contains(w.get(1))) {
            String action = w.get(1);
            boolean needsUrl = action.equals("add") || action.equals("replace");
            if (needsUrl != (w.size() == 4) || w.size() > 4) return usage(w, err);
            AdminTargets.Call call = () -> client.changePeers(action, w.get(2), needsUrl ? w.get(3) : null,
                    settings.get("zone").orElse(null), settings.get("weight").orElse(null));
            out.println((action.equals("drain") ? AdminTargets.withProgress("drain " + w.get(2), client, settings, err, call) : call.run())
                    .toPrettyString());
            return 0;
        }
        return usage(w, err);
    }

    private static void printNew(AdminClient.NewUser u, PrintStream out) {
        out.println("user:       " + u.name());
        out.println("access key: " + u.accessKey());
        out.println("secret key: " + u.secretKey());
    }

    private static void printKeys(JsonNode keys, PrintStream out) {
        if (keys.isEmpty()) out.println("(no access keys)");
        for (JsonNode k : keys) {
            out.printf("key:     %-24s %-8s %s%n", k.path("accessKey").asText(), k.path("status").asText(), k.path("created").asText());
        }
    }

    static int usage(List<String> w, PrintStream err) {
        err.println(help(w));
        return 2;
    }

    /** The commands whose words start with {@code topic} (all when none match). */
    static String help(List<String> topic) {
        List<Command> matching = COMMANDS;
        for (int n = Math.min(3, topic.size()); n > 0; n--) {
            String prefix = String.join(" ", topic.subList(0, n));
            List<Command> m = COMMANDS.stream().filter(c -> c.words().equals(prefix) || c.words().startsWith(prefix + " ")).toList();
            if (!m.isEmpty()) {
                matching = m;
                break;
            }
        }
        StringBuilder sb = new StringBuilder(HEADER).append("\n");
        matching.forEach(c -> sb.append(c.line()).append("\n"));
        return sb.toString().stripTrailing();
    }

    /** One line for a refusal by the server. */
    private static String refusal(AdminClient.AdminException e) {
        String code = e.code().toUpperCase(Locale.ROOT);
        if (e.status() == 403 && (code.contains("ACCESS_KEY") || code.contains("SIGNATURE") || code.contains("TIME") || code.contains("SKEW"))) {
            return "the server refused the root credentials (" + e.code() + "): check MICTLANX_ACCESS_KEY and MICTLANX_SECRET_KEY";
        }
        if (e.status() == 403) {
            return (e.detail().isBlank() ? "only the root user or a user whose policy allows it may use the admin API" : e.detail())
                    + " (" + e.code() + ")";
        }
        return e.detail().isBlank() ? "HTTP " + e.status() + " " + e.code() : e.detail() + " (" + e.code() + ")";
    }

    private static String tlsReason(SSLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("PKIX") || m.contains("certification path") || m.contains("No subject alternative")) {
            return "the server's certificate is not trusted (pass --ca-cert FILE, e.g. data/tls/self-signed.pem)";
        }
        if (m.contains("plaintext") || m.contains("Unsupported or unrecognized SSL message")) {
            return "the server does not speak TLS on that port (use http://)";
        }
        return oneLine(e);
    }

    /** One line for a failure of one router's call (trace --routers reports each router's). */
    static String describe(Exception e) {
        if (e instanceof AdminClient.AdminException a) return refusal(a);
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) return "cannot connect (connection refused or unreachable)";
        if (e instanceof SSLException ssl) return "TLS failed: " + tlsReason(ssl);
        return oneLine(e);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
        return text.lines().findFirst().orElse(text);
    }

    /** A JSON array of strings as one comma-separated line. */
    private static String join(JsonNode array) {
        java.util.List<String> items = new java.util.ArrayList<>();
        array.forEach(n -> items.add(n.asText()));
        return String.join(", ", items);
    }
}
