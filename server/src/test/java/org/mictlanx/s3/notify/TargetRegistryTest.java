package org.mictlanx.s3.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mictlanx.xolo.identity.InMemoryMetaTable;

/**
 * Targets added through the admin API are records of the (shared) metadata: another registry over it
 * sees a change once its 2 s cache is older than that; settings targets cannot be added or removed.
 */
class TargetRegistryTest {

    @Test
    void storedTargetsAreSharedAndCachedForTwoSeconds() {
        InMemoryMetaTable table = new InMemoryMetaTable();
        long[] nanos = {0};
        NotificationTargets fixed = NotificationTargets.webhooks("fixed=http://127.0.0.1:9/f", Duration.ofSeconds(1));
        TargetRegistry here = new TargetRegistry(table, fixed, () -> nanos[0]);
        TargetRegistry there = new TargetRegistry(table, fixed, () -> nanos[0]);
        String arn = NotificationTargets.webhookArn("audit");
        assertFalse(there.known(arn));

        TargetRegistry.Defined d = here.add("audit", "https://audit.example/hook");
        assertEquals(new TargetRegistry.Defined("audit", arn, "https://audit.example/hook", "admin"), d);
        assertTrue(here.known(arn), "seen at once where added");
        assertFalse(there.known(arn), "the other registry answers from its cache");
        nanos[0] += TargetRegistry.TTL_NANOS;
        assertTrue(there.known(arn), "and sees it once the cache is 2 s old");
        assertEquals(List.of("fixed:settings", "audit:admin"), there.list().stream().map(t -> t.id() + ":" + t.source()).toList());
        assertEquals(List.of(NotificationTargets.webhookArn("fixed"), arn), there.all().stream().map(EventTarget::arn).toList());

        assertEquals("TargetFromSettings", assertThrows(TargetRegistry.Refused.class, () -> here.add("fixed", "http://x/y")).code());
        assertEquals("TargetFromSettings", assertThrows(TargetRegistry.Refused.class, () -> here.remove("fixed")).code());
        assertEquals("NoSuchTarget", assertThrows(TargetRegistry.Refused.class, () -> here.remove("nope")).code());
        assertThrows(IllegalArgumentException.class, () -> here.add("bad id", "http://x/y"));
        assertThrows(IllegalArgumentException.class, () -> here.add("ok", "ftp://x/y"));
        assertThrows(IllegalArgumentException.class, () -> here.add("ok", "http:nohost"));

        there.remove("audit");
        assertFalse(there.known(arn));
        nanos[0] += TargetRegistry.TTL_NANOS;
        assertFalse(here.known(arn));
        assertTrue(here.known(NotificationTargets.webhookArn("fixed")));
    }
}
