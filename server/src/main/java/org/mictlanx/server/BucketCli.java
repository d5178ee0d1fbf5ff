package org.mictlanx.server;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code mictlanx admin bucket ...}: list buckets with owner, size, object count and quota; show one;
 * set and clear hard quotas; recount usage. Text tables by default, the server's JSON with {@code --json}.
 */
final class BucketCli {

    private BucketCli() {
    }

    /** {@code w} starts with "bucket"; returns the exit code (2 with the usage on wrong arguments). */
    static int run(List<String> w, boolean json, AdminClient client, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        String verb = w.size() >= 2 ? w.get(1) : "";
        int args = w.size() - 2;
        boolean fits = switch (verb) {
            case "list" -> args == 0;
            case "info", "recount" -> verb.equals("info") ? args == 1 : args <= 1;
            case "quota" -> w.size() >= 3 && (w.get(2).equals("set") && args == 3 || w.get(2).equals("clear") && args == 2);
            default -> false;
        };
        if (!fits) return AdminCli.usage(w, err);
        JsonNode answer = switch (verb) {
            case "list" -> client.listBuckets();
            case "info" -> client.showBucket(w.get(2));
            case "recount" -> client.recount(args == 1 ? w.get(2) : null);
            default -> w.get(2).equals("set") ? client.setQuota(w.get(3), w.get(4)) : client.clearQuota(w.get(3));
        };
        if (json) {
            out.println(answer.toPrettyString());
            return 0;
        }
        switch (verb) {
            case "list" -> {
                JsonNode buckets = answer.path("buckets");
                if (buckets.isEmpty()) {
                    out.println("(no buckets)");
                    return 0;
                }
                out.printf("%-40s %-20s %12s %10s %12s%n", "BUCKET", "OWNER", "SIZE", "OBJECTS", "QUOTA");
                for (JsonNode b : buckets) {
                    out.printf("%-40s %-20s %12s %10d %12s%n", b.path("name").asText(), b.path("owner").asText(),
                            AdminTargets.bytes(b.path("sizeBytes").asLong() + b.path("uploadBytes").asLong()),
                            b.path("objects").asLong(), quota(b));
                }
            }
            case "info" -> {
                out.println("bucket:       " + answer.path("name").asText());
                out.println("owner:        " + answer.path("owner").asText());
                out.println("created:      " + answer.path("created").asText());
                out.println("region:       " + answer.path("region").asText());
                out.println("replication:  " + answer.path("replication").asInt());
                out.println("size:         " + AdminTargets.bytes(answer.path("sizeBytes").asLong()) + " (" + answer.path("sizeBytes").asLong()
                        + " bytes) in " + answer.path("objects").asLong() + " object(s)");
                out.println("open uploads: " + AdminTargets.bytes(answer.path("uploadBytes").asLong()));
                out.println("quota:        " + quota(answer) + quotaUse(answer));
            }
            case "recount" -> {
                for (JsonNode r : answer.path("recounted")) {
                    JsonNode a = r.path("after");
                    out.println(r.path("name").asText() + ": " + AdminTargets.bytes(a.path("sizeBytes").asLong()) + " in "
                            + a.path("objects").asLong() + " object(s)" + (r.path("corrected").asBoolean()
                            ? " (corrected from " + r.path("before").path("sizeBytes").asLong() + " bytes, "
                            + r.path("before").path("objects").asLong() + " objects)" : " (no drift)"));
                }
            }
            default -> out.println(w.get(2).equals("set")
                    ? "quota of " + w.get(3) + " set to " + AdminTargets.bytes(answer.path("quotaBytes").asLong()) + " ("
                    + answer.path("quotaBytes").asLong() + " bytes; every router within "
                    + answer.path("enforcedEverywhereWithinMillis").asLong() + " ms)"
                    : "quota of " + w.get(3) + " cleared");
        }
        return 0;
    }

    private static String quota(JsonNode b) {
        long q = b.path("quotaBytes").asLong(-1);
        return q < 0 ? "-" : AdminTargets.bytes(q);
    }

    private static String quotaUse(JsonNode b) {
        long q = b.path("quotaBytes").asLong(-1);
        if (q <= 0) return "";
        long used = b.path("sizeBytes").asLong() + b.path("uploadBytes").asLong();
        return String.format(java.util.Locale.ROOT, " (%.1f%% used)", 100.0 * used / q);
    }
}
