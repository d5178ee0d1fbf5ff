package org.mictlanx.peer.store;

import org.mictlanx.peer.api.MetaRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key and value encoding of records.
 *
 * <p>Key: {@code [len(partition UTF-8): 4 BE][partition UTF-8][sortKey UTF-8]}. The length prefix
 * separates partitions without reserving any byte, so NUL and every other character are allowed, and
 * within one partition keys sort exactly by the UTF-8 bytes of the sort key (bytewise comparator).
 * Value: {@code [flags: 1 (bit 0 = tombstone)][version: 8 BE][writtenAtMillis: 8 BE][value]}.
 */
public final class RecordCodec {
    private static final int VALUE_HEADER = 17;

    private RecordCodec() {
    }

    /** A decoded stored record and the local wall-clock time it was written. */
    public record Stored(MetaRecord record, long writtenAtMillis) {
    }

    public static byte[] partitionPrefix(String partition) {
        byte[] p = partition.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + p.length).putInt(p.length).put(p).array();
    }

    public static byte[] key(String partition, String sortKey) {
        byte[] prefix = partitionPrefix(partition);
        byte[] s = sortKey.getBytes(StandardCharsets.UTF_8);
        byte[] k = Arrays.copyOf(prefix, prefix.length + s.length);
        System.arraycopy(s, 0, k, prefix.length, s.length);
        return k;
    }

    public static byte[] value(MetaRecord r, long writtenAtMillis) {
        return ByteBuffer.allocate(VALUE_HEADER + r.value().length)
                .put((byte) (r.tombstone() ? 1 : 0)).putLong(r.version()).putLong(writtenAtMillis).put(r.value()).array();
    }

    public static Stored decode(byte[] key, byte[] value) {
        ByteBuffer k = ByteBuffer.wrap(key);
        int plen = k.getInt();
        String partition = new String(key, 4, plen, StandardCharsets.UTF_8);
        String sortKey = new String(key, 4 + plen, key.length - 4 - plen, StandardCharsets.UTF_8);
        ByteBuffer v = ByteBuffer.wrap(value);
        boolean tombstone = (v.get() & 1) != 0;
        long version = v.getLong();
        long writtenAt = v.getLong();
        byte[] payload = Arrays.copyOfRange(value, VALUE_HEADER, value.length);
        return new Stored(new MetaRecord(partition, sortKey, version, tombstone, payload), writtenAt);
    }

    public static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
