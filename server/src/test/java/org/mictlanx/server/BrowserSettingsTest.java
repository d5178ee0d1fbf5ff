package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mictlanx.router.fake.TestCluster;

/** The browser-access settings: {@code sigv2} (default on) and the website endpoint (off unless a port is set). */
class BrowserSettingsTest {

    private static Settings settings(String... args) {
        return Settings.parse(args, Map.of());
    }

    @Test
    void sigV2IsOnByDefaultAndCanBeTurnedOff() {
        assertTrue(FrontDoorWiring.sigV2(settings()));
        assertFalse(FrontDoorWiring.sigV2(settings("--sigv2", "false")));
        assertTrue(FrontDoorWiring.sigV2(settings("--sigv2", "TRUE")));
        assertThrows(IllegalArgumentException.class, () -> FrontDoorWiring.sigV2(settings("--sigv2", "maybe")));
    }

    @Test
    void theWebsiteEndpointExistsOnlyWithAPort() throws Exception {
        try (TestCluster cluster = new TestCluster(3); var router = cluster.router()) {
            assertNull(FrontDoorWiring.websiteFront(router, settings(), null, new org.mictlanx.xolo.policy.PolicyStore(router.metaTable())));
            try (HttpFront website = FrontDoorWiring.websiteFront(router,
                    settings("--website-port", "0", "--host", "127.0.0.1"), null,
                    new org.mictlanx.xolo.policy.PolicyStore(router.metaTable()))) {
                assertTrue(website.endpoint().getPort() > 0);
            }
        }
    }
}
