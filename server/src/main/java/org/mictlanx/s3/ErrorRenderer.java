package org.mictlanx.s3;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.mictlanx.s3.xml.ErrorResponse;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.s3.xml.XmlChars;

/**
 * The one renderer of S3 errors, for the servlet's answers and for the errors Jetty raises before
 * the servlet runs alike: status, the error's own headers, and the XML body (Code, Message,
 * Resource, RequestId) with {@code Content-Type: application/xml}, except for HEAD requests and 304,
 * which have no body. Stateless and thread-safe.
 */
public final class ErrorRenderer {

    /**
     * An error answer, independent of the HTTP API that writes it.
     *
     * @param status  the HTTP status of the error's code
     * @param headers the error's own headers and, when there is a body, {@code Content-Type}
     * @param body    the XML body; empty for HEAD and 304
     */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public Answer {
            headers = Map.copyOf(headers);
        }
    }

    private final S3Xml xml;

    public ErrorRenderer(S3Xml xml) {
        this.xml = xml;
    }

    /** The answer to {@code error}; {@code resource} (the decoded request path) is omitted when null. */
    public Answer answer(S3Exception error, boolean head, String resource, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>(error.headers());
        if (head || error.code() == S3ErrorCode.NOT_MODIFIED) {
            return new Answer(error.code().status(), headers, new byte[0]);
        }
        headers.put("Content-Type", "application/xml");
        return new Answer(error.code().status(), headers, body(error, resource, requestId));
    }

    /** Renders {@code error} unless the response is already committed (then the caller aborts). */
    public void render(S3Exception error, boolean head, String resource, String requestId,
                       HttpServletResponse response) throws IOException {
        Answer answer = answer(error, head, resource, requestId);
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        response.setContentLength(answer.body().length);
        if (answer.body().length > 0) {
            response.getOutputStream().write(answer.body());
        }
    }

    /**
     * The XML body of {@code error}: Code, Message, the error's extra elements (Region,
     * HeadersNotSigned), Resource (omitted when null) and RequestId.
     */
    public byte[] body(S3Exception error, String resource, String requestId) {
        S3Exception.Elements extra = error.elements();
        return xml.write(new ErrorResponse(error.code().code(), XmlChars.sanitize(error.getMessage()),
                XmlChars.sanitize(extra.region()), XmlChars.sanitize(extra.headersNotSigned()),
                resource == null ? null : XmlChars.sanitize(resource), requestId));
    }
}
