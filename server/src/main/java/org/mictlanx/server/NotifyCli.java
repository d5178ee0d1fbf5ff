package org.mictlanx.server;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code mictlanx admin notify target add ID URL | list | remove ID}: the event notification targets
 * kept in the replicated metadata, beside those of the {@code notify-webhooks} setting. Text by default,
 * the server's JSON with {@code --json}.
 */
final class NotifyCli {

    private NotifyCli() {
    }

    /** {@code w} starts with "notify"; returns the exit code (2 with the usage on wrong arguments). */
    static int run(List<String> w, boolean json, AdminClient client, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        String verb = w.size() >= 3 && w.get(1).equals("target") ? w.get(2) : "";
        int args = w.size() - 3;
        boolean fits = switch (verb) {
            case "list" -> args == 0;
            case "add" -> args == 2;
            case "remove" -> args == 1;
            default -> false;
        };
        if (!fits) return AdminCli.usage(w, err);
        JsonNode answer = switch (verb) {
            case "list" -> client.listNotifyTargets();
            case "add" -> client.addNotifyTarget(w.get(3), w.get(4));
            default -> client.removeNotifyTarget(w.get(3));
        };
        if (json) {
            out.println(answer.toPrettyString());
            return 0;
        }
        switch (verb) {
            case "list" -> {
                JsonNode targets = answer.path("targets");
                if (targets.isEmpty()) {
                    out.println("(no targets; bin/mictlanx admin notify target add ID URL)");
                    return 0;
                }
                out.printf("%-20s %-44s %-9s %s%n", "ID", "ARN", "SOURCE", "URL");
                for (JsonNode t : targets) {
                    out.printf("%-20s %-44s %-9s %s%n", t.path("id").asText(), t.path("arn").asText(), t.path("source").asText(),
                            t.path("url").asText());
                }
            }
            case "add" -> out.println("target " + answer.path("id").asText() + " added: " + answer.path("arn").asText()
                    + " -> " + answer.path("url").asText() + " (every router within 2 s)");
            default -> out.println("target " + answer.path("id").asText() + " removed");
        }
        return 0;
    }
}
