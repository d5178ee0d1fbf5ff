package org.mictlanx.router;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A ball body that can hand its bytes to a writer as buffers rather than copying them into the writer's
 * arrays ({@code BallReader}: each authenticated chunk as it lies, possibly off-heap). The front door uses
 * it to write a GET's body with one large write per chunk.
 */
public interface BufferedBody {

    /** Takes the bytes of one buffer, from its position to its limit. */
    @FunctionalInterface
    interface Sink {
        /**
         * Writes all of {@code buffer}'s remaining bytes and returns only when it no longer reads the
         * buffer, which the body may reuse at once; an IOException means the buffer's fate is unknown (the
         * body then never reuses it).
         */
        void write(ByteBuffer buffer) throws IOException;
    }

    /** Writes the rest of the body to {@code sink}, buffer by buffer; returns the bytes written. */
    long transferTo(Sink sink) throws IOException;
}
