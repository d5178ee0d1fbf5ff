package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.Router;
import org.mictlanx.router.fake.TestCluster;

/** The router's {@code /health/ready} is HTTP 503 (not 200 with ready:false) while no quorum of peers is up. */
class RouterReadinessTest {

    private TestCluster cluster;
    private Server server;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) server.stop();
        if (cluster != null) cluster.close();
    }

    @Test
    void readyIs503WithoutAQuorumOfPeers() throws Exception {
        cluster = new TestCluster(3);
        Router router = cluster.router();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        Handler none = new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                return false;
            }
        };
        server.setHandler(new Observability(none, Observability.newRegistry(), () -> MictlanXServer.health(router)));
        server.start();
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        try (HttpClient http = HttpClient.newHttpClient()) {
            assertEquals(200, get(http, base.resolve("/health/ready")).statusCode());
            cluster.peers.get(0).down(true);
            router.probeNow();
            assertEquals(200, get(http, base.resolve("/health/ready")).statusCode(), "two of three: a quorum");
            cluster.peers.get(1).down(true);
            router.probeNow();
            HttpResponse<String> r = get(http, base.resolve("/health/ready"));
            assertEquals(503, r.statusCode());
            assertTrue(r.body().contains("\"ready\":false") && r.body().contains("\"peersUp\":1"), r.body());
            assertEquals(503, get(http, base.resolve("/health")).statusCode());
            assertEquals(200, get(http, base.resolve("/health/live")).statusCode(), "the process still serves");
            cluster.peers.get(1).down(false);
            router.probeNow();
            assertEquals(200, get(http, base.resolve("/health/ready")).statusCode());
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
