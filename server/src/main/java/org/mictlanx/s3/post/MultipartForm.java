package org.mictlanx.s3.post;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;

/**
 * A streaming {@code multipart/form-data} reader (RFC 7578): parts one after another, each part's
 * body an {@link InputStream} that ends at the next delimiter. Holds one fixed buffer; no part is
 * ever buffered whole, so a file part of any size streams through. A body that does not follow the
 * framing is MalformedPOSTRequest, as S3 answers.
 */
final class MultipartForm {

    /** One part's headers. */
    record Part(String name, String filename, String contentType) {
    }

    private static final int BUFFER = 64 * 1024;
    private static final int MAX_PART_HEADERS = 8 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean partOpen;
    private boolean finished;
    private boolean started;

    MultipartForm(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[BUFFER + delimiter.length];
        // The first delimiter has no CRLF before it: pretend it had one so every delimiter looks alike.
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    /** The boundary parameter of a {@code multipart/form-data} Content-Type, or null when it is not one. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] pieces = contentType.split(";");
        if (!pieces[0].strip().equalsIgnoreCase("multipart/form-data")) {
            return null;
        }
        for (int i = 1; i < pieces.length; i++) {
            String p = pieces[i].strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9).strip();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() || b.length() > 70 ? null : b;
            }
        }
        return null;
    }

    /** The next part's headers, or null after the closing delimiter. The previous part's rest is skipped. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (partOpen) {
            InputStream rest = body();
            while (rest.skip(BUFFER) > 0 || rest.read() >= 0) {
                // skip the unread rest of the previous part
            }
        } else if (!started) {
            // Before the first part: skip any preamble up to the first delimiter.
            if (skipToDelimiter()) {
                throw malformed();
            }
        }
        started = true;
        // After a delimiter: "--" closes the form, CRLF opens a part.
        fill(2);
        if (limit - pos < 2) {
            throw malformed();
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        while (limit - pos >= 1 && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
            fill(2);
        }
        if (limit - pos < 2 || buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw malformed();
        }
        pos += 2;
        String name = null;
        String filename = null;
        String contentType = null;
        int total = 0;
        while (true) {
            String line = line();
            total += line.length() + 2;
            if (total > MAX_PART_HEADERS) {
                throw malformed();
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed();
            }
            String header = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (header.equals("content-disposition")) {
                name = parameter(value, "name");
                filename = parameter(value, "filename");
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        if (name == null) {
            throw malformed();
        }
        partOpen = true;
        return new Part(name, filename, contentType);
    }

    /** The current part's body: ends (returns -1) at the next delimiter. */
    InputStream body() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (!partOpen) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                fill(delimiter.length);
                int found = indexOf(delimiter, pos, limit);
                int available;
                if (found >= 0) {
                    available = found - pos;
                    if (available == 0) {
                        pos += delimiter.length;
                        partOpen = false;
                        return -1;
                    }
                } else {
                    if (eof && limit - pos < delimiter.length) {
                        throw malformed();
                    }
                    // Keep what could be the start of a delimiter split across reads.
                    available = Math.max(0, limit - pos - (delimiter.length - 1));
                    if (available == 0) {
                        if (eof) {
                            throw malformed();
                        }
                        fill(limit - pos + 1);
                        return read(b, off, len);
                    }
                }
                int n = Math.min(len, available);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** Skips to just after the first delimiter; returns whether the stream ended first. */
    private boolean skipToDelimiter() throws IOException {
        while (true) {
            fill(delimiter.length);
            int found = indexOf(delimiter, pos, limit);
            if (found >= 0) {
                pos = found + delimiter.length;
                return false;
            }
            if (eof) {
                return true;
            }
            pos = Math.max(pos, limit - (delimiter.length - 1));
            fill(limit - pos + 1);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            fill(2);
            if (limit - pos < 2) {
                throw malformed();
            }
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return sb.toString();
            }
            sb.append((char) (buf[pos++] & 0xff));
            if (sb.length() > MAX_PART_HEADERS) {
                throw malformed();
            }
        }
    }

    /** Reads until at least {@code want} bytes are buffered from {@code pos}, or the stream ends. */
    private void fill(int want) throws IOException {
        if (limit - pos >= want || eof) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit < want && !eof) {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
    }

    private int indexOf(byte[] needle, int from, int to) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A quoted or bare parameter of a Content-Disposition value, or null. */
    static String parameter(String value, String name) {
        for (String piece : value.split(";")) {
            String p = piece.strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
                }
                return new String(v.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST);
    }
}
