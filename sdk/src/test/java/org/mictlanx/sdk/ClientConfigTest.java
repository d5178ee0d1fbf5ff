package org.mictlanx.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

    @Test
    void parsesRoutersCredentialsAndOptions() {
        ClientConfig c = ClientConfig.parse("mictlanx://AK:se%2Fcr@et@h1:9000,h2:9001/?secure=false&partSize=6291456"
                + "&parallelism=3&cacheBytes=1000").config();
        assertEquals(List.of(URI.create("http://h1:9000"), URI.create("http://h2:9001")), c.routers());
        assertEquals("AK", c.accessKey());
        assertEquals("se/cr@et", c.secretKey());
        assertEquals(6291456, c.partSize());
        assertEquals(3, c.parallelism());
        assertEquals(1000, c.cacheBytes());
        assertEquals(URI.create("https://h:1"), ClientConfig.parse("mictlanx://a:b@h:1?secure=true").config().routers().getFirst());
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.parse("mictlanx://a:b@").config());
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.parse("mictlanx://ab@h:1").config());
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.parse("mictlanx://a:b@h:1/?partSize=1024").config());
        assertThrows(IllegalArgumentException.class, () -> MictlanX.builder().credentials("a", "b").config());
    }

    @Test
    void backoffIsBoundedAndGrows() {
        RetryPolicy p = new RetryPolicy(5, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(100));
        for (int i = 0; i < 200; i++) {
            long d1 = p.delayMillis(1);
            long d9 = p.delayMillis(9);
            assertEquals(true, d1 >= 0 && d1 <= 10);
            assertEquals(true, d9 >= 0 && d9 <= 100);
        }
        assertEquals(true, RetryPolicy.retryable(503, null));
        assertEquals(true, RetryPolicy.retryable(400, "SlowDown"));
        assertEquals(false, RetryPolicy.retryable(403, "AccessDenied"));
        assertEquals(false, RetryPolicy.retryable(404, null));
    }
}
