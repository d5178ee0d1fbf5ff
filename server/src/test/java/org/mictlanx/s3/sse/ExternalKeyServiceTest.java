package org.mictlanx.s3.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.S3Harness.ALICE;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mictlanx.router.Router;
import org.mictlanx.router.crypto.KeyService;
import org.mictlanx.router.crypto.KeyServiceException;
import org.mictlanx.router.fake.TestCluster;
import org.mictlanx.s3.S3Harness;
import org.slf4j.LoggerFactory;

/**
 * The key service extension point: an external key service (here a test one standing in for a KMIP
 * server or a cloud KMS) plugged into the router through {@code Router.Builder#keyService} serves
 * SSE-KMS through the S3 front door with the same contract as the built-in one (key ids echoed,
 * rotation keeps old versions readable, a disabled key answers KMS.DisabledException, no default key
 * means {@code aws:kms} without a key id is KMS.NotFoundException); every use of a key is in the
 * audit trail ({@link KmsAudit}), refusals included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalKeyServiceTest {

    /** Keys as an external service would hold them: versions of random material, an enabled flag. */
    static final class ExternalKeys implements KeyService {
        final Map<String, List<SecretKey>> versions = new ConcurrentHashMap<>();
        final Map<String, Boolean> enabled = new ConcurrentHashMap<>();
        final SecureRandom random = new SecureRandom();

        void rotate(String keyId) {
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            versions.computeIfAbsent(keyId, k -> new CopyOnWriteArrayList<>()).add(new SecretKeySpec(raw, "AES"));
            enabled.putIfAbsent(keyId, true);
        }

        private List<SecretKey> usable(String keyId) {
            List<SecretKey> v = versions.get(keyId);
            if (v == null) throw new KeyServiceException(KeyServiceException.Kind.NOT_FOUND, "Invalid keyId " + keyId);
            if (!enabled.get(keyId)) throw new KeyServiceException(KeyServiceException.Kind.DISABLED, keyId + " is disabled.");
            return v;
        }

        @Override
        public KeyVersion current(String keyId) {
            List<SecretKey> v = usable(keyId);
            return new KeyVersion(keyId, v.size(), v.getLast());
        }

        @Override
        public KeyVersion material(String keyId, int version) {
            List<SecretKey> v = usable(keyId);
            if (version < 1 || version > v.size()) {
                throw new KeyServiceException(KeyServiceException.Kind.NOT_FOUND, keyId + " has no version " + version);
            }
            return new KeyVersion(keyId, version, v.get(version - 1));
        }
    }

    private final ExternalKeys keys = new ExternalKeys();
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger(KmsAudit.LOGGER);
    private TestCluster cluster;
    private Router router;
    private S3Harness s3;

    @BeforeAll
    void start() throws Exception {
        auditLogger.setLevel(Level.INFO);
        audit.start();
        auditLogger.addAppender(audit);
        cluster = new TestCluster(3);
        router = Router.builder().peers(cluster.peers).masterKeys(cluster.keys).keyService(keys)
                .config(TestCluster.config(java.time.Duration.ofSeconds(2), java.time.Duration.ofHours(1)))
                .background(false).build();
        s3 = new S3Harness(router);
        keys.rotate("ext-1");
        assertEquals(200, s3.as(ALICE).put("/ext", new byte[0]).status());
    }

    @AfterAll
    void stop() throws Exception {
        auditLogger.detachAppender(audit);
        auditLogger.setLevel(null);
        if (s3 != null) s3.close();
        if (router != null) router.close();
        if (cluster != null) cluster.close();
    }

    private S3Harness.Reply putKms(String key, String keyId, String body) {
        return s3.as(ALICE).header("x-amz-server-side-encryption", "aws:kms")
                .header("x-amz-server-side-encryption-aws-kms-key-id", keyId).put("/ext/" + key, body);
    }

    private List<String> auditLines() {
        return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void anExternalKeyServiceServesSseKmsAndEveryUseIsAudited() {
        var put = putKms("a", "ext-1", "external");
        assertEquals(200, put.status(), put.text());
        assertTrue(put.header("x-amz-server-side-encryption-aws-kms-key-id").endsWith(":key/ext-1"));
        assertEquals("external", s3.as(ALICE).get("/ext/a").text());
        keys.rotate("ext-1");
        assertEquals(200, putKms("b", "ext-1", "second").status());
        assertEquals("external", s3.as(ALICE).get("/ext/a").text(), "rotation keeps old versions readable");
        assertEquals("second", s3.as(ALICE).get("/ext/b").text());
        List<String> lines = auditLines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("action=GenerateDataKey key=ext-1/1 operation=PutObject")
                && l.contains("resource=/ext/a") && l.contains("outcome=ok")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("action=GenerateDataKey key=ext-1/2")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("action=Decrypt key=ext-1/1 operation=GetObject")
                && l.contains("user=alice") && l.contains("outcome=ok")), lines.toString());

        keys.enabled.put("ext-1", false);
        var refused = s3.as(ALICE).get("/ext/a");
        assertEquals(400, refused.status());
        assertEquals("KMS.DisabledException", refused.code());
        assertTrue(auditLines().stream().anyMatch(l -> l.contains("action=Decrypt key=ext-1/1")
                && l.contains("outcome=KMS.DisabledException")), auditLines().toString());
        keys.enabled.put("ext-1", true);
        assertEquals("external", s3.as(ALICE).get("/ext/a").text());

        assertEquals("KMS.NotFoundException", putKms("c", "no-such-key", "x").code());
        assertTrue(auditLines().stream().anyMatch(l -> l.contains("key=no-such-key")
                && l.contains("outcome=KMS.NotFoundException")));
        // no default key in this service: aws:kms without a key id is refused as an unknown key
        assertEquals("KMS.NotFoundException", s3.as(ALICE).header("x-amz-server-side-encryption", "aws:kms")
                .put("/ext/d", "x").code());
        // never any key material in the trail
        String material = java.util.HexFormat.of().formatHex(keys.versions.get("ext-1").getFirst().getEncoded());
        assertTrue(auditLines().stream().noneMatch(l -> l.contains(material)));
    }
}
