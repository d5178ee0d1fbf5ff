package org.mictlanx.s3.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A webhook: each event is POSTed as {@code application/json} to the operator's URL (http or https);
 * any 2xx answer accepts it, anything else (or no answer within the timeout) is a failure retried
 * later by the {@link EventSender}.
 */
public final class WebhookTarget implements EventTarget {

    private final String arn;
    private final URI url;
    private final Duration timeout;
    private final HttpClient http;

    public WebhookTarget(String arn, URI url, Duration timeout) {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("webhook URL must be http or https: " + url);
        }
        if (url.getHost() == null) throw new IllegalArgumentException("webhook URL has no host: " + url);
        this.arn = arn;
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String arn() {
        return arn;
    }

    /** The URL events are posted to. */
    public URI url() {
        return url;
    }

    @Override
    public void deliver(byte[] eventJson) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(eventJson)).build();
        try {
            HttpResponse<Void> res = http.send(req, HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() / 100 != 2) {
                throw new IOException("webhook " + arn + " answered " + res.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
