package org.mictlanx.s3.handler;

import org.mictlanx.s3.S3Request;

/** Public access to the capped, digest-checked body reader for handlers of other packages. */
public final class SmallBodies {

    private SmallBodies() {
    }

    /** The whole body, at most {@code max} bytes, reserved from the request's buffers and digest-checked. */
    public static byte[] read(S3Request req, int max) {
        return Bodies.readSmall(req, max);
    }
}
