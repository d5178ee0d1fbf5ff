package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code notify-intent-seconds}: the bound after which a pending notification intent is resolved. */
class NotifyIntentSettingTest {

    private static int intentSeconds(String... args) {
        return NotifyWiring.intentSeconds(Settings.parse(args, Map.of()));
    }

    @Test
    void defaultsToTenMinutesAndAcceptsSixtySecondsToADay() {
        assertEquals(600, intentSeconds());
        assertEquals(60, intentSeconds("--notify-intent-seconds", "60"));
        assertEquals(86_400, intentSeconds("--notify-intent-seconds=86400"));
        assertEquals(120, NotifyWiring.intentSeconds(Settings.parse(new String[0], Map.of("MICTLANX_NOTIFY_INTENT_SECONDS", "120"))));
    }

    @Test
    void aBoundShorterThanAWriteOrLongerThanADayIsRefusedAtStart() {
        for (String bad : new String[] {"59", "0", "-5", "86401"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> intentSeconds("--notify-intent-seconds", bad));
            assertTrue(e.getMessage().contains("--notify-intent-seconds"), e.getMessage());
        }
    }
}
