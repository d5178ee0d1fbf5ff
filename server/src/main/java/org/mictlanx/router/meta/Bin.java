package org.mictlanx.router.meta;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tiny helpers for the router's compact binary record encodings (length-prefixed UTF-8 strings). */
final class Bin {

    private Bin() {
    }

    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(bytes);

        Out u8(int v) {
            return run(() -> out.writeByte(v));
        }

        Out i32(int v) {
            return run(() -> out.writeInt(v));
        }

        Out i64(long v) {
            return run(() -> out.writeLong(v));
        }

        Out bytes(byte[] b) {
            return run(() -> {
                out.writeInt(b.length);
                out.write(b);
            });
        }

        Out str(String s) {
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        Out map(Map<String, String> m) {
            i32(m.size());
            m.forEach((k, v) -> str(k).str(v));
            return this;
        }

        byte[] toBytes() {
            return bytes.toByteArray();
        }

        private Out run(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    /**
     * Reads the encodings {@link Out} writes, straight from the array (no stream, one copy per
     * returned byte array, strings decoded in place). Input that ends early or holds a length past its
     * end is an {@link IOException}, never a runtime exception.
     */
    static final class In {
        private final byte[] b;
        private int pos;
        /** The length of the byte string {@link #span} last passed. */
        private int spanned;

        In(byte[] b) {
            this.b = b;
        }

        private int need(int n) throws IOException {
            if (b.length - pos < n) throw new EOFException("corrupt record: truncated");
            int at = pos;
            pos += n;
            return at;
        }

        int u8() throws IOException {
            return b[need(1)] & 0xff;
        }

        int i32() throws IOException {
            int at = need(4);
            return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
        }

        long i64() throws IOException {
            return (long) i32() << 32 | (i32() & 0xffffffffL);
        }

        /** The offset of the next length-prefixed byte string's bytes, after checking it fits; moves past it. */
        private int span() throws IOException {
            int n = i32();
            if (n < 0 || n > b.length - pos) throw new IOException("corrupt record: length " + n);
            spanned = n;
            return need(n);
        }

        byte[] bytes() throws IOException {
            int at = span();
            return Arrays.copyOfRange(b, at, at + spanned);
        }

        String str() throws IOException {
            int at = span();
            return new String(b, at, spanned, StandardCharsets.UTF_8);
        }

        Map<String, String> map() throws IOException {
            int n = i32();
            if (n < 0 || n > b.length - pos) throw new IOException("corrupt record: map size " + n);
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) m.put(str(), str());
            return m;
        }
    }
}
