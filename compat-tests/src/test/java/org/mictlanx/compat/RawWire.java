package org.mictlanx.compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mictlanx.xolo.sigv4.SigV4Request;
import org.mictlanx.xolo.sigv4.SigV4Signer;

/**
 * Hand-written HTTP/1.1 requests on a socket, for what the SDKs never send: header bytes chosen one
 * by one (non-ASCII metadata as various clients encode it) and {@code Transfer-Encoding: chunked}
 * bodies without any length. Signed as the root user.
 */
final class RawWire {

    /** A response: status line code, header block and body text. */
    record Reply(int status, String head, String body) {
    }

    private RawWire() {
    }

    /**
     * Sends {@code method path?query} with {@code headers} signed (values as the signer should see
     * them), replacing each value on the wire by {@code wire}'s bytes where given, and {@code body}
     * chunk-framed ({@code chunked}) or with a Content-Length.
     */
    static Reply send(AllInOne store, String method, String path, String query, Map<String, String> headers,
                      Map<String, byte[]> wire, String payloadHash, byte[] body, boolean chunked) throws IOException {
        String host = store.endpoint().getHost() + ":" + store.port();
        Map<String, String> signedHeaders = new LinkedHashMap<>(headers);
        signedHeaders.put("host", host);
        SigV4Request signed = new SigV4Signer(AllInOne.ACCESS_KEY, AllInOne.SECRET_KEY, "us-east-1")
                .sign(method, path, query, signedHeaders, payloadHash, Instant.now()).request();
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes((method + " " + path + (query.isEmpty() ? "" : "?" + query) + " HTTP/1.1\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
            req.writeBytes((h.getKey() + ": ").getBytes(StandardCharsets.US_ASCII));
            byte[] value = wire.containsKey(h.getKey()) ? wire.get(h.getKey())
                    : h.getValue().get(0).getBytes(StandardCharsets.UTF_8);
            req.writeBytes(value);
            req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        req.writeBytes((chunked ? "transfer-encoding: chunked\r\n" : "content-length: " + body.length + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        req.writeBytes("connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (chunked) {
            int step = 100_000;
            for (int off = 0; off < body.length; off += step) {
                int n = Math.min(step, body.length - off);
                req.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                req.write(body, off, n);
                req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            req.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            req.writeBytes(body);
        }
        try (Socket s = new Socket(store.endpoint().getHost(), store.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toByteArray());
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            String head = end < 0 ? all : all.substring(0, end);
            String rest = end < 0 ? "" : all.substring(end + 4);
            return new Reply(Integer.parseInt(head.substring(9, 12)), head, rest);
        }
    }
}
