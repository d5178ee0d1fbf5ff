package org.mictlanx.xolo.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.xolo.sigv4.SigV4Crypto;
import org.mictlanx.xolo.sigv4.SigV4Exception;
import org.mictlanx.xolo.sigv4.SigV4Signer;
import org.mictlanx.xolo.sigv4.SigV4Verifier;

class UserRegistryTest {

    static final byte[] MASTER = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final Credentials ROOT = new Credentials("MXROOT00000000000000", "rootsecretrootsecretrootsecretrootsecret");

    private final InMemoryMetaTable table = new InMemoryMetaTable();

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2025-03-01T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private UserRegistry registry(Clock clock, Duration ttl) {
        return new UserRegistry(table, MASTER, ROOT, clock, new SecureRandom(), ttl);
    }

    @Test
    void addUserIssuesAwsShapedKeysStoredEncrypted() {
        UserRegistry users = registry(Clock.systemUTC(), Duration.ZERO);
        Credentials alice = users.addUser("alice");
        assertTrue(alice.accessKeyId().matches("[A-Z0-9]{20}"), alice.accessKeyId());
        assertTrue(alice.secretKey().matches("[A-Za-z0-9+/]{40}"));
        assertFalse(alice.toString().contains(alice.secretKey()));
        assertEquals(Optional.of(alice.secretKey()), users.secretFor(alice.accessKeyId()));
        assertEquals(Optional.of(new Principal("alice", alice.accessKeyId(), false)), users.principalFor(alice.accessKeyId()));
        String stored = new String(table.rawPartition(UserRegistry.KEYS).get(alice.accessKeyId()), StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains(alice.secretKey()), "the secret is not stored in the clear");
        Credentials second = users.addKey("alice");
        assertNotEquals(alice.accessKeyId(), second.accessKeyId());
        assertEquals(List.of(alice.accessKeyId(), second.accessKeyId()).stream().sorted().toList(), users.keysOf("alice"));
        assertEquals(List.of("alice"), users.listUsers().stream().map(UserRegistry.UserEntry::name).toList());
        // a registry under another master key cannot read the secrets
        UserRegistry other = new UserRegistry(table, "another-master-key-0123456789".getBytes(StandardCharsets.US_ASCII),
                ROOT, Clock.systemUTC(), new SecureRandom(), Duration.ZERO);
        assertThrows(IllegalStateException.class, () -> other.secretFor(alice.accessKeyId()));
    }

    @Test
    void rootIsBuiltInAndNamesAreChecked() {
        UserRegistry users = registry(Clock.systemUTC(), Duration.ZERO);
        assertEquals(Optional.of(ROOT.secretKey()), users.secretFor(ROOT.accessKeyId()));
        assertTrue(users.principalFor(ROOT.accessKeyId()).orElseThrow().root());
        for (String bad : List.of("", "root", "a/b", "x".repeat(65), "sp ace", "é")) {
            assertEquals(IdentityException.Kind.INVALID_NAME,
                    assertThrows(IdentityException.class, () -> users.addUser(bad)).kind(), bad);
        }
        users.addUser("bob");
        assertEquals(IdentityException.Kind.USER_EXISTS, assertThrows(IdentityException.class, () -> users.addUser("bob")).kind());
        assertEquals(IdentityException.Kind.NO_SUCH_USER, assertThrows(IdentityException.class, () -> users.addKey("carol")).kind());
        assertEquals(Optional.empty(), users.secretFor("MXUNKNOWN00000000000"));
        assertEquals(Optional.empty(), users.principalFor("MXUNKNOWN00000000000"));
    }

    @Test
    void revocationIsImmediateHereAndWithinTheTtlElsewhere() {
        ManualClock clock = new ManualClock();
        UserRegistry here = registry(clock, Duration.ofSeconds(2));
        UserRegistry elsewhere = registry(clock, Duration.ofSeconds(2));
        Credentials alice = here.addUser("alice");
        assertTrue(elsewhere.secretFor(alice.accessKeyId()).isPresent());
        int reads = table.gets();
        assertTrue(elsewhere.secretFor(alice.accessKeyId()).isPresent());
        assertEquals(reads, table.gets(), "served from the cache");
        assertTrue(here.revokeKey(alice.accessKeyId()));
        assertEquals(Optional.empty(), here.secretFor(alice.accessKeyId()));
        assertTrue(elsewhere.secretFor(alice.accessKeyId()).isPresent(), "within the TTL");
        clock.now = clock.now.plusSeconds(3);
        assertEquals(Optional.empty(), elsewhere.secretFor(alice.accessKeyId()));
        assertFalse(here.revokeKey(alice.accessKeyId()));
    }

