package org.mictlanx.peer.api;

import java.util.Arrays;

/**
 * A replicated metadata record: an opaque value under (partition, sortKey), versioned for
 * last-writer-wins. Keys are arbitrary UTF-8 strings (any Unicode, NUL included); they are data,
 * never paths.
 *
 * <p>Ordering of versions: a higher {@code version} wins; at equal versions the record whose value
 * compares greater (unsigned lexicographic, tombstone lowest) wins, so every replica converges on the
 * same record whatever the order of arrival.
 *
 * @param version  a hybrid timestamp chosen by the writer (see {@link #newer(MetaRecord)})
 * @param tombstone true for a delete marker; {@code value} is then empty
 * @param value    the opaque payload (the router stores its own encoding here)
 */
public record MetaRecord(String partition, String sortKey, long version, boolean tombstone, byte[] value) {

    public MetaRecord {
        if (partition == null || sortKey == null) throw new IllegalArgumentException("partition and sortKey are required");
        value = value == null ? new byte[0] : value;
    }

    public static MetaRecord tombstone(String partition, String sortKey, long version) {
        return new MetaRecord(partition, sortKey, version, true, new byte[0]);
    }

    /** True when this record wins over {@code other} under last-writer-wins. */
    public boolean newer(MetaRecord other) {
        if (other == null) return true;
        if (version != other.version) return version > other.version;
        if (tombstone != other.tombstone) return !tombstone;
        return Arrays.compareUnsigned(value, other.value) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetaRecord r && partition.equals(r.partition) && sortKey.equals(r.sortKey)
                && version == r.version && tombstone == r.tombstone && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * partition.hashCode() + sortKey.hashCode()) + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "MetaRecord[" + partition + "/" + sortKey + " v" + version + (tombstone ? " tombstone" : " " + value.length + "B") + "]";
    }
}
