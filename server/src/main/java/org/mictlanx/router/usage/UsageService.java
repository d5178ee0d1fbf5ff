package org.mictlanx.router.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.BucketUsage;
import org.mictlanx.router.BucketUsages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link BucketUsages} over the ledger, the record scanner and the bucket list. */
public final class UsageService implements BucketUsages {

    private static final Logger LOG = LoggerFactory.getLogger(UsageService.class);

    private final UsageLedger ledger;
    private final UsageScanner scanner;
    private final BucketDirectory buckets;

    public UsageService(UsageLedger ledger, UsageScanner scanner, BucketDirectory buckets) {
        this.ledger = ledger;
        this.scanner = scanner;
        this.buckets = buckets;
    }

    @Override
    public BucketUsage usage(String bucket) {
        buckets.require(bucket);
        return ledger.usage(bucket);
    }

    @Override
    public List<BucketUsage> all() {
        Map<String, BucketUsage> accounted = ledger.all();
        List<BucketUsage> out = new ArrayList<>();
        for (BucketInfo b : buckets.list()) {
            out.add(accounted.getOrDefault(b.name(), new BucketUsage(b.name(), 0, 0, 0, -1)));
        }
        return out;
    }

    @Override
    public void setQuota(String bucket, long bytes) {
        buckets.require(bucket);
        ledger.setQuota(bucket, bytes);
    }

    @Override
    public void clearQuota(String bucket) {
        buckets.require(bucket);
        ledger.clearQuota(bucket);
    }

    @Override
    public Recount recount(String bucket) {
        buckets.require(bucket);
        UsageLedger.Recount r = ledger.recount(bucket, () -> scanner.count(bucket));
        if (r.before().bytes() != r.after().bytes() || r.before().objects() != r.after().objects()
                || r.before().uploadBytes() != r.after().uploadBytes()) {
            LOG.info("usage recount of bucket {} corrected {} bytes / {} objects / {} upload bytes to {} / {} / {}", bucket,
                    r.before().bytes(), r.before().objects(), r.before().uploadBytes(), r.after().bytes(), r.after().objects(),
                    r.after().uploadBytes());
        }
        return new Recount(r.before(), r.after());
    }

    /** Recounts every bucket (the periodic maintenance step); a bucket that fails is retried next time. */
    public void recountAll() {
        for (BucketInfo b : buckets.list()) {
            try {
                recount(b.name());
            } catch (RuntimeException e) {
                LOG.warn("usage recount of bucket {} failed: {}", b.name(), e.toString());
            }
        }
    }
}