    @Test
    void deleteUserRevokesAllTheirKeys() {
        UserRegistry users = registry(Clock.systemUTC(), Duration.ZERO);
        Credentials a = users.addUser("alice");
        Credentials b = users.addKey("alice");
        Credentials bob = users.addUser("bob");
        assertTrue(users.deleteUser("alice"));
        assertEquals(Optional.empty(), users.secretFor(a.accessKeyId()));
        assertEquals(Optional.empty(), users.secretFor(b.accessKeyId()));
        assertEquals(List.of(), users.keysOf("alice"));
        assertTrue(users.secretFor(bob.accessKeyId()).isPresent());
        assertFalse(users.deleteUser("alice"));
        assertThrows(IdentityException.class, () -> users.deleteUser("root"));
    }

    @Test
    void aUserKeyAuthenticatesThroughTheVerifierAndIsAuthorizedOnlyOnOwnBuckets() {
        Instant now = Instant.parse("2025-03-01T12:00:00Z");
        UserRegistry users = registry(Clock.fixed(now, ZoneOffset.UTC), Duration.ZERO);
        Credentials alice = users.addUser("alice");
        Credentials bob = users.addUser("bob");
        SigV4Verifier verifier = new SigV4Verifier(users, "us-east-1", Clock.fixed(now, ZoneOffset.UTC));
        String ak = verifier.verify(new SigV4Signer(alice.accessKeyId(), alice.secretKey(), "us-east-1")
                .sign("GET", "/alices-bucket", "", Map.of("host", "localhost"), SigV4Crypto.EMPTY_SHA256, now)
                .request()).accessKeyId();
        Principal p = users.principalFor(ak).orElseThrow();
        org.mictlanx.xolo.policy.AccessControl authz = new org.mictlanx.xolo.policy.AccessControl(
                new org.mictlanx.xolo.policy.PolicyStore(new InMemoryMetaTable(), Duration.ZERO));
        org.mictlanx.xolo.policy.Caller caller = org.mictlanx.xolo.policy.Caller.user(p.user(), p.accessKeyId());
        BucketInfo alices = new BucketInfo("alices-bucket", p.user(), "us-east-1", now, 1);
        BucketInfo bobs = new BucketInfo("bobs-bucket", "bob", "us-east-1", now, 1);
        assertTrue(authz.allowed(caller, "s3:GetObject", "arn:aws:s3:::alices-bucket/k", Optional.of(alices),
                org.mictlanx.xolo.policy.ConditionKeys.NONE));
        assertFalse(authz.allowed(caller, "s3:GetObject", "arn:aws:s3:::bobs-bucket/k", Optional.of(bobs),
                org.mictlanx.xolo.policy.ConditionKeys.NONE));
        Principal root = users.principalFor(ROOT.accessKeyId()).orElseThrow();
        assertTrue(root.root());
        assertTrue(authz.allowed(org.mictlanx.xolo.policy.Caller.root(root.accessKeyId()), "s3:DeleteBucket",
                "arn:aws:s3:::bobs-bucket", Optional.of(bobs), org.mictlanx.xolo.policy.ConditionKeys.NONE));
        users.revokeKey(bob.accessKeyId());
        assertEquals(SigV4Exception.Reason.INVALID_ACCESS_KEY_ID, assertThrows(SigV4Exception.class, () ->
                verifier.verify(new SigV4Signer(bob.accessKeyId(), bob.secretKey(), "us-east-1")
                        .sign("GET", "/", "", Map.of("host", "localhost"), SigV4Crypto.EMPTY_SHA256, now)
                        .request())).reason());
    }
}
