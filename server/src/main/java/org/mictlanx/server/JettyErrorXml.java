package org.mictlanx.server;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.mictlanx.s3.ErrorRenderer;
import org.mictlanx.s3.RequestIds;
import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.cors.CorsResponder;
import org.mictlanx.s3.cors.CorsRules;
import org.mictlanx.s3.xml.S3Xml;

/**
 * Answers the errors Jetty raises itself, before any MictlanX code runs (a bad request or header
 * line, a missing Host on HTTP/1.1, a bad Content-Length, an unsupported HTTP version, an
 * unparseable or too long URI, oversized headers, an unknown {@code Expect}), with the S3 error of
 * the one table ({@link S3ErrorCode}: its code and status, not Jetty's) rendered by the one renderer
 * ({@link ErrorRenderer#answer}: the same status, headers and body the servlet's errors get), with an
 * {@code x-amz-request-id} and {@code x-amz-id-2}. HEAD answers carry no body. A request
 * with an {@code Origin} the store-wide default CORS rules allow gets their {@code Access-Control-*}
 * headers (the bucket is not known at this point), so a browser can read the error; a failure while
 * parsing the request head has no header fields here, hence no Origin and no CORS headers.
 */
final class JettyErrorXml extends ErrorHandler {

    private final RequestIds ids = new RequestIds();
    private final ErrorRenderer renderer = new ErrorRenderer(new S3Xml());
    private final Optional<CorsRules> cors;

    /** @param cors the store-wide default CORS rules (setting {@code cors-allowed-origins}), if any */
    JettyErrorXml(Optional<CorsRules> cors) {
        this.cors = cors;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() <= 0 ? 400 : response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        StringBuilder reason = new StringBuilder(message == null ? "" : message.toString());
        Object failure = request.getAttribute(ERROR_EXCEPTION);
        for (Throwable t = failure instanceof Throwable th ? th : null; t != null; t = t.getCause() == t ? null : t.getCause()) {
            reason.append("; ").append(t.getMessage());
        }
        S3Exception error = classify(status, reason.toString());
        String requestId = ids.requestId();
        String method = request.getMethod() == null ? "GET" : request.getMethod();
        ErrorRenderer.Answer answer = renderer.answer(error, HttpMethod.HEAD.is(method), null, requestId);
        response.setStatus(answer.status());
        response.getHeaders().put("x-amz-request-id", requestId);
        response.getHeaders().put("x-amz-id-2", ids.hostId());
        answer.headers().forEach(response.getHeaders()::put);
        for (Map.Entry<String, String> h : CorsResponder.actualUnder(cors, request.getHeaders().get(HttpHeader.ORIGIN), method)) {
            response.getHeaders().put(h.getKey(), h.getValue());
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
        response.write(true, answer.body().length == 0 ? null : ByteBuffer.wrap(answer.body()), callback);
        return true;
    }

    /**
     * The S3 error for a failure Jetty answers with {@code status}; {@code reason} is Jetty's
     * message and those of its exception's causes (e.g. "No Host", "Invalid Content-Length Value",
     * "Bad Request; Illegal character in path"), used to tell 400s apart.
     */
    static S3Exception classify(int status, String reason) {
        String why = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        return switch (status) {
            case 400 -> {
                if (why.contains("host")) {
                    yield new S3Exception(S3ErrorCode.INVALID_REQUEST, "Missing or invalid Host header.");
                }
                if (why.contains("content-length") || why.contains("content length")) {
                    yield new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Content-Length header.");
                }
                if (why.contains("transfer-encoding") || why.contains("transfer encoding") || why.contains("chunk")) {
                    yield new S3Exception(S3ErrorCode.INVALID_REQUEST, "Invalid Transfer-Encoding or chunked body.");
                }
                if (why.contains("version")) {
                    yield new S3Exception(S3ErrorCode.HTTP_VERSION_NOT_SUPPORTED);
                }
                if (why.contains("uri") || why.contains("path") || why.contains("ambiguous")) {
                    yield new S3Exception(S3ErrorCode.INVALID_URI);
                }
                yield new S3Exception(S3ErrorCode.INVALID_REQUEST, "The request could not be parsed"
                        + (reason == null || reason.isBlank() ? "." : ": " + reason.split("; ", 2)[0]));
            }
            case 408 -> new S3Exception(S3ErrorCode.REQUEST_TIMEOUT);
            case 413 -> new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE);
            case 414, 431 -> new S3Exception(S3ErrorCode.REQUEST_HEADER_SECTION_TOO_LARGE);
            case 417 -> new S3Exception(S3ErrorCode.EXPECTATION_FAILED);
            case 505 -> new S3Exception(S3ErrorCode.HTTP_VERSION_NOT_SUPPORTED);
            case 503 -> new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE);
            default -> status >= 500 ? new S3Exception(S3ErrorCode.INTERNAL_ERROR)
                    : new S3Exception(S3ErrorCode.INVALID_REQUEST, "The request could not be parsed"
                    + (reason == null || reason.isBlank() ? "." : ": " + reason.split("; ", 2)[0]));
        };
    }
}
