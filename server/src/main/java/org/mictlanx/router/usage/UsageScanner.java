package org.mictlanx.router.usage;

import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.router.meta.BallRecord;
import org.mictlanx.router.meta.PartRecord;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.UploadRecord;
import org.mictlanx.router.meta.VersionIds;
import org.mictlanx.router.meta.UsageRecords.Counts;

/** Counts a bucket's usage from its records (quorum scans): stored balls and versions, and the parts of its open uploads. */
public final class UsageScanner {

    private static final int PAGE = 1000;

    private final ReplicatedTable table;

    public UsageScanner(ReplicatedTable table) {
        this.table = table;
    }

    /**
     * Stored versions count, as in S3: every live history record of {@code _mx.ver.<bucket>} but delete
     * markers, plus the latest records without a version id (balls written while the bucket was
     * unversioned; a versioned latest record copies a history record already counted).
     */
    public Counts count(String bucket) {
        long[] balls = new long[2];
        scan(bucket, r -> {
            BallRecord b = BallRecord.decode(r.value());
            if (b.versionId() == null && !b.deleteMarker()) {
                balls[0] += b.size();
                balls[1]++;
            }
        });
        scan(VersionIds.partition(bucket), r -> {
            BallRecord b = BallRecord.decode(r.value());
            if (!b.deleteMarker()) {
                balls[0] += b.size();
                balls[1]++;
            }
        });
        long bytes = balls[0];
        long objects = balls[1];
        long uploadBytes = 0;
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(UploadRecord.partition(bucket), null, after, PAGE, false);
            for (MetaRecord r : page.records()) uploadBytes += parts(UploadRecord.decode(r.value()).uploadId());
            if (!page.more() || page.records().isEmpty()) break;
            after = page.records().get(page.records().size() - 1).sortKey();
        }
        return new Counts(bytes, objects, uploadBytes);
    }

    private void scan(String partition, java.util.function.Consumer<MetaRecord> each) {
        String after = null;
        while (true) {
            ReplicatedTable.Page page = table.scan(partition, null, after, PAGE, false);
            page.records().forEach(each);
            if (!page.more() || page.records().isEmpty()) return;
            after = page.records().get(page.records().size() - 1).sortKey();
        }
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
