package org.mictlanx.peer.store;

import org.mictlanx.peer.api.MetaRecord;

import java.util.List;
import java.util.Optional;

/**
 * Durable last-writer-wins map from (partition, sortKey) to {@link MetaRecord}.
 *
 * <p>Invariants: a stored record is only ever replaced by one that is {@link MetaRecord#newer newer};
 * sort keys within a partition are ordered by their UTF-8 bytes (unsigned); any string, NUL included,
 * is a valid partition or sort key. Tombstones are kept with the wall-clock time they were written
 * and disappear only through {@link #purgeTombstones(long)}.
 */
public interface RecordStore extends AutoCloseable {

    /** Applies the record under LWW; true when it is now (or already was) the stored version. */
    boolean put(MetaRecord record);

    /**
     * Stores the record iff the stored version under its key is {@code expectedVersion}
     * ({@code PeerApi.ABSENT}: nothing stored), atomically; bypasses last-writer-wins.
     */
    boolean putIf(MetaRecord record, long expectedVersion);

    /** Applies all records atomically in one durable write, each under LWW; one result per record. */
    List<Boolean> putAll(List<MetaRecord> records);

    Optional<MetaRecord> get(String partition, String sortKey);

    /** See {@link org.mictlanx.peer.api.PeerApi#scanRecords}. */
    List<MetaRecord> scan(String partition, String prefix, String startAfter, int limit);

    /** Deletes tombstones written before {@code cutoffMillis} (epoch millis); returns how many. */
    int purgeTombstones(long cutoffMillis);

    /** Number of stored records, tombstones included. */
    long count();

    @Override
    void close();
}
