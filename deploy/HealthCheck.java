import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The image's HEALTHCHECK: {@code java -cp /app/healthcheck HealthCheck [URL]}. Exits 0 when the URL
 * answers HTTP 200 within 3 seconds, 1 otherwise (Docker's healthy/unhealthy codes).
 *
 * <p>Written in Java so the check depends on nothing but the JRE the image already has (temurin JRE
 * images do not promise curl or wget). Without a URL it checks {@code /health} on loopback at
 * {@code MICTLANX_PORT} (9000), over HTTPS when {@code MICTLANX_TLS_CERT} or
 * {@code MICTLANX_TLS_SELF_SIGNED} is set. Over HTTPS the server's certificate and name are not
 * verified, and only a loopback server is accepted: the check talks to its own container over
 * loopback, where there is nobody to impersonate (and a self-signed or operator certificate names
 * the public host, not 127.0.0.1). That is decided by the one trust manager below, an
 * {@link X509ExtendedTrustManager}, which the JDK makes responsible for endpoint identification; no
 * JDK-internal property is touched.
 */
public final class HealthCheck {

    private HealthCheck() {
    }

    public static void main(String[] args) {
        URI uri = URI.create(args.length > 0 ? args[0] : defaultUrl(System.getenv()));
        try {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
            if ("https".equals(uri.getScheme())) {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {new LoopbackOnly()}, new SecureRandom());
                b.sslContext(ssl);
            }
            HttpResponse<Void> r = b.build().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) {
                System.exit(0);
            }
            System.err.println("unhealthy: " + uri + " answered HTTP " + r.statusCode());
        } catch (Exception e) {
            System.err.println("unhealthy: " + uri + ": " + e);
        }
        System.exit(1);
    }

    static String defaultUrl(Map<String, String> env) {
        String port = env.getOrDefault("MICTLANX_PORT", "9000").strip();
        boolean tls = notBlank(env.get("MICTLANX_TLS_CERT")) || notBlank(env.get("MICTLANX_TLS_CERT_FILE"))
                || "true".equalsIgnoreCase(env.getOrDefault("MICTLANX_TLS_SELF_SIGNED", "").strip());
        return (tls ? "https" : "http") + "://127.0.0.1:" + port + "/health";
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /**
     * Trusts whatever certificate a loopback server presents, whatever name it carries, and refuses
     * every other server (see the class comment). Being an {@link X509ExtendedTrustManager}, it is
     * the whole server check: the JDK adds no host name check of its own.
     */
    private static final class LoopbackOnly extends X509ExtendedTrustManager {

        private static void requireLoopback(String host) throws CertificateException {
            try {
                if (host != null && InetAddress.getByName(host).isLoopbackAddress()) {
                    return;
                }
            } catch (UnknownHostException e) {
                // refused below
            }
            throw new CertificateException("health checks over HTTPS talk to loopback only, not " + host);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            requireLoopback(engine.getPeerHost());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            if (!socket.getInetAddress().isLoopbackAddress()) {
                throw new CertificateException("health checks over HTTPS talk to loopback only, not " + socket.getInetAddress());
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the server's address is unknown: refused");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a health check is a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a health check is a client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a health check is a client only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
