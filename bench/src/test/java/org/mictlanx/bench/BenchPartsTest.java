package org.mictlanx.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

class BenchPartsTest {

    @Test
    void pseudoRandomStreamIsDeterministicWhateverTheReadSizes() throws Exception {
        long len = 100_003;
        byte[] byteByByte = readAll(new PseudoRandomInputStream(7, len), 1);
        byte[] odd = readAll(new PseudoRandomInputStream(7, len), 4093);
        byte[] big = readAll(new PseudoRandomInputStream(7, len), 65536);
        assertEquals(len, byteByByte.length);
        assertArrayEquals(byteByByte, odd);
        assertArrayEquals(byteByByte, big);
        assertNotEquals(BigObjectBench.sha256(new PseudoRandomInputStream(7, len)),
                BigObjectBench.sha256(new PseudoRandomInputStream(8, len)));
        assertEquals(BigObjectBench.sha256(new PseudoRandomInputStream(7, len)),
                BigObjectBench.sha256(new java.io.ByteArrayInputStream(big)));
    }

    private static byte[] readAll(InputStream in, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[chunk];
        if (chunk == 1) {
            for (int b; (b = in.read()) >= 0; ) out.write(b);
        } else {
            for (int n; (n = in.read(buf, 0, chunk)) >= 0; ) out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void percentilesUseNearestRank() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 1; i <= 50; i++) a.add(i);
        for (int i = 100; i >= 51; i--) b.add(i);
        long[] all = Latencies.merge(List.of(a, b));
        assertEquals(100, all.length);
        assertEquals(50, Latencies.percentile(all, 50));
        assertEquals(99, Latencies.percentile(all, 99));
        assertEquals(100, Latencies.percentile(all, 100));
        assertEquals(0, Latencies.percentile(new long[0], 50));
    }

    @Test
    void sizesRoundTripAndRejectGarbage() {
        assertEquals(4096, Sizes.parse("4KiB"));
        assertEquals(64L << 20, Sizes.parse("64m"));
        assertEquals(5L << 30, Sizes.parse("5GiB"));
        assertEquals("5GiB", Sizes.format(5L << 30));
        assertEquals("1000B", Sizes.format(1000));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("lots"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("0"));
    }

    @Test
    void matrixModesCoverTheIssueCells() {
        assertEquals(27, Matrix.of("full").cells().size());
        assertEquals(24, Matrix.of("default").cells().size());
        assertEquals(9, Matrix.of("quick").cells().size());
        assertThrows(IllegalArgumentException.class, () -> Matrix.of("huge"));
    }

    @Test
    void reportRatiosComeFromMedians() {
        Report r = new Report();
        Cell c = new Cell(Workload.PUT, 4096, 8);
        for (long ops : new long[] {10, 30, 20}) r.add("mictlanx-1", new CellResult(c, ops, 0, ops * 4096, 1_000_000_000L, 1, 1, -1));
        for (long ops : new long[] {5, 100, 10}) r.add("s3proxy", new CellResult(c, ops, 0, ops * 4096, 1_000_000_000L, 1, 1, -1));
        assertEquals(2.0, r.ratio("mictlanx-1", c.name()), 1e-9);
    }
}
