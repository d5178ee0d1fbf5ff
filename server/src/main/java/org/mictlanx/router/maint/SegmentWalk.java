package org.mictlanx.router.maint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.PartRecord;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.Segment;
import org.mictlanx.router.meta.Slice;
import org.mictlanx.router.meta.UploadRecord;

/**
 * Every segment something refers to, a page at a time: the balls of a bucket, then the parts of each
 * of its uploads in progress (a part's chunks are owed before the upload completes). Full repair
 * passes and online peer rebuilds walk the same set. Memory is bounded by one page of records.
 */
final class SegmentWalk {

    static final int PAGE = 500;

    private final ReplicatedTable table;

    SegmentWalk(ReplicatedTable table) {
        this.table = table;
    }

    /** Gives {@code check} the segments of each page of balls of {@code bucket}, then of each upload's parts. */
    void walk(String bucket, Consumer<List<Segment>> check) {
        forEachPage(table, bucket, records -> {
            List<Segment> segments = new ArrayList<>();
            for (MetaRecord r : records) segments.addAll(BallRecord.decode(r.value()).segments());
            check.accept(segments);
        });
        forEachPage(table, UploadRecord.partition(bucket), uploads -> {
            for (MetaRecord u : uploads) {
                forEachPage(table, UploadRecord.partsPartition(UploadRecord.uploadIdOf(u.sortKey())), parts -> {
                    Map<String, Segment> segments = new LinkedHashMap<>(); // parts may share a segment (slices)
                    for (MetaRecord p : parts) {
                        for (Slice sl : PartRecord.decode(p.value()).slices()) segments.putIfAbsent(sl.segment().id(), sl.segment());
                    }
                    check.accept(new ArrayList<>(segments.values()));
                });
            }
        });
    }

    /** Each page of the live records of {@code partition}, merged from a read quorum. */
    static void forEachPage(ReplicatedTable table, String partition, Consumer<List<MetaRecord>> page) {
        String after = null;
        while (true) {
            ReplicatedTable.Page p = table.scan(partition, null, after, PAGE, false);
            page.accept(p.records());
            if (!p.more() || p.records().isEmpty()) return;
            after = p.records().get(p.records().size() - 1).sortKey();
        }
    }
}
