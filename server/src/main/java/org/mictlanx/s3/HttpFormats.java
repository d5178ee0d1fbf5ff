package org.mictlanx.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** Date and ETag formats exactly as S3 writes them. */
public final class HttpFormats {

    private static final DateTimeFormatter RFC1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC850 =
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private HttpFormats() {
    }

    /** {@code Wed, 12 Oct 2009 17:50:00 GMT}: Last-Modified and other HTTP date headers. */
    public static String httpDate(Instant t) {
        return RFC1123.format(t);
    }

    /** {@code 2009-10-12T17:50:30.000Z}: dates inside XML bodies. */
    public static String isoDate(Instant t) {
        return ISO.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Parses an HTTP date in any of the three RFC 9110 forms; empty when it is not one. */
    public static Optional<Instant> parseHttpDate(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        for (DateTimeFormatter f : new DateTimeFormatter[] {DateTimeFormatter.RFC_1123_DATE_TIME, RFC850, ASCTIME}) {
            try {
                return Optional.of(ZonedDateTime.parse(v, f).toInstant());
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    /** The quoted ETag header form of a hex MD5. */
    public static String quotedEtag(String etag) {
        return '"' + etag + '"';
    }
}
