package org.mictlanx.router.usage;

import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.PartRecord;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.UploadRecord;
import org.mictlanx.router.meta.UsageRecords.Counts;

/** Counts a bucket's usage from its records (quorum scans): live balls, and the parts of its open uploads. */
public final class UsageScanner {

    private static final int PAGE = 1000;

    private final ReplicatedTable table;

    public UsageScanner(ReplicatedTable table) {
        this.table = table;
    }

    public Counts count(String bucket) {
        long bytes = 0;
        long objects = 0;
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(bucket, null, after, PAGE, false);
            for (MetaRecord r : page.records()) {
                bytes += BallRecord.decode(r.value()).size();
                objects++;
            }
            if (!page.more() || page.records().isEmpty()) break;
            after = page.records().get(page.records().size() - 1).sortKey();
        }
        long uploadBytes = 0;
        after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(UploadRecord.partition(bucket), null, after, PAGE, false);
            for (MetaRecord r : page.records()) uploadBytes += parts(UploadRecord.decode(r.value()).uploadId());
            if (!page.more() || page.records().isEmpty()) break;
            after = page.records().get(page.records().size() - 1).sortKey();
        }
        return new Counts(bytes, objects, uploadBytes);
    }

    private long parts(String uploadId) {
        long sum = 0;
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(UploadRecord.partsPartition(uploadId), null, after, PAGE, false);
            for (MetaRecord r : page.records()) sum += PartRecord.decode(r.value()).size();
            if (!page.more() || page.records().isEmpty()) return sum;
            after = page.records().get(page.records().size() - 1).sortKey();
        }
    }
}
