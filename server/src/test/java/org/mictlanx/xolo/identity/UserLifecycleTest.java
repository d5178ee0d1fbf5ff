package org.mictlanx.xolo.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disable, enable and delete of users and keys; key limits; the revocation bound across registries; root rotation. */
class UserLifecycleTest {

    private final InMemoryMetaTable table = new InMemoryMetaTable();
    private final UserRegistryTest.ManualClock clock = new UserRegistryTest.ManualClock();

    private UserRegistry registry(Duration ttl) {
        return new UserRegistry(table, UserRegistryTest.MASTER, UserRegistryTest.ROOT, clock, new SecureRandom(), ttl);
    }

    @Test
    void disablingAUserRefusesAllItsKeysHereAtOnceAndElsewhereWithinTheTtl() {
        UserRegistry here = registry(Duration.ofSeconds(2));
        UserRegistry elsewhere = registry(Duration.ofSeconds(2));
        Credentials a = here.addUser("alice");
        Credentials b = here.addKey("alice");
        assertTrue(here.secretFor(a.accessKeyId()).isPresent());
        assertTrue(elsewhere.secretFor(a.accessKeyId()).isPresent());
        here.setUserEnabled("alice", false);
        assertEquals(Optional.empty(), here.secretFor(a.accessKeyId()), "refused at once where it was disabled");
        assertEquals(Optional.empty(), here.secretFor(b.accessKeyId()));
        assertEquals(Optional.empty(), here.principalFor(a.accessKeyId()));
        assertTrue(elsewhere.secretFor(a.accessKeyId()).isPresent(), "cached elsewhere, within the bound");
        clock.now = clock.now.plus(here.cacheTtl()).plusMillis(1);
        assertEquals(Optional.empty(), elsewhere.secretFor(a.accessKeyId()), "refused elsewhere once the bound passed");
        assertTrue(here.user("alice").orElseThrow().disabled());
        assertEquals(List.of("Disabled"), here.listUsers().stream().map(u -> u.disabled() ? "Disabled" : "Active").toList());
        here.setUserEnabled("alice", true);
        assertEquals(Optional.of(a.secretKey()), elsewhere.secretFor(a.accessKeyId()), "a refused key is never cached");
        assertEquals(Optional.of(b.secretKey()), here.secretFor(b.accessKeyId()));
    }

    @Test
    void aSingleKeyCanBeDisabledEnabledAndDeletedOnlyByNamingItsUser() {
        UserRegistry users = registry(Duration.ofSeconds(2));
        Credentials old = users.addUser("alice");
        Credentials bob = users.addUser("bob");
        Credentials fresh = users.addKey("alice");
        users.setKeyEnabled("alice", old.accessKeyId(), false);
        assertEquals(Optional.empty(), users.secretFor(old.accessKeyId()));
        assertEquals(Optional.of(fresh.secretKey()), users.secretFor(fresh.accessKeyId()));
        assertEquals(List.of(true, false), users.keyInfos("alice").stream()
                .sorted((x, y) -> x.accessKeyId().equals(old.accessKeyId()) ? -1 : 1).map(UserRegistry.KeyInfo::disabled).toList());
        users.setKeyEnabled("alice", old.accessKeyId(), true);
        assertEquals(Optional.of(old.secretKey()), users.secretFor(old.accessKeyId()));
        // bob's key cannot be deleted by naming alice: the key must be the user's
        assertEquals(IdentityException.Kind.NO_SUCH_KEY, assertThrows(IdentityException.class,
                () -> users.deleteKey("alice", bob.accessKeyId())).kind());
        assertEquals(IdentityException.Kind.NO_SUCH_USER, assertThrows(IdentityException.class,
                () -> users.deleteKey("carol", bob.accessKeyId())).kind());
        assertEquals(IdentityException.Kind.NO_SUCH_USER, assertThrows(IdentityException.class,
                () -> users.setUserEnabled("carol", false)).kind());
        assertEquals(IdentityException.Kind.NO_SUCH_USER, assertThrows(IdentityException.class, () -> users.keyInfos("carol")).kind());
        assertTrue(users.secretFor(bob.accessKeyId()).isPresent());
        // rotation: the old key goes, the new one stays
        users.deleteKey("alice", old.accessKeyId());
        assertEquals(Optional.empty(), users.secretFor(old.accessKeyId()));
        assertEquals(List.of(fresh.accessKeyId()), users.keysOf("alice"));
        assertEquals(Optional.of(fresh.secretKey()), users.secretFor(fresh.accessKeyId()));
        assertEquals(IdentityException.Kind.NO_SUCH_KEY, assertThrows(IdentityException.class,
                () -> users.deleteKey("alice", old.accessKeyId())).kind());
    }

