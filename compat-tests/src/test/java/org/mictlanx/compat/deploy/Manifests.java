package org.mictlanx.compat.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Reading the deployment manifests as YAML trees, and the small vocabularies they share. */
final class Manifests {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern VAR = Pattern.compile("MICTLANX_[A-Z0-9_]*[A-Z0-9]");

    private Manifests() {
    }

    /** Every document of a (possibly multi-document) YAML file; empty documents skipped. */
    static List<JsonNode> documents(Path file) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode() && !n.isEmpty()) docs.add(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
        return docs;
    }

    /** The .yaml/.yml files under a directory, sorted. */
    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every MICTLANX_* name mentioned in a text. */
    static List<String> variablesIn(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = VAR.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    /** A Compose {@code environment:} (map or list form) as a map. */
    static Map<String, String> composeEnv(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isObject()) {
            e.properties().forEach(p -> env.put(p.getKey(), p.getValue().asText()));
        } else if (e.isArray()) {
            for (JsonNode item : e) {
                String s = item.asText();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** A Kubernetes container's {@code env:} literal values (valueFrom entries map to ""). */
    static Map<String, String> containerEnv(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) env.put(e.path("name").asText(), e.path("value").asText(""));
        return env;
    }

    /** MICTLANX_PEER_URLS parsed: id → URL (options after '|' dropped); duplicates are an error. */
    static Map<String, String> peerUrls(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String e = entry.strip();
            int eq = e.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("peer-urls entry without ID=: '" + e + "'");
            String url = e.substring(eq + 1);
            int bar = url.indexOf('|');
            if (bar >= 0) url = url.substring(0, bar);
            if (out.put(e.substring(0, eq), url) != null) throw new IllegalArgumentException("duplicate peer id in " + value);
        }
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return out;
    }
}
