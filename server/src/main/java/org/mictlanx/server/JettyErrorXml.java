package org.mictlanx.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Renders the errors Jetty raises itself, before any MictlanX code runs (an unparseable URI such
 * as one containing {@code %00}, oversized headers), in S3's XML error form instead of Jetty's
 * HTML page, with an {@code x-amz-request-id}. HEAD answers carry no body.
 */
final class JettyErrorXml extends ErrorHandler {

    private final org.mictlanx.s3.RequestIds ids = new org.mictlanx.s3.RequestIds();

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() <= 0 ? 400 : response.getStatus();
        String code = switch (status) {
            case 400 -> "InvalidURI";
            case 413 -> "EntityTooLarge";
            case 414, 431 -> "RequestHeaderSectionTooLarge";
            case 503 -> "ServiceUnavailable";
            default -> status >= 500 ? "InternalError" : "InvalidRequest";
        };
        String message = switch (code) {
            case "InvalidURI" -> "Couldn't parse the specified URI.";
            case "EntityTooLarge" -> "Your proposed upload exceeds the maximum allowed size.";
            case "RequestHeaderSectionTooLarge" -> "Your request header section exceeds the maximum allowed size.";
            case "ServiceUnavailable" -> "Please reduce your request rate.";
            case "InternalError" -> "We encountered an internal error. Please try again.";
            default -> "Invalid request.";
        };
        String requestId = ids.requestId();
        response.getHeaders().put("x-amz-request-id", requestId);
        response.getHeaders().put("x-amz-id-2", ids.hostId());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml");
        if (HttpMethod.HEAD.is(request.getMethod())) {
            response.write(true, null, callback);
            return true;
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>" + requestId + "</RequestId></Error>";
        response.write(true, ByteBuffer.wrap(xml.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
