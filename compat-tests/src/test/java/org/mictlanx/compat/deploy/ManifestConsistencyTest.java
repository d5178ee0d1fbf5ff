package org.mictlanx.compat.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The deployment files agree with each other, with the configuration contract and with
 * docs/operations.md: Compose and Kubernetes manifests parsed as YAML, the Dockerfile as text.
 */
class ManifestConsistencyTest {

    private static final Pattern WORD_VAR = Pattern.compile("\\bMICTLANX_[A-Z0-9_]*[A-Z0-9]\\b");

    private final Path root = RepoFiles.root();
    private final DockerfileText dockerfile = DockerfileText.parse(RepoFiles.read("Dockerfile"));

    @Test
    void everyVariableSetIsInTheContractAndDocumented() {
        Map<String, String> usedWhere = new LinkedHashMap<>();
        JsonNode compose = Manifests.documents(root.resolve("deploy/compose.yaml")).get(0);
        compose.path("services").properties().forEach(s ->
                Manifests.composeEnv(s.getValue()).keySet().forEach(v -> usedWhere.putIfAbsent(v, "compose service " + s.getKey())));
        for (Path f : Manifests.yamlFiles(root.resolve("deploy/kubernetes"))) {
            for (JsonNode doc : Manifests.documents(f)) {
                for (JsonNode c : doc.path("spec").path("template").path("spec").path("containers")) {
                    Manifests.containerEnv(c).keySet().forEach(v -> usedWhere.putIfAbsent(v, root.relativize(f).toString()));
                }
            }
        }
        dockerfile.env().keySet().forEach(v -> usedWhere.putIfAbsent(v, "Dockerfile ENV"));
        Manifests.variablesIn(RepoFiles.read("deploy/docker-entrypoint.sh")).forEach(v -> usedWhere.putIfAbsent(v, "deploy/docker-entrypoint.sh"));
        Manifests.variablesIn(RepoFiles.read("deploy/HealthCheck.java")).forEach(v -> usedWhere.putIfAbsent(v, "deploy/HealthCheck.java"));

        Set<String> documented = documentedVariables();
        Set<String> contract = ContractNames.all();
        List<String> problems = new ArrayList<>();
        usedWhere.forEach((v, where) -> {
            if (!v.startsWith("MICTLANX_")) problems.add(where + " sets " + v + ", not a MICTLANX_ variable");
            else if (!contract.contains(v)) problems.add(where + " uses " + v + ", which the configuration contract does not define");
            else if (!documented.contains(v)) problems.add(where + " uses " + v + ", which docs/operations.md does not document");
        });
        for (String v : documented) {
            if (!contract.contains(v)) problems.add("docs/operations.md documents " + v + ", which the contract does not define");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(usedWhere.size() >= 10, "too few variables found, is the parsing broken? " + usedWhere.keySet());
    }

    @Test
    void composeRunsTwoRoutersOverThreePeersWithSecrets() {
        JsonNode compose = Manifests.documents(root.resolve("deploy/compose.yaml")).get(0);
        Map<String, JsonNode> peers = new LinkedHashMap<>();
        Map<String, JsonNode> routers = new LinkedHashMap<>();
        compose.path("services").properties().forEach(s -> {
            String role = s.getValue().path("command").path(0).asText();
            if (role.equals("peer")) peers.put(s.getKey(), s.getValue());
            else if (role.equals("server")) routers.put(s.getKey(), s.getValue());
            else fail("compose service " + s.getKey() + " has no known role: " + s.getValue().path("command"));
        });
        assertEquals(3, peers.size(), "peers: " + peers.keySet());
        assertEquals(2, routers.size(), "routers: " + routers.keySet());

        Map<String, String> expectedUrls = new LinkedHashMap<>();
        Set<String> peerVolumes = new HashSet<>();
        for (Map.Entry<String, JsonNode> p : peers.entrySet()) {
            Map<String, String> env = Manifests.composeEnv(p.getValue());
            String id = env.get("MICTLANX_PEER_ID");
            assertNotNull(id, p.getKey() + " sets no MICTLANX_PEER_ID (a container's host name is random)");
            expectedUrls.put(id, "http://" + p.getKey() + ":" + env.getOrDefault("MICTLANX_PORT", dockerfile.env().get("MICTLANX_PORT")));
            String volume = dataVolume(p.getKey(), p.getValue(), env.getOrDefault("MICTLANX_DATA", "/data"));
            assertTrue(compose.path("volumes").has(volume), "volume " + volume + " of " + p.getKey() + " is not declared");
            assertTrue(peerVolumes.add(volume), "peers share the volume " + volume);
            assertTrue(env.containsKey("MICTLANX_CLUSTER_SECRET_FILE"), p.getKey() + " has no cluster secret file");
        }
        Set<String> hostPorts = new HashSet<>();
        for (Map.Entry<String, JsonNode> r : routers.entrySet()) {
            Map<String, String> env = Manifests.composeEnv(r.getValue());
            assertEquals(expectedUrls, Manifests.peerUrls(env.get("MICTLANX_PEER_URLS")), r.getKey() + ": peer URLs vs peer services");
            int replication = Integer.parseInt(env.get("MICTLANX_REPLICATION"));
            assertTrue(replication >= 1 && replication <= peers.size(), r.getKey() + ": replication " + replication);
            int quorum = Integer.parseInt(env.getOrDefault("MICTLANX_WRITE_QUORUM", String.valueOf(replication / 2 + 1)));
            assertTrue(quorum >= 1 && quorum <= replication, r.getKey() + ": write quorum " + quorum);
            for (String required : List.of("CLUSTER_SECRET", "MASTER_KEY", "ACCESS_KEY", "SECRET_KEY")) {
                assertTrue(env.containsKey("MICTLANX_" + required + "_FILE"), r.getKey() + " lacks MICTLANX_" + required + "_FILE");
            }
            for (JsonNode port : r.getValue().path("ports")) {
                String[] parts = port.asText().split(":");
                assertEquals(env.getOrDefault("MICTLANX_PORT", "9000"), parts[parts.length - 1], r.getKey() + " publishes the wrong container port");
                assertTrue(hostPorts.add(parts[0]), "two routers publish host port " + parts[0]);
            }
            assertFalse(r.getValue().path("ports").isEmpty(), r.getKey() + " publishes no port");
        }

        Set<String> clusterSecretNames = new TreeSet<>();
        compose.path("services").properties().forEach(s -> {
            Set<String> mounted = new HashSet<>(Manifests.texts(s.getValue().path("secrets")));
            for (String name : mounted) {
                JsonNode decl = compose.path("secrets").path(name);
                assertTrue(decl.path("file").isTextual(), s.getKey() + " uses undeclared secret " + name);
                String file = Path.of(decl.path("file").asText()).getFileName().toString();
                assertTrue(RepoFiles.read("deploy/gen-secrets.sh").contains("write " + file + " "),
                        "deploy/gen-secrets.sh does not create " + file);
            }
            Manifests.composeEnv(s.getValue()).forEach((k, v) -> {
                if (!k.endsWith("_FILE")) return;
                assertTrue(v.startsWith("/run/secrets/") && mounted.contains(v.substring("/run/secrets/".length())),
                        s.getKey() + ": " + k + "=" + v + " is not one of its mounted secrets " + mounted);
                if (k.equals("MICTLANX_CLUSTER_SECRET_FILE")) clusterSecretNames.add(v);
            });
            assertHealthcheckIsTheImages(s.getKey(), s.getValue().path("healthcheck").path("test"));
        });
        assertEquals(1, clusterSecretNames.size(), "routers and peers must share one cluster secret: " + clusterSecretNames);
    }

    @Test
    void kubernetesPeersRoutersSecretsAndProbesAgree() {
        Path dir = root.resolve("deploy/kubernetes");
        Map<String, List<JsonNode>> byKind = new LinkedHashMap<>();
        JsonNode kustomization = null;
        Set<String> resourceFiles = new TreeSet<>();
        for (Path f : Manifests.yamlFiles(dir)) {
            for (JsonNode doc : Manifests.documents(f)) {
                if (doc.path("kind").asText().equals("Kustomization")) kustomization = doc;
                else {
                    byKind.computeIfAbsent(doc.path("kind").asText(), k -> new ArrayList<>()).add(doc);
                    resourceFiles.add(dir.relativize(f).toString());
                }
            }
        }
        assertNotNull(kustomization, "deploy/kubernetes has no kustomization.yaml");
        assertEquals(resourceFiles, new TreeSet<>(Manifests.texts(kustomization.path("resources"))), "kustomization resources");

        JsonNode sts = single(byKind, "StatefulSet");
        JsonNode deployment = single(byKind, "Deployment");
        JsonNode peer = sts.path("spec").path("template").path("spec").path("containers").path(0);
        JsonNode router = deployment.path("spec").path("template").path("spec").path("containers").path(0);
        assertEquals(List.of("peer"), Manifests.texts(peer.path("args")), "StatefulSet role");
        assertEquals(List.of("server"), Manifests.texts(router.path("args")), "Deployment role");

        JsonNode headless = serviceNamed(byKind, sts.path("spec").path("serviceName").asText());
        assertEquals("None", headless.path("spec").path("clusterIP").asText(), "the peers' Service must be headless");
        assertSelects(headless, sts);
        Map<String, String> peerEnv = Manifests.containerEnv(peer);
        assertFalse(peerEnv.containsKey("MICTLANX_PEER_ID"), "StatefulSet peers take their id from the pod name");
        int peerPort = Integer.parseInt(peerEnv.getOrDefault("MICTLANX_PORT", dockerfile.env().get("MICTLANX_PORT")));
        assertEquals(peerPort, containerPort(peer, headless.path("spec").path("ports").path(0).path("targetPort")), "peer Service targetPort");
        int servicePort = headless.path("spec").path("ports").path(0).path("port").asInt();
        String data = peerEnv.getOrDefault("MICTLANX_DATA", "/data");
        String claim = sts.path("spec").path("volumeClaimTemplates").path(0).path("metadata").path("name").asText();
        assertEquals(data, mountPath(peer, claim), "the PersistentVolumeClaim must be mounted at the peer's data directory");

        Map<String, String> expected = new LinkedHashMap<>();
        String name = sts.path("metadata").path("name").asText();
        for (int i = 0; i < sts.path("spec").path("replicas").asInt(); i++) {
            expected.put(name + "-" + i, "http://" + name + "-" + i + "." + headless.path("metadata").path("name").asText() + ":" + servicePort);
        }
        Map<String, String> routerEnv = Manifests.containerEnv(router);
        assertEquals(expected, Manifests.peerUrls(routerEnv.get("MICTLANX_PEER_URLS")), "router peer URLs vs StatefulSet pods");
        assertTrue(Integer.parseInt(routerEnv.get("MICTLANX_REPLICATION")) <= expected.size(), "replication above the peer count");

        JsonNode routerService = byKind.get("Service").stream().filter(s -> s != headless).findFirst().orElseThrow();
        assertSelects(routerService, deployment);
        assertEquals(Integer.parseInt(routerEnv.getOrDefault("MICTLANX_PORT", "9000")),
                containerPort(router, routerService.path("spec").path("ports").path(0).path("targetPort")), "router Service targetPort");

        Map<String, Set<String>> secretKeys = new LinkedHashMap<>();
        for (JsonNode gen : kustomization.path("secretGenerator")) {
            Set<String> keys = new TreeSet<>();
            for (JsonNode f : gen.path("files")) keys.add(f.asText().split("=", 2)[0]);
            gen.path("literals").forEach(l -> keys.add(l.asText().split("=", 2)[0]));
            secretKeys.put(gen.path("name").asText(), keys);
        }
        byKind.getOrDefault("Secret", List.of()).forEach(s -> {
            Set<String> keys = new TreeSet<>();
            s.path("data").fieldNames().forEachRemaining(keys::add);
            s.path("stringData").fieldNames().forEachRemaining(keys::add);
            secretKeys.put(s.path("metadata").path("name").asText(), keys);
        });
        for (JsonNode workload : List.of(sts, deployment)) {
            JsonNode pod = workload.path("spec").path("template").path("spec");
            JsonNode c = pod.path("containers").path(0);
            String what = workload.path("kind").asText();
            Set<String> secretFiles = secretFiles(pod, c, secretKeys, what);
            Manifests.containerEnv(c).forEach((k, v) -> {
                if (k.endsWith("_FILE")) assertTrue(secretFiles.contains(v), what + ": " + k + "=" + v + " is not a mounted secret key " + secretFiles);
            });
            assertProbes(what, c, workload == sts);
            for (String r : List.of("cpu", "memory")) {
                assertTrue(c.path("resources").path("requests").path(r).isTextual(), what + " requests no " + r);
            }
            assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), what + " must run as non-root");
            assertEquals(imageUid(), pod.path("securityContext").path("runAsUser").asText(), what + " runAsUser vs the image's USER");
        }
    }

    @Test
    void dockerfileDeclaresTheImageContract() {
        List<String> froms = dockerfile.all("FROM");
        assertTrue(froms.get(0).matches("eclipse-temurin:(21|25)-jdk AS build"), "build stage base: " + froms.get(0));
        DockerfileText image = dockerfile.finalStage();
        assertTrue(image.last("FROM").matches("ubuntu:24.04"), "run stage base (the build stage's OS, for the jlink'ed runtime): "
                + image.last("FROM"));
        // the layout of bin/mictlanx dist: the runtime is on PATH (entrypoint and HEALTHCHECK call `java`)
        assertTrue(image.all("COPY").contains("--from=build /out/mictlanx/runtime/ /app/runtime/"), "no jlink'ed runtime");
        assertTrue(image.all("RUN").contains("ln -s /app/runtime/bin/java /usr/local/bin/java"), "the runtime's java is not on PATH");
        assertEquals("9000", image.last("EXPOSE"));
        assertEquals("9000", image.env().get("MICTLANX_PORT"));
        assertEquals("/data", image.last("VOLUME"));
        assertEquals("/data", image.env().get("MICTLANX_DATA"));
        String uid = imageUid();
        assertTrue(uid.matches("[1-9][0-9]*"), "USER must be a numeric non-root uid (Kubernetes runAsNonRoot checks numbers): " + uid);
        assertEquals(List.of("/app/docker-entrypoint.sh"), DockerfileText.execForm(image.last("ENTRYPOINT")));
        assertEquals(List.of("all-in-one"), DockerfileText.execForm(image.last("CMD")));
        assertTrue(image.all("COPY").contains("deploy/docker-entrypoint.sh /app/docker-entrypoint.sh"), "entrypoint not copied");
        String lib = image.env().get("MICTLANX_CLASSPATH");
        assertTrue(image.all("COPY").stream().anyMatch(c -> c.startsWith("--from=build ") && c.endsWith(" " + lib + "/")),
                "no COPY --from=build into " + lib);
        String build = String.join("\n", dockerfile.all("RUN"));
        for (String needed : List.of("./mvnw", "dependency:copy-dependencies", "-DincludeScope=runtime",
                "main_jar server/target mictlanx-server", "bin/lib/dist.sh server/target/dist/lib /out mictlanx",
                "javac --release 21 -d /out/healthcheck deploy/HealthCheck.java")) {
            assertTrue(build.contains(needed), "the build stage does not run " + needed);
        }
        List<String> check = healthcheckCommand();
        assertEquals("java", check.get(0), "HEALTHCHECK must need nothing but the JRE: " + check);
        assertEquals("HealthCheck", check.get(check.size() - 1));
        assertTrue(image.all("COPY").contains("--from=build /out/healthcheck/ /app/healthcheck/"), "health check class not copied");
        assertFalse(dockerfile.last("HEALTHCHECK").contains("curl") || dockerfile.last("HEALTHCHECK").contains("wget"));

        List<String> ignored = RepoFiles.read(".dockerignore").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String needed : List.of("mvnw", ".mvn/wrapper/maven-wrapper.properties", "pom.xml", "peer/pom.xml", "server/src/main/java",
                "sdk/pom.xml", "compat-tests/pom.xml", "deploy/docker-entrypoint.sh", "deploy/HealthCheck.java",
                ".mvn/jvm.config", ".checkstyle/checkstyle.xml", ".checkstyle/suppressions.xml")) {
            for (String pattern : ignored) {
                boolean hit = FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(needed))
                        || needed.startsWith(pattern.replaceAll("/$", "") + "/");
                assertFalse(hit, ".dockerignore pattern '" + pattern + "' drops " + needed + ", which the build needs");
            }
        }
    }

    /** The exec-form command of the image's HEALTHCHECK. */
    private List<String> healthcheckCommand() {
        String hc = dockerfile.finalStage().last("HEALTHCHECK");
        int cmd = hc.indexOf("CMD ");
        assertTrue(cmd >= 0, "HEALTHCHECK without CMD: " + hc);
        return DockerfileText.execForm(hc.substring(cmd + 4));
    }

    private void assertHealthcheckIsTheImages(String service, JsonNode test) {
        List<String> t = Manifests.texts(test);
        assertEquals("CMD", t.get(0), service + " healthcheck must be exec form");
        assertEquals(healthcheckCommand(), t.subList(1, t.size() - 1), service + " healthcheck vs the image's HEALTHCHECK");
        assertTrue(t.get(t.size() - 1).matches("http://127\\.0\\.0\\.1:[0-9]+/health"), service + " health URL " + t.get(t.size() - 1));
    }

    private String imageUid() {
        return dockerfile.finalStage().last("USER").split(":")[0];
    }

    private Set<String> documentedVariables() {
        Set<String> out = new TreeSet<>();
        Matcher m = WORD_VAR.matcher(RepoFiles.read("docs/operations.md"));
        while (m.find()) out.add(m.group());
        return out;
    }

    private static String dataVolume(String service, JsonNode s, String dataDir) {
        for (JsonNode v : s.path("volumes")) {
            String[] parts = v.asText().split(":");
            if (parts.length >= 2 && parts[1].equals(dataDir)) return parts[0];
        }
        throw new AssertionError(service + " mounts no volume at its data directory " + dataDir);
    }

    private static JsonNode single(Map<String, List<JsonNode>> byKind, String kind) {
        List<JsonNode> list = byKind.getOrDefault(kind, List.of());
        assertEquals(1, list.size(), "expected exactly one " + kind);
        return list.get(0);
    }

    private static JsonNode serviceNamed(Map<String, List<JsonNode>> byKind, String name) {
        return byKind.getOrDefault("Service", List.of()).stream().filter(s -> s.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no Service named " + name));
    }

    private static void assertSelects(JsonNode service, JsonNode workload) {
        JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
        JsonNode selector = service.path("spec").path("selector");
        assertFalse(selector.isEmpty(), "Service " + service.path("metadata").path("name").asText() + " selects nothing");
        selector.properties().forEach(e -> assertEquals(e.getValue().asText(), labels.path(e.getKey()).asText(),
                "Service " + service.path("metadata").path("name").asText() + " does not select " + workload.path("kind").asText()));
        workload.path("spec").path("selector").path("matchLabels").properties().forEach(e ->
                assertEquals(e.getValue().asText(), labels.path(e.getKey()).asText(), workload.path("kind").asText() + " selector vs pod labels"));
    }

    private static int containerPort(JsonNode container, JsonNode ref) {
        for (JsonNode p : container.path("ports")) {
            if (ref.isInt() ? p.path("containerPort").asInt() == ref.asInt() : p.path("name").asText().equals(ref.asText())) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("container " + container.path("name").asText() + " has no port " + ref);
    }

    private static String mountPath(JsonNode container, String volume) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("name").asText().equals(volume)) return m.path("mountPath").asText();
        }
        throw new AssertionError("container " + container.path("name").asText() + " does not mount " + volume);
    }

    /** Paths of the secret keys mounted into a container; every referenced Secret and key must exist. */
    private static Set<String> secretFiles(JsonNode pod, JsonNode container, Map<String, Set<String>> secretKeys, String what) {
        Set<String> files = new TreeSet<>();
        for (JsonNode v : pod.path("volumes")) {
            if (!v.has("secret")) continue;
            String secret = v.path("secret").path("secretName").asText();
            Set<String> keys = secretKeys.get(secret);
            assertNotNull(keys, what + " mounts Secret " + secret + ", which is neither generated nor declared");
            String mount = mountPath(container, v.path("name").asText());
            if (v.path("secret").has("items")) {
                for (JsonNode item : v.path("secret").path("items")) {
                    assertTrue(keys.contains(item.path("key").asText()), what + ": Secret " + secret + " has no key " + item.path("key"));
                    files.add(mount + "/" + item.path("path").asText());
                }
            } else {
                keys.forEach(k -> files.add(mount + "/" + k));
            }
        }
        return files;
    }

    private static void assertProbes(String what, JsonNode c, boolean peer) {
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertTrue(c.has(probe), what + " has no " + probe);
        }
        c.properties().forEach(e -> {
            if (!e.getKey().endsWith("Probe")) return;
            JsonNode http = e.getValue().path("httpGet");
            String path = http.path("path").asText();
            // peers and routers both serve /health/live (process up) and /health/ready (= /health: 503 when not ready)
            assertTrue(path.matches("/health(/live|/ready)?"), what + " " + e.getKey() + " path " + path);
            if (e.getKey().equals("livenessProbe")) assertEquals("/health/live", path, what + " liveness must not restart a merely unready " + (peer ? "peer" : "router"));
            containerPort(c, http.path("port"));
        });
    }
}
