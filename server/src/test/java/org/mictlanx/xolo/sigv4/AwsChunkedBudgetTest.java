package org.mictlanx.xolo.sigv4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mictlanx.router.io.BufferBudget;

/** The aws-chunked decoder reserves what it buffers, and only as chunk bytes arrive. */
class AwsChunkedBudgetTest {

    private static final AuthResult UNSIGNED = new AuthResult("AK", PayloadMode.STREAMING_UNSIGNED_TRAILER, null, null, false);

    @Test
    void aStalledChunkHoldsWhatArrivedNotWhatItsHeaderDeclares() throws Exception {
        BufferBudget budget = new BufferBudget(64L << 20, Duration.ZERO);
        PipedOutputStream client = new PipedOutputStream();
        PipedInputStream wire = new PipedInputStream(client, 1 << 20);
        BufferBudget.Lease lease = budget.open();
        AwsChunkedInputStream in = new AwsChunkedInputStream(wire, UNSIGNED, -1, lease);
        // A chunk header declaring 16 MiB, then ten bytes, then nothing.
        client.write("1000000\r\n0123456789".getBytes(StandardCharsets.ISO_8859_1));
        client.flush();
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> in.read());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lease.held() < 128 * 1024 && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling a condition under a deadline
        }
        assertEquals(128 * 1024, lease.held(), "read-ahead plus the first 64 KiB of chunk buffer, not 16 MiB");
        assertTrue(!reader.isDone());
        client.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> reader.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof SigV4Exception || e.getCause().getCause() instanceof SigV4Exception, e.toString());
        lease.close();
        assertEquals(0, budget.used());
    }

    @Test
    void chunksDecodeWithinTheBudgetAndASpentBudgetRefusesTheDecoder() throws Exception {
        byte[] data = new byte[300_000];
        new java.util.Random(3).nextBytes(data);
        byte[] body = SigV4Signer.chunked(data, 200_000, PayloadMode.STREAMING_UNSIGNED_TRAILER, null, java.util.Map.of());
        // Read-ahead, plus the chunk buffer's last growth (old and new arrays exist together while copying).
        BufferBudget budget = new BufferBudget(64 * 1024 + 128 * 1024 + 200_000, Duration.ZERO);
        try (BufferBudget.Lease lease = budget.open()) {
            byte[] out = new AwsChunkedInputStream(new ByteArrayInputStream(body), UNSIGNED, data.length, lease).readAllBytes();
            assertArrayEquals(data, out);
            assertTrue(budget.used() <= budget.capacity());
        }
        assertEquals(0, budget.used());
        BufferBudget spent = new BufferBudget(1024, Duration.ZERO);
        try (BufferBudget.Lease lease = spent.open()) {
            assertThrows(BufferBudget.Exhausted.class,
                    () -> new AwsChunkedInputStream(new ByteArrayInputStream(body), UNSIGNED, data.length, lease));
        }
    }
}
