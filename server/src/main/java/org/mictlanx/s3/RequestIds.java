package org.mictlanx.s3;

import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids in S3's shapes: 16 upper-case hex digits ({@code x-amz-request-id}) and a base64 host id ({@code x-amz-id-2}). */
public final class RequestIds {

    public String requestId() {
        return HexFormat.of().withUpperCase().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    public String hostId() {
        byte[] b = new byte[48];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
