package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.peer.testing.ChildPeer;

/**
 * The first hour of a new user, run through {@link Main#start} in-process: help per role, unknown flags
 * refused with the usage (exit 2), starts refused with one line and nothing written (port in use, data
 * directory not writable or in use, more replicas than peers), and {@code --peers} growing a data directory.
 */
class FirstHourTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err, MictlanXServer server) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Start s = Main.start(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(s.exitCode(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), s.server());
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void helpIsPerRoleAndExitsZero() {
        Run aio = run("all-in-one", "--help");
        assertEquals(0, aio.code());
        assertTrue(aio.out().startsWith("usage: bin/mictlanx all-in-one") && aio.out().contains("--peers N"), aio.out());
        Run server = run("server", "--port", "1", "--help");
        assertEquals(0, server.code());
        assertTrue(server.out().contains("--peer-urls") && server.out().contains("--cluster-secret"), server.out());
        assertEquals(0, run("--help").code());
        assertTrue(run("-h").out().contains("all-in-one|server|peer|admin"));
        Run none = run();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("usage:"));
    }

    @Test
    void unknownFlagsAndRolesAreRefusedWithTheUsage() {
        Run typo = run("all-in-one", "--replicaton", "3", "--data", dir.resolve("d").toString());
        assertEquals(2, typo.code());
        assertTrue(typo.err().startsWith("mictlanx all-in-one: unknown option --replicaton (did you mean --replication?)"), typo.err());
        assertTrue(typo.err().contains("usage: bin/mictlanx all-in-one"), typo.err());
        Run peer = run("server", "--peer", "3");
        assertEquals(2, peer.code());
        assertTrue(peer.err().contains("unknown option --peer"), peer.err());
        Run stray = run("all-in-one", "3");
        assertEquals(2, stray.code());
        assertTrue(stray.err().contains("unexpected argument '3'"), stray.err());
        Run role = run("allinone");
        assertEquals(2, role.code());
        assertTrue(role.err().contains("unknown role 'allinone'"), role.err());
        Run badValue = run("all-in-one", "--port=ninety", "--data", dir.resolve("d").toString());
        assertEquals(2, badValue.code());
        assertTrue(badValue.err().contains("--port must be a whole number, got 'ninety'"), badValue.err());
        assertFalse(Files.exists(dir.resolve("d")), "nothing written by a refused start");
    }

    @Test
    void aTakenPortIsOneLineAndNothingIsWritten() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Path data = dir.resolve("data");
            Run r = run("all-in-one", "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()), "--data", data.toString());
            assertEquals(1, r.code());
            assertNull(r.server());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use"), r.err());
            assertFalse(Files.exists(data), "no data directory, no credentials before the bind can succeed");

            Run website = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--website-port", String.valueOf(taken.getLocalPort()),
                    "--data", data.toString());
            assertEquals(1, website.code());
            assertNull(website.server());
            assertEquals(1, website.err().lines().count(), website.err());
            assertTrue(website.err().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use")
                    && website.err().contains("--website-port"), website.err());
            assertFalse(Files.exists(data), "the website port is checked before anything is written");
        }
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenIsOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Run r = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", file.resolve("data").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("data directory " + file.resolve("data") + " is not writable"), r.err());
    }

    @Test
    void aDataDirectoryInUseByAnotherProcessIsOneLineAndUntouched() throws Exception {
        Path data = dir.resolve("shared");
        // Another process: a storage peer in a child JVM holding the same directory.
        try (ChildPeer other = ChildPeer.start("p1", data, "s3cret", 60)) {
            Run r = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data.toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("is in use by another MictlanX process"), r.err());
            assertFalse(Files.exists(data.resolve("root-credentials.properties")));
            assertFalse(Files.exists(data.resolve("peers")));
        }
        // Released when that process ends: the directory is usable again.
        Run again = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", dir.resolve("own").toString());
        try (MictlanXServer s = again.server()) {
            assertEquals(0, again.code(), again.err());
            // and a second start on the same directory in this JVM is refused as well
            Run second = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", dir.resolve("own").toString());
            assertEquals(1, second.code());
            assertTrue(second.err().contains("in use"), second.err());
        }
    }

    @Test
    void moreReplicasThanPeersIsRefusedWithWhatToRun() {
        Path data = dir.resolve("r");
        Run r = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data.toString(), "--peers", "2", "--replication", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--replication 3 needs at least 3 peers and this cluster has 2: start with --peers 3"), r.err());
        assertFalse(Files.exists(data));
        Run quorum = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data.toString(), "--peers", "3", "--write-quorum", "4");
        assertEquals(2, quorum.code());
        assertTrue(quorum.err().contains("--write-quorum 4 must be 1..3"), quorum.err());
        Run server = run(Map.of("MICTLANX_CLUSTER_SECRET", "s", "MICTLANX_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]),
                        "MICTLANX_ACCESS_KEY", "AKIAEXAMPLEEXAMPLE12", "MICTLANX_SECRET_KEY", "secretsecretsecretsecretsecret1234567890"),
                "server", "--port", "0", "--peer-urls", "a=http://127.0.0.1:1,b=http://127.0.0.1:2", "--replication", "3");
        assertEquals(2, server.code());
        assertTrue(server.err().contains("list more peers in --peer-urls"), server.err());
    }

    @Test
    void morePeersOnAnExistingDataDirectoryAreAddedAndFewerAreRefused() {
        String data = dir.resolve("grow").toString();
        Run one = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data);
        try (MictlanXServer s = one.server()) {
            assertEquals(1, s.router().layout().peers().size());
        }
        Run three = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data, "--peers", "3");
        try (MictlanXServer s = three.server()) {
            assertEquals(0, three.code(), three.err());
            assertEquals(List.of("p1", "p2", "p3"), s.router().layout().peers().stream().map(p -> p.id()).sorted().toList());
            assertTrue(s.banner().contains("3 embedded peer(s) (added p2, p3"), s.banner());
        }
        Run fewer = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data, "--peers", "2");
        assertEquals(2, fewer.code());
        assertTrue(fewer.err().contains("holds 3 embedded peers (p1..p3): start with --peers 3"), fewer.err());
        Run same = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data);
        try (MictlanXServer s = same.server()) {
            assertEquals(3, s.router().layout().peers().size(), "without --peers: as many as the directory holds");
        }
    }

    @Test
    void afterAddingPeersTheMovedReplicasLeaveTheOldPeerWithoutWaitingForThePeriodicGc() throws Exception {
        String data = dir.resolve("move").toString();
        Run one = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data, "--replication", "1", "--inline-max", "0");
        int objects = 24;
        try (MictlanXServer s = one.server()) {
            var root = s.rootCredentials();
            var http = java.net.http.HttpClient.newHttpClient();
            assertEquals(200, MictlanXServerTest.s3(http, s.endpoint(), root.accessKeyId(), root.secretKey(), "PUT", "/moves", "").statusCode());
            for (int i = 0; i < objects; i++) {
                assertEquals(200, MictlanXServerTest.s3(http, s.endpoint(), root.accessKeyId(), root.secretKey(), "PUT", "/moves/o" + i,
                        "object " + i).statusCode());
            }
            assertEquals(objects, s.embeddedPeerStats().get(0).chunks());
        }
        Run two = run("all-in-one", "--host", "127.0.0.1", "--port", "0", "--data", data, "--replication", "1", "--inline-max", "0",
                "--peers", "2");
        try (MictlanXServer s = two.server()) {
            // each chunk ends on exactly one peer (replication 1): moved to p2 and gone from p1, long before the 30 min GC
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            List<org.mictlanx.peer.api.PeerStats> stats;
            do {
                stats = s.embeddedPeerStats();
                // GC counts a misplaced copy once its delete has returned: wait for the count as well as the copies
                if (stats.stream().mapToLong(org.mictlanx.peer.api.PeerStats::chunks).sum() == objects
                        && stats.stream().allMatch(p -> p.chunks() > 0)
                        && s.router().stats().maintenance().gcMisplacedDeleted() > 0) break;
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            } while (System.nanoTime() < deadline);
            assertEquals(objects, stats.stream().mapToLong(org.mictlanx.peer.api.PeerStats::chunks).sum(), stats.toString());
            assertTrue(stats.stream().allMatch(p -> p.chunks() > 0), stats.toString());
            assertTrue(s.router().stats().maintenance().gcMisplacedDeleted() > 0);
            var root = s.rootCredentials();
            var http = java.net.http.HttpClient.newHttpClient();
            for (int i = 0; i < objects; i++) {
                var r = MictlanXServerTest.s3(http, s.endpoint(), root.accessKeyId(), root.secretKey(), "GET", "/moves/o" + i, "");
                assertEquals(200, r.statusCode());
                assertEquals("object " + i, r.body());
            }
        }
    }
}
