package org.mictlanx.router.usage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bytes a write was admitted for under its bucket's quota ({@link UsageLedger#admit}); grows as a
 * write of unknown length reads its body ({@link #watch}) and is released by {@link #close} once the
 * write committed (its change is counted by then) or failed. A reservation of a bucket without a
 * quota holds nothing.
 */
public final class Reservation implements AutoCloseable {

    private final UsageLedger ledger;
    private final String bucket;
    private long held;
    private final boolean limited;
    private boolean closed;

    Reservation(UsageLedger ledger, String bucket, long held) {
        this.ledger = ledger;
        this.bucket = bucket;
        this.limited = held >= 0;
        this.held = Math.max(0, held);
    }

    /** Reserves {@code bytes} more; QUOTA_EXCEEDED (nothing reserved) when that passes the quota. */
    public synchronized void grow(long bytes) {
        if (!limited || bytes <= 0 || closed) return;
        ledger.reserve(bucket, bytes);
        held += bytes;
    }

    /**
     * The body of a write whose length is unknown: every byte read beyond what is reserved grows the
     * reservation first, so the read that passes the quota fails (QUOTA_EXCEEDED) and the write is
     * rolled back by its caller.
     */
    public InputStream watch(InputStream body) {
        if (!limited) return body;
        return new FilterInputStream(body) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) account(1);
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) account(n);
                return n;
            }

            private void account(int n) {
                read += n;
                long over;
                synchronized (Reservation.this) {
                    over = read - held;
                }
                if (over > 0) grow(over);
            }
        };
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (limited && held > 0) ledger.release(bucket, held);
    }
}
