package org.mictlanx.router.io;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.crypto.CustomerKey;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.crypto.SegmentKeys;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.meta.Slice;

/**
 * Re-wraps segments' data keys (no chunk is touched): under the current master key for what a commit
 * stores ({@link #underCurrentMaster}), or from one key to another for a read or copy under a
 * customer's key ({@link #rewrapSlices}). Each distinct segment of a slice list is re-wrapped once.
 */
public final class SegmentRewrap {

    private final MasterKeys keys;
    private final SegmentKeys segmentKeys;

    /** {@code keys}: the current one names what {@link #underCurrentMaster} re-wraps to. */
    public SegmentRewrap(MasterKeys keys, SegmentKeys segmentKeys) {
        this.keys = keys;
        this.segmentKeys = segmentKeys;
    }

    /**
     * {@code slices} with every data key still wrapped under an older master key wrapped again under
     * the current one (customer- and KMS-wrapped ones, and current ones, as they are): what a commit
     * made from records read before the master re-wrap passed them ({@code MasterRewrap}) stores, so
     * that no new record is left under a master key being retired. Free when nothing is stale.
     */
    public List<Slice> underCurrentMaster(List<Slice> slices) {
        String current = keys.currentId();
        boolean stale = slices.stream().anyMatch(sl -> !SegmentKeys.isCustomer(sl.segment().keyId())
                && !sl.segment().keyId().equals(current));
        if (!stale) return slices;
        Map<String, Segment> done = new HashMap<>();
        List<Slice> out = new ArrayList<>(slices.size());
        for (Slice sl : slices) {
            Segment s = sl.segment();
            if (SegmentKeys.isCustomer(s.keyId()) || s.keyId().equals(current)) {
                out.add(sl);
            } else {
                out.add(new Slice(done.computeIfAbsent(s.id(), id -> rewrap(s, null, null)), sl.offset(), sl.length()));
            }
        }
        return out;
    }

    /** {@code slices} with their segments' data keys unwrapped with {@code from} and wrapped under {@code to} (null: master key). */
    public List<Slice> rewrapSlices(List<Slice> slices, CustomerKey from, CustomerKey to) {
        Map<String, Segment> done = new HashMap<>();
        List<Slice> out = new ArrayList<>(slices.size());
        for (Slice sl : slices) {
            Segment seg = done.computeIfAbsent(sl.segment().id(), id -> rewrap(sl.segment(), from, to));
            out.add(new Slice(seg, sl.offset(), sl.length()));
        }
        return out;
    }

    private Segment rewrap(Segment s, CustomerKey from, CustomerKey to) {
        SecretKey dataKey;
        try {
            dataKey = segmentKeys.unwrap(s.id(), s.keyId(), s.wrappedKey(), from);
        } catch (AEADBadTagException | IllegalStateException e) {
            throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE,
                    "cannot unwrap the data key of segment " + s.id() + ": " + e.getMessage(), null, e);
        }
        SegmentKeys.Wrapped w = segmentKeys.wrap(s.id(), dataKey, to);
        return new Segment(s.id(), s.size(), s.chunkSize(), s.replication(), w.keyId(), w.wrappedKey(), s.inline());
    }
}
