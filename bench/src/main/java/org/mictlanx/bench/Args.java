package org.mictlanx.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value}, {@code --name=value} and bare {@code --flag} command-line options. */
public record Args(Map<String, String> values) {

    public static Args parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "'");
            String body = a.substring(2);
            int eq = body.indexOf('=');
            if (eq > 0) m.put(body.substring(0, eq), body.substring(eq + 1));
            else if (i + 1 < args.length && !args[i + 1].startsWith("--")) m.put(body, args[++i]);
            else m.put(body, "true");
        }
        return new Args(Map.copyOf(m));
    }

    public String get(String name, String def) {
        return values.getOrDefault(name, def);
    }

    public String require(String name) {
        String v = values.get(name);
        if (v == null) throw new IllegalArgumentException("missing --" + name);
        return v;
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    public double getDouble(String name, double def) {
        String v = values.get(name);
        try {
            return v == null ? def : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    public int getInt(String name, int def) {
        return (int) getDouble(name, def);
    }
}
