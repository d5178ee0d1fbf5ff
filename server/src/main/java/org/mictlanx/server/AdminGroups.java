package org.mictlanx.server;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code mictlanx admin group ...}: groups of users, whose attached policies apply to every member
 * (IAM groups). {@code group list|show NAME|add NAME|delete NAME} and
 * {@code group member add|remove GROUP USER}; policies are attached with {@code policy attach --group}.
 */
final class AdminGroups {

    private AdminGroups() {
    }

    /** @param args the words after {@code group VERB} */
    static int run(List<String> w, int args, AdminClient client, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        switch (w.get(1)) {
            case "list" -> {
                if (args != 0) return AdminCli.usage(w, err);
                JsonNode groups = client.listGroups().path("groups");
                if (groups.isEmpty()) out.println("(no groups)");
                for (JsonNode g : groups) {
                    out.printf("%-32s %3d member(s)  %s%n", g.path("name").asText(), g.path("members").asInt(), g.path("created").asText());
                }
            }
            case "show" -> {
                if (args != 1) return AdminCli.usage(w, err);
                JsonNode g = client.showGroup(w.get(2));
                out.println("group:    " + g.path("name").asText());
                out.println("created:  " + g.path("created").asText());
                out.println("members:  " + join(g.path("members")));
                out.println("policies: " + join(g.path("attached")));
            }
            case "add" -> {
                if (args != 1) return AdminCli.usage(w, err);
                client.addGroup(w.get(2));
                out.println("created group " + w.get(2));
            }
            case "delete" -> {
                if (args != 1) return AdminCli.usage(w, err);
                client.deleteGroup(w.get(2));
                out.println("deleted group " + w.get(2));
            }
            default -> {
                if (args != 3 || !List.of("add", "remove").contains(w.get(2))) return AdminCli.usage(w, err);
                boolean add = w.get(2).equals("add");
                JsonNode r = client.groupMember(w.get(3), w.get(4), add);
                out.println((add ? "added " + w.get(4) + " to" : "removed " + w.get(4) + " from") + " group " + w.get(3)
                        + "; members now: " + r.path("members") + " (every router within "
                        + r.path("enforcedEverywhereWithinSeconds").asText() + " s)");
            }
        }
        return 0;
    }

    /** The JSON for {@code --json}, or null for wrong usage. */
    static JsonNode json(List<String> w, int args, AdminClient client) throws IOException, InterruptedException {
        return switch (w.get(1)) {
            case "list" -> args == 0 ? client.listGroups() : null;
            case "show" -> args == 1 ? client.showGroup(w.get(2)) : null;
            case "add" -> args == 1 ? client.addGroup(w.get(2)) : null;
            case "delete" -> args == 1 ? client.deleteGroup(w.get(2)) : null;
            case "member" -> args == 3 && List.of("add", "remove").contains(w.get(2))
                    ? client.groupMember(w.get(3), w.get(4), w.get(2).equals("add")) : null;
            default -> null;
        };
    }

    private static String join(JsonNode names) {
        if (names.isEmpty()) return "(none)";
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : names) sb.append(sb.isEmpty() ? "" : ", ").append(n.asText());
        return sb.toString();
    }
}
