package org.mictlanx.peer.http;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Mutual TLS between routers and peers: one node's certificate chain and private key (PEM) and the
 * cluster CA (PEM) that every node's certificate is signed by ({@code deploy/gen-secrets.sh} makes
 * them). A peer serves with its certificate and requires a client certificate signed by the CA; a
 * router presents its certificate and accepts only peers whose certificate is signed by the CA and
 * names the host of the peer's {@code https://} URL (endpoint identification). The private key must be
 * unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey} and
 * {@code openssl req -newkey} write), RSA or EC. Built on the JDK's JSSE through Jetty's
 * {@link SslContextFactory}; TLS 1.2 or 1.3 only.
 *
 * @param cert PEM certificate chain of this node (leaf first)
 * @param key  PEM PKCS#8 private key of the leaf
 * @param ca   PEM certificate(s) of the cluster CA
 */
public record PeerTls(Path cert, Path key, Path ca) {
    /** Password of the in-memory key stores only; never written anywhere. */
    private static final char[] STORE_PASSWORD = "in-memory".toCharArray();
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    public PeerTls {
        if (cert == null || key == null || ca == null) throw new IllegalArgumentException("peer TLS needs a certificate, its key and the cluster CA");
    }

    /** Jetty's server side: this node's certificate, client certificates required and checked against the CA. */
    public SslContextFactory.Server serverFactory() {
        SslContextFactory.Server f = new SslContextFactory.Server();
        configure(f);
        f.setNeedClientAuth(true);
        return f;
    }

    /** Jetty's client side: this node's certificate as the client certificate, peers checked against the CA and their host name. */
    public SslContextFactory.Client clientFactory() {
        SslContextFactory.Client f = new SslContextFactory.Client();
        configure(f);
        f.setEndpointIdentificationAlgorithm("HTTPS");
        return f;
    }

    private void configure(SslContextFactory f) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            List<Certificate> chain = certificates(cert);
            keys.setKeyEntry("node", privateKey(key), STORE_PASSWORD, chain.toArray(Certificate[]::new));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<Certificate> cas = certificates(ca);
            for (int i = 0; i < cas.size(); i++) trust.setCertificateEntry("ca-" + i, cas.get(i));
            f.setKeyStore(keys);
            f.setKeyStorePassword(new String(STORE_PASSWORD));
            f.setKeyManagerPassword(new String(STORE_PASSWORD));
            f.setTrustStore(trust);
            f.setIncludeProtocols(PROTOCOLS);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load peer TLS material (" + cert + ", " + key + ", " + ca + "): " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        List<Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            out.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (out.isEmpty()) throw new GeneralSecurityException("no certificate in " + file);
        return out;
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----", end = "-----END PRIVATE KEY-----";
        int b = pem.indexOf(begin), e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new GeneralSecurityException("no unencrypted PKCS#8 private key (BEGIN PRIVATE KEY) in " + file
                    + "; convert with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException ex) {
                last = ex;
            }
        }
        throw new GeneralSecurityException("unsupported private key in " + file, last);
    }
}
