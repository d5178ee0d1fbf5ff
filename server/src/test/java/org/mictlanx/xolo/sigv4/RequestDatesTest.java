package org.mictlanx.xolo.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The x-amz-date parser answers exactly as the ISO basic formatter it replaces on the common path. */
class RequestDatesTest {

    private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

    private static Instant byFormatter(String v) {
        if (v == null || v.length() != 16) return null;
        try {
            return LocalDateTime.parse(v, AMZ).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"20130524T000000Z", "20241231T235959Z", "20240229T120000Z", "20230229T120000Z",
        "20240230T000000Z", "20240431T000000Z", "20241301T000000Z", "20240001T000000Z", "20240100T000000Z",
        "20240101T240000Z", "20240101T236000Z", "20240101T235960Z", "2024010IT000000Z", "20240101 000000Z",
        "20240101T000000z", "20240101T00000OZ", "+2024101T000000Z", "00000101T000000Z", "99991231T235959Z",
        "2024-01-01T00:0Z", "20240101T0000000"})
    void agreesWithTheFormatter(String v) {
        assertEquals(byFormatter(v), RequestDates.parseAmzDate(v), v);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "20130524T000000", "20130524T000000ZZ"})
    void refusesWrongLengths(String v) {
        assertNull(RequestDates.parseAmzDate(v));
    }
}
