package org.mictlanx.compat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Signer;

/** Signed raw HTTP requests, for inputs the AWS SDK refuses to send. */
final class RawS3 {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RawS3() {
    }

    /** Sends {@code method rawPath?rawQuery} with an empty body, signed as the root user. */
    static HttpResponse<String> send(AllInOne store, String method, String rawPath, String rawQuery) throws Exception {
        URI ep = store.endpoint();
        String host = ep.getHost() + ":" + ep.getPort();
        SigV4Request signed = new SigV4Signer(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY, "us-east-1")
                .sign(method, rawPath, rawQuery, Map.of("host", host), SigV4Crypto.EMPTY_SHA256, Instant.now()).request();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ep + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery)))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
            if (!h.getKey().equals("host")) b.header(h.getKey(), h.getValue().get(0));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code method rawPath?rawQuery} with {@code body} and {@code headers} (lower-case names,
     * all signed), signed as the root user with the body's SHA-256; no Content-MD5 or checksum
     * header is added.
     */
    static HttpResponse<String> send(AllInOne store, String method, String rawPath, String rawQuery,
                                     Map<String, String> headers, byte[] body) throws Exception {
        URI ep = store.endpoint();
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put("host", ep.getHost() + ":" + ep.getPort());
        SigV4Request signed = new SigV4Signer(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY, "us-east-1")
                .sign(method, rawPath, rawQuery, all, SigV4Crypto.sha256Hex(body), Instant.now()).request();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ep + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery)))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
            if (!h.getKey().equals("host")) b.header(h.getKey(), h.getValue().get(0));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
