package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mictlanx.console.ConsoleSessions;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.testing.HttpPeerFixture;

/**
 * Two routers over the same three HTTP peers. Console sessions live in the replicated metadata: a
 * session opened by logging in through router a is served by router b (same CSRF token), a logout
 * through b ends it on a, and the metadata holds the id's digest only. {@code admin trace --routers}
 * merges both routers' streams: requests served by a and by b both appear, each naming its router.
 */
class TwoRoutersConsoleAndTraceTest {

    static final String AK = "AKIATWOROUTERSCONSOL";
    static final String SK = "two/routers/console/secret/0123456789ab";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> console(URI router, String method, String call, String cookie, String csrf, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(router.resolve("/console/api/" + call))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (cookie != null) b.header("Cookie", cookie);
        if (csrf != null) b.header("X-Mx-Csrf", csrf);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sessionsAndTraceSpanBothRouters() throws Exception {
        List<HttpPeerFixture> peers = new ArrayList<>();
        try {
            StringBuilder urls = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                HttpPeerFixture p = HttpPeerFixture.start(PeerConfig.builder("tp" + i).dataDir(dir.resolve("tp" + i)).build());
                peers.add(p);
                urls.append(i > 1 ? "," : "").append("tp").append(i).append('=').append(p.uri());
            }
            Map<String, String> env = Map.of("MICTLANX_CLUSTER_SECRET", HttpPeerFixture.SECRET,
                    "MICTLANX_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]),
                    "MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK, "MICTLANX_PEER_URLS", urls.toString());
            try (MictlanXServer a = MictlanXServer.server(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                    "--data", dir.resolve("ra").toString()}, env));
                 MictlanXServer b = MictlanXServer.server(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                         "--data", dir.resolve("rb").toString()}, env))) {
                sessions(a, b);
                trace(a, b, Map.of("MICTLANX_ACCESS_KEY", AK, "MICTLANX_SECRET_KEY", SK));
            }
        } finally {
            for (HttpPeerFixture p : peers) p.close();
        }
    }

    private void sessions(MictlanXServer a, MictlanXServer b) throws Exception {
        HttpResponse<String> login = console(a.endpoint(), "POST", "login", null, null,
                JSON.writeValueAsString(Map.of("accessKey", AK, "secret", SK)));
        assertEquals(200, login.statusCode(), login.body());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String id = cookie.substring(cookie.indexOf('=') + 1);
        String csrf = JSON.readTree(login.body()).path("csrfToken").asText();

        HttpResponse<String> there = console(b.endpoint(), "GET", "session", cookie, null, null);
        assertEquals(200, there.statusCode(), "router b serves the session router a opened: " + there.body());
        assertEquals(csrf, JSON.readTree(there.body()).path("csrfToken").asText());
        assertEquals(200, console(b.endpoint(), "PUT", "s3/made-through-b", cookie, csrf, null).statusCode(),
                "a state-changing call through b with a's CSRF token");
        assertEquals(200, console(a.endpoint(), "GET", "s3/made-through-b?list-type=2", cookie, null, null).statusCode());

        // The metadata holds the id's digest, never the id.
        var stored = a.router().metaTable().scan(ConsoleSessions.PARTITION, "", "", 100);
        assertEquals(1, stored.size());
        assertTrue(!stored.get(0).sortKey().contains(id) && !new String(stored.get(0).value()).contains(id));

        assertEquals(200, console(b.endpoint(), "POST", "logout", cookie, csrf, null).statusCode());
        assertEquals(401, console(a.endpoint(), "GET", "session", cookie, null, null).statusCode(), "logged out through b");
        assertEquals(401, console(a.endpoint(), "GET", "s3/", cookie, null, null).statusCode());
    }

    private void trace(MictlanXServer a, MictlanXServer b, Map<String, String> root) throws Exception {
        assertEquals(200, MictlanXServerTest.s3(http, a.endpoint(), AK, SK, "PUT", "/traced", "").statusCode());
        String la = a.endpoint().getHost() + ":" + a.endpoint().getPort();
        String lb = b.endpoint().getHost() + ":" + b.endpoint().getPort();
        CompletableFuture<AdminLifecycleTest.Run> run = CompletableFuture.supplyAsync(() -> AdminLifecycleTest.cli(root,
                "trace", "--json", "--bucket", "traced", "--count", "30", "--endpoint", a.endpoint().toString(),
                "--routers", b.endpoint().toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        AdminLifecycleTest.Run done = null;
        while (done == null && System.nanoTime() < deadline) {
            MictlanXServerTest.s3(http, a.endpoint(), AK, SK, "GET", "/traced/from-a", "");
            MictlanXServerTest.s3(http, b.endpoint(), AK, SK, "GET", "/traced/from-b", "");
            try {
                done = run.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // send more
            }
        }
        if (done == null) done = run.get(5, TimeUnit.SECONDS);
        assertEquals(0, done.code(), done.err());
        Set<String> seen = new HashSet<>();
        for (String line : done.out().lines().toList()) {
            JsonNode e = JSON.readTree(line);
            String router = e.path("router").asText();
            String key = e.path("key").asText();
            assertTrue(router.equals(la) && key.equals("from-a") || router.equals(lb) && key.equals("from-b"),
                    "each event names the router that served it: " + line);
            seen.add(router);
        }
        assertEquals(Set.of(la, lb), seen, done.out());
        assertTrue(done.err().contains("tracing " + la) && done.err().contains("tracing " + lb), done.err());
    }
}
