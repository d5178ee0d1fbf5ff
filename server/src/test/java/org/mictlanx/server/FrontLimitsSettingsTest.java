package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mictlanx.router.io.BufferBudget;

/** The front door's limits as settings: defaults, flags, environment, refusals. */
class FrontLimitsSettingsTest {

    @Test
    void defaults() {
        Settings s = Settings.parse(new String[0], Map.of());
        assertEquals(new HttpFront.Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(30)), FrontDoorWiring.timeouts(s));
        BufferBudget budget = FrontDoorWiring.budget(s);
        assertEquals(Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4), budget.capacity());
        assertEquals(Duration.ofSeconds(2), budget.maxWait());
    }

    @Test
    void flagsAndEnvironment() {
        Settings s = Settings.parse(new String[] {"--header-timeout-seconds", "5", "--buffer-budget", "256MiB"},
                Map.of("MICTLANX_IDLE_TIMEOUT_SECONDS", "45", "MICTLANX_BUFFER_WAIT_MS", "0"));
        assertEquals(new HttpFront.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(45)), FrontDoorWiring.timeouts(s));
        BufferBudget budget = FrontDoorWiring.budget(s);
        assertEquals(256L << 20, budget.capacity());
        assertEquals(Duration.ZERO, budget.maxWait());
    }

    @Test
    void nonsenseIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> FrontDoorWiring.timeouts(
                Settings.parse(new String[] {"--header-timeout-seconds", "0"}, Map.of())));
        assertThrows(IllegalArgumentException.class, () -> FrontDoorWiring.timeouts(
                Settings.parse(new String[] {"--idle-timeout-seconds", "-3"}, Map.of())));
        assertThrows(IllegalArgumentException.class, () -> FrontDoorWiring.budget(
                Settings.parse(new String[] {"--buffer-budget", "0"}, Map.of())));
        assertThrows(IllegalArgumentException.class, () -> FrontDoorWiring.budget(
                Settings.parse(new String[] {"--buffer-wait-ms", "-1"}, Map.of())));
        assertThrows(IllegalArgumentException.class, () -> FrontDoorWiring.budget(
                Settings.parse(new String[] {"--buffer-budget", "lots"}, Map.of())));
    }
}
