package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The operator's admin CLI: run beside an all-in-one it finds the root credentials in the data directory;
 * saved aliases (file 0600 in an owner-only directory, secrets never printed); {@code --json}; {@code info}
 * with version, uptime, layout, peers with state and capacity, repair and GC progress.
 */
class AdminOpsCliTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void besideAnAllInOneInfoShowsPeersCapacityAndProgress() throws Exception {
        Path data = dir.resolve("data");
        Main.Start start = Main.start(new String[] {"all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data.toString(), "--peers", "2"},
                Map.of(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), System.err);
        try (MictlanXServer server = start.server()) {
            URI ep = server.endpoint();
            var root = server.rootCredentials();
            assertEquals(200, MictlanXServerTest.s3(http, ep, root.accessKeyId(), root.secretKey(), "PUT", "/ops", "").statusCode());
            assertEquals(200, MictlanXServerTest.s3(http, ep, root.accessKeyId(), root.secretKey(), "PUT", "/ops/big", "x".repeat(300_000)).statusCode());

            // no credentials given: the all-in-one's data directory has them
            AdminLifecycleTest.Run text = AdminLifecycleTest.cli(Map.of(), "info", "--data", data.toString(), "--endpoint", ep.toString());
            assertEquals(0, text.code(), text.err());
            assertTrue(text.out().contains("layout:   version 1, 2 peer(s)"), text.out());
            assertTrue(text.out().matches("(?s).*\\np1\\s+up\\s+default\\s+\\d.*"), text.out());
            assertTrue(text.out().contains("repair:   ") && text.out().contains("gc:       passes"), text.out());

            AdminLifecycleTest.Run json = AdminLifecycleTest.cli(Map.of(), "info", "--json", "--data", data.toString(), "--endpoint", ep.toString());
            assertEquals(0, json.code(), json.err());
            JsonNode info = JSON.readTree(json.out());
            assertTrue(info.path("uptimeSeconds").asLong() >= 0 && !info.path("version").asText().isEmpty());
            assertEquals(2, info.path("peers").size());
            long used = 0, chunks = 0;
            for (JsonNode p : info.path("peers")) {
                assertEquals("up", p.path("state").asText());
                assertTrue(p.path("freeBytes").asLong() > 0, p.toString());
                used += p.path("usedBytes").asLong();
                chunks += p.path("chunks").asLong();
                // the peer's RocksDB memory: the objects' records sit in the memtables; one 64 MiB block cache
                assertTrue(p.path("memory").path("memtables").asLong() > 0, p.toString());
                assertEquals(64L << 20, p.path("memory").path("blockCacheCapacity").asLong(), p.toString());
            }
            assertTrue(used >= 300_000 * 2, "two replicas of the object's chunks: " + info);
            assertTrue(chunks >= 2, info.toString());
            assertTrue(info.path("maintenance").has("gcMisplacedDeleted"), info.toString());

            // the same figures on /metrics, also after a GC (the gauges must hold what they read strongly)
            System.gc();
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(ep.resolve("/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            double scrapedUsed = metrics.lines().filter(l -> l.startsWith("mictlanx_peer_used_bytes{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertEquals(used, (long) scrapedUsed, metrics);
            assertTrue(metrics.contains("mictlanx_peer_free_bytes{peer=\"p2\"}") && metrics.contains("mictlanx_peer_chunks{peer=\"p1\"}"), metrics);
            assertTrue(metrics.contains("mictlanx_gc_misplaced_deleted"), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.matches("mictlanx_peer_rocksdb_memtables_bytes\\{peer=\"p1\"} [1-9][0-9.E]*")), metrics);
            assertTrue(metrics.contains("mictlanx_peer_rocksdb_table_readers_bytes{peer=\"p2\"}")
                    && metrics.contains("mictlanx_peer_rocksdb_block_cache_pinned_bytes{peer=\"p1\"}"), metrics);

            // a repair prints its progress on stderr while it runs and a last line when done; stdout keeps the answer
            AdminLifecycleTest.Run repair = AdminLifecycleTest.cli(Map.of(), "repair", "--progress-seconds", "0.1", "--data", data.toString(),
                    "--endpoint", ep.toString());
            assertEquals(0, repair.code(), repair.err());
            assertTrue(repair.err().lines().anyMatch(l -> l.matches("repair: done in [0-9.]+s, repair idle, chunks checked \\d+, .*")), repair.err());
            assertTrue(JSON.readTree(repair.out()).has("maintenance"), repair.out());

            // an online peer rebuild: started at once, its progress in the stats and on /metrics
            AdminLifecycleTest.Run rebuild = AdminLifecycleTest.cli(Map.of(), "peer", "rebuild", "p1", "--data", data.toString(),
                    "--endpoint", ep.toString());
            assertEquals(0, rebuild.code(), rebuild.err());
            assertEquals("p1", JSON.readTree(rebuild.out()).path("peer").asText(), rebuild.out());
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            JsonNode rebuilt;
            while (true) {
                AdminLifecycleTest.Run stats = AdminLifecycleTest.cli(Map.of(), "stats", "--data", data.toString(), "--endpoint", ep.toString());
                rebuilt = JSON.readTree(stats.out()).path("rebuild");
                if (rebuilt.path("state").asText().equals("done")) break;
                assertTrue(System.nanoTime() < deadline, "the rebuild ends: " + stats.out());
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
            }
            assertTrue(rebuilt.path("segmentsChecked").asLong() >= 1, rebuilt.toString());
            assertTrue(JSON.readTree(AdminLifecycleTest.cli(Map.of(), "stats", "--data", data.toString(), "--endpoint", ep.toString()).out())
                    .path("hints").has("pending"));
            String after = http.send(java.net.http.HttpRequest.newBuilder(ep.resolve("/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String name : java.util.List.of("mictlanx_peer_rebuild_running", "mictlanx_peer_rebuild_segments_checked",
                    "mictlanx_repair_hints_pending", "mictlanx_repair_hints_swept", "mictlanx_repair_hints_restored",
                    "mictlanx_repair_hints_failed", "mictlanx_repair_wrong_size")) {
                assertTrue(after.contains(name), name + " in\n" + after);
            }
            AdminLifecycleTest.Run unknown = AdminLifecycleTest.cli(Map.of(), "peer", "rebuild", "nope", "--data", data.toString(),
                    "--endpoint", ep.toString());
            assertTrue(unknown.code() != 0 && unknown.err().contains("no peer nope"), unknown.out() + unknown.err());

            // nothing to sign with: one line, usage exit code
            AdminLifecycleTest.Run none = AdminLifecycleTest.cli(Map.of(), "info", "--data", dir.resolve("empty").toString(), "--endpoint", ep.toString());
            assertEquals(2, none.code());
            assertTrue(none.err().startsWith("mictlanx admin: no root credentials"), none.err());
        }
    }

    @Test
    void helpListsTheOperatorAndThePolicyCommands() {
        String help = AdminCli.help(java.util.List.of());
        for (String command : java.util.List.of("info", "alias set", "alias list", "alias remove", "policy list", "policy show",
                "policy put", "policy delete", "policy attach", "policy detach", "policy user", "user add", "peer drain", "peer rebuild", "repair")) {
            assertTrue(help.contains("\n  " + command + " "), "admin help lacks " + command + ":\n" + help);
        }
        assertTrue(help.contains("--alias NAME") && help.contains("--json"), help);
        assertTrue(AdminCli.help(java.util.List.of("policy")).contains("policy attach"), "admin help policy");
    }

    @Test
    void aliasesAreSavedOwnerOnlyAndUsedByName() throws Exception {
        Path data = dir.resolve("data");
        Path config = dir.resolve("config");
        Main.Start start = Main.start(new String[] {"all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data.toString()},
                Map.of(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), System.err);
        try (MictlanXServer server = start.server()) {
            URI ep = server.endpoint();
            var root = server.rootCredentials();
            AdminLifecycleTest.Run set = AdminLifecycleTest.cli(Map.of(), "alias", "set", "local", ep.toString(), root.accessKeyId(), root.secretKey(),
                    "--config-dir", config.toString());
            assertEquals(0, set.code(), set.err());
            Path file = config.resolve("mictlanx").resolve("aliases.properties");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));

            AdminLifecycleTest.Run list = AdminLifecycleTest.cli(Map.of(), "alias", "list", "--config-dir", config.toString());
            assertTrue(list.out().startsWith("local") && list.out().contains(ep.toString()) && !list.out().contains(root.secretKey()), list.out());

            AdminLifecycleTest.Run added = AdminLifecycleTest.cli(Map.of(), "--alias", "local", "--config-dir", config.toString(), "user", "add", "bob");
            assertEquals(0, added.code(), added.err());
            AdminLifecycleTest.Run users = AdminLifecycleTest.cli(Map.of(), "--alias=local", "--config-dir", config.toString(), "--json", "user", "list");
            assertEquals(0, users.code(), users.err());
            assertEquals("bob", JSON.readTree(users.out()).path("users").path(0).path("name").asText(), users.out());
            AdminLifecycleTest.Run newKey = AdminLifecycleTest.cli(Map.of(), "--alias", "local", "--config-dir", config.toString(), "--json", "key", "add", "bob");
            assertTrue(JSON.readTree(newKey.out()).path("secretKey").asText().length() >= 20, newKey.out());

            // the policy commands go through an alias and answer JSON too
            AdminLifecycleTest.Run attach = AdminLifecycleTest.cli(Map.of(), "--alias", "local", "--config-dir", config.toString(), "--json",
                    "policy", "attach", "bob", "readonly");
            assertEquals(0, attach.code(), attach.err());
            assertEquals("readonly", JSON.readTree(attach.out()).path("attached").path(0).asText(), attach.out());
            AdminLifecycleTest.Run policies = AdminLifecycleTest.cli(Map.of(), "--alias", "local", "--config-dir", config.toString(), "--json",
                    "policy", "list");
            assertEquals(0, policies.code(), policies.err());
            assertTrue(JSON.readTree(policies.out()).path("policies").size() >= 4, policies.out());
            AdminLifecycleTest.Run attached = AdminLifecycleTest.cli(Map.of(), "--alias", "local", "--config-dir", config.toString(), "--json",
                    "policy", "user", "bob");
            assertEquals("readonly", JSON.readTree(attached.out()).path("attached").path(0).asText(), attached.out());
            assertEquals(2, AdminLifecycleTest.cli(Map.of(), "--alias", "local", "--config-dir", config.toString(), "--json",
                    "policy", "attach", "bob").code(), "wrong usage");

            AdminLifecycleTest.Run missing = AdminLifecycleTest.cli(Map.of(), "--alias", "prod", "--config-dir", config.toString(), "info");
            assertEquals(2, missing.code());
            assertTrue(missing.err().startsWith("mictlanx admin: no alias 'prod'"), missing.err());
            assertEquals(0, AdminLifecycleTest.cli(Map.of(), "alias", "remove", "local", "--config-dir", config.toString()).code());
            assertFalse(Files.readString(file).contains(root.secretKey()));
            assertEquals(2, AdminLifecycleTest.cli(Map.of(), "alias", "set", "x", "--config-dir", config.toString()).code());
        }
    }
}
