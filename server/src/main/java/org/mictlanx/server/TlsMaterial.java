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
 * and kept in the data directory ({@code tls/self-signed.p12}, owner-only). The PKCS#12 file is
 * protected by a random password drawn when it is created and kept owner-only beside it
 * ({@code tls/self-signed.p12.password}); a file from older versions, under the former fixed
 * password, is re-protected under a fresh random one on first load.
 */
public final class TlsMaterial {

    /** Password of the in-memory key store handed to Jetty: random per process, never written anywhere. */
    public static final char[] STORE_PASSWORD = randomPassword();
    /** The name of the password file kept beside {@code self-signed.p12}. */
    public static final String PASSWORD_FILE = "self-signed.p12.password";
    private static final char[] LEGACY_PASSWORD = "mictlanx".toCharArray();
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
        Path passwordFile = dir.resolve(PASSWORD_FILE);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        if (Files.exists(file)) {
            char[] password = Files.exists(passwordFile) ? Files.readString(passwordFile).strip().toCharArray() : LEGACY_PASSWORD;
            boolean legacy = password == LEGACY_PASSWORD;
            try {
                load(ks, file, password);
            } catch (IOException wrongPassword) {
                if (legacy) throw wrongPassword;
                // A crash between writing the password file and the key store leaves the old key store.
                password = LEGACY_PASSWORD;
                legacy = true;
                load(ks, file, password);
            }
            PrivateKey key = (PrivateKey) ks.getKey(ALIAS, password);
            Certificate[] chain = ks.getCertificateChain(ALIAS);
            KeyStore inMemory = store(key, chain);
            if (legacy) {
                keep(dir, file, passwordFile, key, chain);
            }
            return inMemory;
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
        keep(dir, file, passwordFile, pair.getPrivate(), new Certificate[] {ks.getCertificate(ALIAS)});
        // The certificate alone, for clients to trust (aws --ca-bundle, mictlanx admin --ca-cert).
        Files.writeString(dir.resolve("self-signed.pem"), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(ks.getCertificate(ALIAS).getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return ks;
    }

    /**
     * Writes the key and chain to {@code file} under a fresh random password, kept owner-only in
     * {@code passwordFile} (written first, both atomically, so a crash never leaves a key store
     * whose password is lost).
     */
    private static void keep(Path dir, Path file, Path passwordFile, PrivateKey key, Certificate[] chain)
            throws IOException, GeneralSecurityException {
        char[] password = randomPassword();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, key, password, chain);
        Path pwTmp = Files.createTempFile(dir, "self-signed-password", ".tmp");
        Path tmp = Files.createTempFile(dir, "self-signed", ".tmp");
        try {
            DataDirs.ownerOnly(pwTmp);
            DataDirs.ownerOnly(tmp);
            Files.writeString(pwTmp, new String(password) + "\n");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, password);
            }
            Files.move(pwTmp, passwordFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(pwTmp);
            Files.deleteIfExists(tmp);
        }
    }

    private static void load(KeyStore ks, Path file, char[] password) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
    }

    private static char[] randomPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    private static KeyStore store(PrivateKey key, Certificate[] chain) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, key, STORE_PASSWORD, chain);
        return ks;
    }
}
