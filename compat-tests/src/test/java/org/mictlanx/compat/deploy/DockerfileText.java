package org.mictlanx.compat.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile as its instructions: comments dropped, backslash continuations joined, keyword upper-cased.
 * Enough to check what the image declares; it does not evaluate variables.
 */
record DockerfileText(List<Instruction> instructions) {

    record Instruction(String keyword, String args) {
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    static DockerfileText parse(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (current.isEmpty() && (t.isEmpty() || t.startsWith("#"))) continue;
            if (!current.isEmpty() && t.startsWith("#")) continue;
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            String joined = current.toString().strip();
            current.setLength(0);
            int sp = joined.indexOf(' ');
            out.add(new Instruction(joined.substring(0, sp).toUpperCase(Locale.ROOT), joined.substring(sp + 1).strip()));
        }
        return new DockerfileText(List.copyOf(out));
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    /** The arguments of the last such instruction (the one in force in the final stage), or null. */
    String last(String keyword) {
        List<String> a = all(keyword);
        return a.isEmpty() ? null : a.get(a.size() - 1);
    }

    /** Instructions after the last FROM: the image that ships. */
    DockerfileText finalStage() {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) from = i;
        }
        return new DockerfileText(instructions.subList(from, instructions.size()));
    }

    /** ENV key=value pairs, in order (quotes removed). */
    Map<String, String> env() {
        Map<String, String> env = new TreeMap<>();
        for (String args : all("ENV")) {
            Matcher m = ENV_PAIR.matcher(args);
            while (m.find()) {
                String v = m.group(2);
                env.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
            }
        }
        return env;
    }

    /** The JSON-array (exec) form of an instruction's arguments, e.g. CMD ["java", "-cp", "x"]. */
    static List<String> execForm(String args) {
        String s = args.strip();
        if (!s.startsWith("[") || !s.endsWith("]")) throw new IllegalArgumentException("not exec form: " + args);
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(s);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
