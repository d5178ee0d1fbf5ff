package org.mictlanx.router.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.mictlanx.router.crypto.BuiltInKeyService.KeyRecord;
import org.mictlanx.router.crypto.BuiltInKeyService.Version;

/**
 * The stored form of a {@link KeyRecord} of the built-in key service (the value of its record in
 * partition {@value BuiltInKeyService#PARTITION}): a format byte, then id, description, enabled flag,
 * creation time and every version (number, master key id, wrapped material, creation time); format
 * {@value #FORMAT_V2} adds the deletion date (0: none) and the alias ("" none).
 *
 * <p>Only the wrapped material is stored: this codec never sees a key in the clear. {@link #decode}
 * reads both formats (records written before format 2 decode with no deletion date and no alias) and
 * refuses a record it cannot read whole with {@link UncheckedIOException}, never a partial key.
 */
final class KeyRecordCodec {

    static final int FORMAT_V1 = 1;
    /** Format 1 plus the deletion date (0: none) and the alias ("" none). */
    static final int FORMAT_V2 = 2;

    private KeyRecordCodec() {
    }

    /** The record in the current format ({@value #FORMAT_V2}). */
    static byte[] encode(KeyRecord r) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT_V2);
            out.writeUTF(r.keyId());
            out.writeUTF(r.description());
            out.writeBoolean(r.enabled());
            out.writeLong(r.createdMillis());
            out.writeInt(r.versions().size());
            for (Version v : r.versions()) {
                out.writeInt(v.version());
                out.writeUTF(v.masterKeyId());
                out.writeInt(v.wrapped().length);
                out.write(v.wrapped());
                out.writeLong(v.createdMillis());
            }
            out.writeLong(r.deletionMillis());
            out.writeUTF(r.alias());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KeyRecord decode(byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            int format = in.readUnsignedByte();
            if (format != FORMAT_V1 && format != FORMAT_V2) throw new IOException("unknown key record format " + format);
            String id = in.readUTF();
            String description = in.readUTF();
            boolean enabled = in.readBoolean();
            long created = in.readLong();
            int n = in.readInt();
            if (n < 1 || n > 100_000) throw new IOException("corrupt version count");
            List<Version> versions = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int version = in.readInt();
                String mk = in.readUTF();
                int len = in.readInt();
                if (len < 0 || len > 1024) throw new IOException("corrupt wrapped key");
                byte[] wrapped = in.readNBytes(len);
                versions.add(new Version(version, mk, wrapped, in.readLong()));
            }
            if (format == FORMAT_V1) return new KeyRecord(id, description, enabled, created, versions);
            long deletion = in.readLong();
            return new KeyRecord(id, description, enabled, created, versions, deletion, in.readUTF());
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt key record", e);
        }
    }
}
