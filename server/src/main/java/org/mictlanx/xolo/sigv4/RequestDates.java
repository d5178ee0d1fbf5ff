package org.mictlanx.xolo.sigv4;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses the request time: x-amz-date (ISO 8601 basic) or the HTTP Date header (RFC 1123). */
public final class RequestDates {

    private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

    private RequestDates() {
    }

    /** The instant of {@code 20130524T000000Z}, or null when it is not exactly that format. */
    public static Instant parseAmzDate(String value) {
        if (value == null || value.length() != 16) {
            return null;
        }
        try {
            return LocalDateTime.parse(value, AMZ).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The instant of an RFC 1123 date, or null. */
    public static Instant parseHttpDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
