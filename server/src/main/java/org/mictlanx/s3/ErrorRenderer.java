package org.mictlanx.s3;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.mictlanx.s3.xml.ErrorResponse;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.s3.xml.XmlChars;

/**
 * The one renderer of S3 errors: status, the error's own headers, and the XML body
 * (Code, Message, Resource, RequestId) except for HEAD requests and 304, which have no body.
 */
public final class ErrorRenderer {

    private final S3Xml xml;

    public ErrorRenderer(S3Xml xml) {
        this.xml = xml;
    }

    /** Renders {@code error} unless the response is already committed (then the caller aborts). */
    public void render(S3Exception error, boolean head, String resource, String requestId,
                       HttpServletResponse response) throws IOException {
        response.setStatus(error.code().status());
        error.headers().forEach(response::setHeader);
        if (head || error.code() == S3ErrorCode.NOT_MODIFIED) {
            response.setContentLength(0);
            return;
        }
        byte[] body = body(error, resource, requestId);
        response.setContentType("application/xml");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * The XML body of {@code error}: Code, Message, the error's extra elements (Region,
     * HeadersNotSigned), Resource (omitted when null) and RequestId. Also used for the errors Jetty
     * raises before the servlet runs, so there is one error body format.
     */
    public byte[] body(S3Exception error, String resource, String requestId) {
        S3Exception.Elements extra = error.elements();
        return xml.write(new ErrorResponse(error.code().code(), XmlChars.sanitize(error.getMessage()),
                XmlChars.sanitize(extra.region()), XmlChars.sanitize(extra.headersNotSigned()),
                resource == null ? null : XmlChars.sanitize(resource), requestId));
    }
}
