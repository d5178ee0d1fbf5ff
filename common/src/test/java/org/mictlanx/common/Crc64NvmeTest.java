package org.mictlanx.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64NvmeTest {

    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void crc64NvmeCheckValue() {
        Crc64Nvme c = new Crc64Nvme();
        c.update(CHECK, 0, CHECK.length);
        assertEquals(0xae8b14860a799888L, c.getValue());
    }

    @Test
    void crc64SlicedEqualsBytewise() {
        byte[] data = new byte[10_007];
        new Random(7).nextBytes(data);
        Crc64Nvme sliced = new Crc64Nvme();
        sliced.update(data, 0, 5_003);
        sliced.update(data, 5_003, data.length - 5_003);
        Crc64Nvme bytewise = new Crc64Nvme();
        for (byte b : data) bytewise.update(b);
        assertEquals(bytewise.getValue(), sliced.getValue());
    }

    @Test
    void resetStartsOver() {
        Crc64Nvme c = new Crc64Nvme();
        c.update(new byte[] {1, 2, 3}, 0, 3);
        c.reset();
        c.update(CHECK, 0, CHECK.length);
        assertEquals(0xae8b14860a799888L, c.getValue());
    }
}
