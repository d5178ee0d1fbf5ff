import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The image's HEALTHCHECK: {@code java -cp /app/healthcheck HealthCheck [URL]}. Exits 0 when the URL
 * answers HTTP 200 within 3 seconds, 1 otherwise (Docker's healthy/unhealthy codes).
 *
 * <p>Written in Java so the check depends on nothing but the JRE the image already has (temurin JRE
 * images do not promise curl or wget). Without a URL it checks {@code /health} on loopback at
 * {@code MICTLANX_PORT} (9000), over HTTPS when {@code MICTLANX_TLS_CERT} or
 * {@code MICTLANX_TLS_SELF_SIGNED} is set. Over HTTPS the certificate is not verified: the check only
 * ever talks to its own container over loopback, where there is nobody to impersonate.
 */
public final class HealthCheck {

    private HealthCheck() {
    }

    public static void main(String[] args) {
        URI uri = URI.create(args.length > 0 ? args[0] : defaultUrl(System.getenv()));
        try {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
            if ("https".equals(uri.getScheme())) {
                System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
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

    /** Accepts any certificate: loopback only, see the class comment. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
