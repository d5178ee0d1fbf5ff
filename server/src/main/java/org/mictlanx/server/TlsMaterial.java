package org.mictlanx.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The S3 port's TLS key and certificate chain, as an in-memory key store for Jetty: either loaded
 * from PEM files the operator gives, or a self-signed certificate for development, generated once
 * and kept in the data directory ({@code tls/self-signed.p12}, owner-only).
 */
public final class TlsMaterial {

    /** Password of the in-memory key store; never leaves the process. */
    public static final char[] STORE_PASSWORD = "mictlanx".toCharArray();
    private static final String ALIAS = "mictlanx";

    private TlsMaterial() {
    }

    /** Loads a PEM certificate chain and its PEM private key (PKCS#8, or PKCS#1 RSA/EC). */
    public static KeyStore fromPem(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(certFile); PEMParser p = new PEMParser(r)) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) chain.add(converter.getCertificate(h));
            }
        }
        if (chain.isEmpty()) throw new GeneralSecurityException("no certificate in " + certFile);
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(keyFile); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter kc = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) key = kc.getKeyPair(kp).getPrivate();
            else if (o instanceof PrivateKeyInfo pki) key = kc.getPrivateKey(pki);
            else throw new GeneralSecurityException("no private key in " + keyFile);
        }
        return store(key, chain.toArray(Certificate[]::new));
    }

    /**
     * Returns the development certificate under {@code dir}, generating it (RSA 2048, valid one
     * year, SAN localhost/127.0.0.1 plus {@code hostNames}) when absent.
     */
    public static KeyStore selfSigned(Path dir, List<String> hostNames) throws IOException, GeneralSecurityException {
        Path file = dir.resolve("self-signed.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, STORE_PASSWORD);
            }
            return ks;
        }
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=MictlanX development");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(365))), subject, pair.getPublic());
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        for (String h : hostNames) names.add(new GeneralName(GeneralName.dNSName, h));
        try {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
            ks = store(pair.getPrivate(), new Certificate[] {cert});
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException(e);
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "self-signed", ".tmp");
        DataDirs.ownerOnly(tmp);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, STORE_PASSWORD);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        // The certificate alone, for clients to trust (aws --ca-bundle, mictlanx admin --ca-cert).
        Files.writeString(dir.resolve("self-signed.pem"), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(ks.getCertificate(ALIAS).getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return ks;
    }

    private static KeyStore store(PrivateKey key, Certificate[] chain) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, key, STORE_PASSWORD, chain);
        return ks;
    }
}