    @Test
    void aUserHoldsAtMostTheKeyLimit() {
        UserRegistry users = registry(Duration.ZERO);
        users.addUser("alice");
        for (int i = 1; i < UserRegistry.MAX_KEYS_PER_USER; i++) {
            users.addKey("alice");
        }
        assertEquals(UserRegistry.MAX_KEYS_PER_USER, users.keysOf("alice").size());
        assertEquals(IdentityException.Kind.LIMIT_EXCEEDED, assertThrows(IdentityException.class, () -> users.addKey("alice")).kind());
    }

    @Test
    void deletingAUserRefusesItsCachedKeysElsewhereWithinTheTtl() {
        UserRegistry here = registry(Duration.ofSeconds(2));
        UserRegistry elsewhere = registry(Duration.ofSeconds(2));
        Credentials a = here.addUser("alice");
        assertTrue(elsewhere.secretFor(a.accessKeyId()).isPresent());
        assertTrue(here.deleteUser("alice"));
        assertEquals(Optional.empty(), here.secretFor(a.accessKeyId()));
        clock.now = clock.now.plusSeconds(3);
        assertEquals(Optional.empty(), elsewhere.secretFor(a.accessKeyId()));
        assertEquals(List.of(), here.listUsers());
    }

    @Test
    void aKeyWhoseUserRecordIsGoneIsRefused() {
        // A half-finished delete elsewhere (user record gone, keys not yet) must not leave working keys.
        UserRegistry users = registry(Duration.ZERO);
        Credentials a = users.addUser("alice");
        table.delete(UserRegistry.USERS, "alice");
        assertEquals(Optional.empty(), users.secretFor(a.accessKeyId()));
    }

    @Test
    void recordsWithoutTheDisabledFlagReadAsEnabled() {
        UserRegistry users = registry(Duration.ZERO);
        Credentials a = users.addUser("alice");
        table.put(UserRegistry.USERS, "alice", "{\"name\":\"alice\",\"createdMillis\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of(a.secretKey()), users.secretFor(a.accessKeyId()));
        assertFalse(users.user("alice").orElseThrow().disabled());
    }

    @TempDir
    Path dir;

    @Test
    void rootKeptInTheDataDirectoryRotatesAndTheOldSecretIsRefusedAtOnce() throws Exception {
        RootCredentials loaded = RootCredentials.load(Map.of(), dir, line -> { }, new SecureRandom());
        assertEquals(RootCredentials.Source.GENERATED, loaded.source());
        RootAccount root = RootAccount.of(loaded, dir);
        UserRegistry users = new UserRegistry(table, UserRegistryTest.MASTER, root, clock, new SecureRandom(), Duration.ofSeconds(2));
        String oldSecret = loaded.credentials().secretKey();
        assertEquals(Optional.of(oldSecret), users.secretFor(loaded.credentials().accessKeyId()));
        Credentials rotated = root.rotate(new SecureRandom());
        assertEquals(loaded.credentials().accessKeyId(), rotated.accessKeyId(), "the access key id stays");
        assertFalse(rotated.secretKey().equals(oldSecret));
        assertEquals(Optional.of(rotated.secretKey()), users.secretFor(rotated.accessKeyId()));
        // kept: the next start reads the new secret, owner-only
        Path file = dir.resolve(RootCredentials.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        RootCredentials again = RootCredentials.load(Map.of(), dir, line -> { }, new SecureRandom());
        assertEquals(RootCredentials.Source.FILE, again.source());
        assertEquals(rotated.secretKey(), again.credentials().secretKey());
        assertEquals(RootCredentials.Source.FILE, again.source());
        assertEquals(rotated.secretKey(), RootAccount.of(again, dir).get().secretKey());
    }

    @Test
    void rootFromTheSettingsIsNotRotatedByTheServer() throws Exception {
        RootCredentials loaded = RootCredentials.load(Map.of(RootCredentials.ENV_ACCESS_KEY, "AKIAFROMSETTINGS0001",
                RootCredentials.ENV_SECRET_KEY, "settings-secret-0123456789"), dir, line -> { }, new SecureRandom());
        RootAccount root = RootAccount.of(loaded, dir);
        assertTrue(root.file().isEmpty());
        IdentityException e = assertThrows(IdentityException.class, () -> root.rotate(new SecureRandom()));
        assertEquals(IdentityException.Kind.ROOT_FROM_SETTINGS, e.kind());
        assertTrue(e.getMessage().contains("MICTLANX_SECRET_KEY"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(RootCredentials.FILE_NAME)), "nothing written");
        assertEquals("settings-secret-0123456789", root.get().secretKey());
    }
}
