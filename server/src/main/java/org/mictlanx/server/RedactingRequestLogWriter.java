package org.mictlanx.server;

import java.io.IOException;
import java.util.regex.Pattern;

import org.eclipse.jetty.server.Slf4jRequestLogWriter;

/**
 * The access log writer: the SLF4J logger {@code mictlanx.access}, with the bearer parts of a
 * presigned URL ({@code X-Amz-Signature}, {@code X-Amz-Security-Token}, any case) replaced by
 * {@code REDACTED}, since anyone reading the log could otherwise replay the URL until it expires.
 */
final class RedactingRequestLogWriter extends Slf4jRequestLogWriter {

    private static final Pattern BEARER_QUERY = Pattern.compile("(?i)((?:^|[?&])X-Amz-(?:Signature|Security-Token)=)[^&\\s\"]*");

    RedactingRequestLogWriter() {
        setLoggerName("mictlanx.access");
    }

    static String redact(String line) {
        return BEARER_QUERY.matcher(line).replaceAll("$1REDACTED");
    }

    @Override
    public void write(String requestEntry) throws IOException {
        super.write(redact(requestEntry));
    }
}
