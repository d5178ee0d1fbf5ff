package org.mictlanx.router.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;
import org.mictlanx.xolo.identity.InMemoryMetaTable;

/** Customer-key wrapping, verifiers and the built-in key service (including master key re-wrap). */
class SseKeysTest {

    private final ChunkCipher cipher = new ChunkCipher();
    private final MasterKeys master = MasterKeys.random("k1");
    private final SegmentKeys keys = new SegmentKeys(cipher, master);

    private static byte[] random32() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Test
    void customerWrappedDataKeyNeedsThatKey() throws Exception {
        CustomerKey ck = new CustomerKey(random32());
        SecretKey dk = cipher.newDataKey();
        SegmentKeys.Wrapped w = keys.wrap("seg-1", dk, ck);
        assertTrue(SegmentKeys.isCustomer(w.keyId()));
        assertArrayEquals(dk.getEncoded(), keys.unwrap("seg-1", w.keyId(), w.wrappedKey(), ck).getEncoded());
        assertThrows(AEADBadTagException.class, () -> keys.unwrap("seg-1", w.keyId(), w.wrappedKey(), null));
        assertThrows(AEADBadTagException.class,
                () -> keys.unwrap("seg-1", w.keyId(), w.wrappedKey(), new CustomerKey(random32())));
        // bound to the segment: the same wrap under another segment id does not open
        assertThrows(AEADBadTagException.class, () -> keys.unwrap("seg-2", w.keyId(), w.wrappedKey(), ck));
        // two wraps of the same key get different salts
        assertFalse(w.keyId().equals(keys.wrap("seg-1", dk, ck).keyId()));
        // master-wrapped keys ignore the customer key argument's absence
        SegmentKeys.Wrapped m = keys.wrap("seg-3", dk, null);
        assertEquals("k1", m.keyId());
        assertArrayEquals(dk.getEncoded(), keys.unwrap("seg-3", m.keyId(), m.wrappedKey(), null).getEncoded());
    }

    @Test
    void rememberedMasterUnwrapsAnswerExactlyAsUnwrappingAgain() throws Exception {
        SecretKey dk = cipher.newDataKey();
        SegmentKeys.Wrapped m = keys.wrap("seg-4", dk, null);
        assertArrayEquals(dk.getEncoded(), keys.unwrap("seg-4", m.keyId(), m.wrappedKey(), null).getEncoded());
        assertArrayEquals(dk.getEncoded(), keys.unwrap("seg-4", m.keyId(), m.wrappedKey(), null).getEncoded());
        // another wrap stored for the same segment (a re-wrap) is unwrapped, never answered from memory
        SecretKey other = cipher.newDataKey();
        SegmentKeys.Wrapped m2 = keys.wrap("seg-4", other, null);
        assertArrayEquals(other.getEncoded(), keys.unwrap("seg-4", m2.keyId(), m2.wrappedKey(), null).getEncoded());
        // a damaged wrap still fails, even right after the good one was remembered
        byte[] damaged = m2.wrappedKey().clone();
        damaged[damaged.length - 1] ^= 1;
        assertThrows(AEADBadTagException.class, () -> keys.unwrap("seg-4", m2.keyId(), damaged, null));
        // the segment binding holds for remembered keys too
        assertThrows(AEADBadTagException.class, () -> keys.unwrap("seg-5", m2.keyId(), m2.wrappedKey(), null));
        // and customer-wrapped keys still need the customer's key after a successful unwrap
        CustomerKey ck = new CustomerKey(random32());
        SegmentKeys.Wrapped c = keys.wrap("seg-6", dk, ck);
        assertArrayEquals(dk.getEncoded(), keys.unwrap("seg-6", c.keyId(), c.wrappedKey(), ck).getEncoded());
        assertThrows(AEADBadTagException.class, () -> keys.unwrap("seg-6", c.keyId(), c.wrappedKey(), null));
    }

    @Test
    void verifierRecognisesTheKeyAndRevealsNeitherItNorItsMd5() throws Exception {
        byte[] raw = random32();
        CustomerKey ck = new CustomerKey(raw);
        String v = ck.verifier();
        assertTrue(ck.matches(v));
        assertFalse(new CustomerKey(random32()).matches(v));
        assertFalse(ck.matches("v1.garbage"));
        assertFalse(v.equals(ck.verifier()), "salted: a new verifier each time");
        byte[] md5 = MessageDigest.getInstance("MD5").digest(raw);
        for (String secret : new String[] {Base64.getEncoder().encodeToString(raw), Base64.getUrlEncoder().withoutPadding()
                .encodeToString(raw), Base64.getEncoder().encodeToString(md5), Base64.getUrlEncoder().withoutPadding()
                .encodeToString(md5)}) {
            assertFalse(v.contains(secret.substring(0, 16)));
        }
        assertEquals("CustomerKey[redacted]", ck.toString());
        assertEquals(Base64.getEncoder().encodeToString(md5), ck.md5Base64());
    }

