package org.mictlanx.router.meta;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    static final class In {
        private final DataInputStream in;

        In(byte[] b) {
            in = new DataInputStream(new ByteArrayInputStream(b));
        }

        int u8() throws IOException {
            return in.readUnsignedByte();
        }

        int i32() throws IOException {
            return in.readInt();
        }

        long i64() throws IOException {
            return in.readLong();
        }

        byte[] bytes() throws IOException {
            int n = in.readInt();
            if (n < 0 || n > in.available()) throw new IOException("corrupt record: length " + n);
            return in.readNBytes(n);
        }

        String str() throws IOException {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Map<String, String> map() throws IOException {
            int n = i32();
            if (n < 0 || n > in.available()) throw new IOException("corrupt record: map size " + n);
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) m.put(str(), str());
            return m;
        }
    }
}