    @Test
    void builtInKeyServiceLifecycleAndMasterRewrap() {
        InMemoryMetaTable table = new InMemoryMetaTable();
        BuiltInKeyService kms = new BuiltInKeyService(table, master, cipher, Clock.systemUTC());
        BuiltInKeyService.KeyRecord k = kms.create("d");
        KeyService.KeyVersion v1 = kms.current(k.keyId());
        assertEquals(1, v1.version());
        assertEquals(2, kms.rotate(k.keyId()).currentVersion());
        assertEquals(2, kms.current(k.keyId()).version());
        assertArrayEquals(v1.material().getEncoded(), kms.material(k.keyId(), 1).material().getEncoded());
        kms.setEnabled(k.keyId(), false);
        assertEquals(KeyServiceException.Kind.DISABLED,
                assertThrows(KeyServiceException.class, () -> kms.material(k.keyId(), 1)).kind());
        kms.setEnabled(k.keyId(), true);
        assertEquals(KeyServiceException.Kind.NOT_FOUND,
                assertThrows(KeyServiceException.class, () -> kms.current("nope")).kind());
        // the stored record holds no material in the clear
        byte[] stored = table.get(BuiltInKeyService.PARTITION, k.keyId()).orElseThrow();
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(
                new String(v1.material().getEncoded(), StandardCharsets.ISO_8859_1)));

        // master key rotation: k2 becomes current; re-wrap moves every version under it, material unchanged
        byte[] k1 = master.key("k1").getEncoded();
        MasterKeys rotated = MasterKeys.parse("k1:" + Base64.getEncoder().encodeToString(k1) + ",k2:"
                + Base64.getEncoder().encodeToString(random32()));
        BuiltInKeyService after = new BuiltInKeyService(table, rotated, cipher, Clock.systemUTC());
        assertEquals(1, after.rewrapUnderCurrentMaster());
        assertEquals(0, after.rewrapUnderCurrentMaster(), "idempotent: a second run has nothing to do");
        assertTrue(after.describe(k.keyId()).orElseThrow().versions().stream().allMatch(v -> v.masterKeyId().equals("k2")));
        MasterKeys onlyK2 = MasterKeys.parse("k2:" + Base64.getEncoder().encodeToString(rotated.key("k2").getEncoded()));
        BuiltInKeyService retired = new BuiltInKeyService(table, onlyK2, cipher, Clock.systemUTC());
        assertArrayEquals(v1.material().getEncoded(), retired.material(k.keyId(), 1).material().getEncoded());
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        volatile long millis = 1_700_000_000_000L;

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void scheduledDeletionWaitsItsPeriodThenDeletesTheKeyForGood() {
        InMemoryMetaTable table = new InMemoryMetaTable();
        MovableClock clock = new MovableClock();
        BuiltInKeyService kms = new BuiltInKeyService(table, master, cipher, clock);
        String id = kms.create("doomed").keyId();
        assertThrows(IllegalArgumentException.class, () -> kms.scheduleDeletion(id, 6));
        assertThrows(IllegalArgumentException.class, () -> kms.scheduleDeletion(id, 31));
        BuiltInKeyService.KeyRecord pending = kms.scheduleDeletion(id, 7);
        assertEquals("PendingDeletion", pending.state());
        assertEquals(clock.millis + 7 * 86_400_000L, pending.deletionMillis());
        assertEquals(KeyServiceException.Kind.PENDING_DELETION,
                assertThrows(KeyServiceException.class, () -> kms.material(id, 1)).kind());
        assertEquals(KeyServiceException.Kind.PENDING_DELETION,
                assertThrows(KeyServiceException.class, () -> kms.setEnabled(id, true)).kind());
        assertEquals("Disabled", kms.cancelDeletion(id).state());
        kms.setEnabled(id, true);
        kms.material(id, 1);
        kms.scheduleDeletion(id, 7);
        clock.millis += 7 * 86_400_000L - 1;
        assertEquals(0, kms.purgeExpired(), "not before the period ends");
        assertTrue(kms.describe(id).isPresent());
        clock.millis += 1;
        assertEquals(1, kms.purgeExpired());
        assertTrue(table.get(BuiltInKeyService.PARTITION, id).isEmpty(), "the record and its material are gone");
        assertEquals(KeyServiceException.Kind.NOT_FOUND,
                assertThrows(KeyServiceException.class, () -> kms.material(id, 1)).kind());
        assertTrue(kms.list(100).stream().noneMatch(k -> k.keyId().equals(id)));
    }

    @Test
    void theAwsManagedKeyIsTheSameForEveryRouterAndCannotBeDisabledOrDeleted() {
        InMemoryMetaTable table = new InMemoryMetaTable();
        BuiltInKeyService a = new BuiltInKeyService(new InMemoryMetaTable(), master, cipher, Clock.systemUTC());
        BuiltInKeyService b = new BuiltInKeyService(table, master, cipher, Clock.systemUTC());
        KeyService.KeyVersion fromA = a.defaultKey();
        KeyService.KeyVersion fromB = b.defaultKey();
        assertEquals(BuiltInKeyService.MANAGED_ID, fromA.keyId());
        assertArrayEquals(fromA.material().getEncoded(), fromB.material().getEncoded(),
                "two routers creating it at once store the same material");
        assertEquals("aws/s3", b.describe(BuiltInKeyService.MANAGED_ID).orElseThrow().alias());
        assertThrows(IllegalArgumentException.class, () -> b.setEnabled(BuiltInKeyService.MANAGED_ID, false));
        assertThrows(IllegalArgumentException.class, () -> b.scheduleDeletion(BuiltInKeyService.MANAGED_ID, 30));
        assertArrayEquals(fromB.material().getEncoded(), b.defaultKey().material().getEncoded());
    }
}
