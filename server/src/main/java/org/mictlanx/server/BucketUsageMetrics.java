package org.mictlanx.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.mictlanx.router.BucketUsage;
import org.mictlanx.router.BucketUsages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Per-bucket usage gauges, collected at scrape time from {@link BucketUsages#all()} (one scan of the
 * usage records, at most once per {@link #MAX_AGE} whatever the scrape rate):
 * {@code mictlanx_bucket_bytes}, {@code mictlanx_bucket_objects}, {@code mictlanx_bucket_upload_bytes}
 * and {@code mictlanx_bucket_quota_bytes} (buckets with a quota), labelled {@code bucket}, plus
 * {@code mictlanx_buckets}. Cardinality is bounded by the {@code metrics-bucket-limit} setting: the
 * largest buckets by bytes get their own series, the others are summed under {@code bucket="_other"}
 * (no bucket name starts with '_'); 0 keeps only the totals under {@code _other}.
 */
final class BucketUsageMetrics implements MultiCollector {

    private static final Logger LOG = LoggerFactory.getLogger(BucketUsageMetrics.class);
    static final Duration MAX_AGE = Duration.ofSeconds(10);
    static final int DEFAULT_LIMIT = 100;
    static final String OTHER = "_other";
    private static final List<String> NAMES = List.of("mictlanx_buckets", "mictlanx_bucket_bytes", "mictlanx_bucket_objects",
            "mictlanx_bucket_upload_bytes", "mictlanx_bucket_quota_bytes");

    private final BucketUsages usages;
    private final int limit;
    private List<BucketUsage> last;
    private long takenAt = Long.MIN_VALUE;

    BucketUsageMetrics(BucketUsages usages, int limit) {
        if (limit < 0) throw new IllegalArgumentException("--metrics-bucket-limit must not be negative");
        this.usages = usages;
        this.limit = limit;
    }

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
    }

    @Override
    public MetricSnapshots collect() {
        List<BucketUsage> all = current();
        if (all == null) return new MetricSnapshots(List.of());
        List<BucketUsage> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingLong(BucketUsage::totalBytes).reversed().thenComparing(BucketUsage::bucket));
        GaugeSnapshot.Builder bytes = gauge("mictlanx_bucket_bytes", "bytes of the bucket's stored objects");
        GaugeSnapshot.Builder objects = gauge("mictlanx_bucket_objects", "objects stored in the bucket");
        GaugeSnapshot.Builder uploads = gauge("mictlanx_bucket_upload_bytes", "bytes of parts of the bucket's open multipart uploads");
        GaugeSnapshot.Builder quotas = gauge("mictlanx_bucket_quota_bytes", "the bucket's hard quota");
        long otherBytes = 0;
        long otherObjects = 0;
        long otherUploads = 0;
        for (int i = 0; i < sorted.size(); i++) {
            BucketUsage u = sorted.get(i);
            if (i >= limit) {
                otherBytes += u.bytes();
                otherObjects += u.objects();
                otherUploads += u.uploadBytes();
                continue;
            }
            Labels l = Labels.of("bucket", u.bucket());
            bytes.dataPoint(point(u.bytes(), l));
            objects.dataPoint(point(u.objects(), l));
            uploads.dataPoint(point(u.uploadBytes(), l));
            if (u.quotaBytes() >= 0) quotas.dataPoint(point(u.quotaBytes(), l));
        }
        if (sorted.size() > limit) {
            Labels l = Labels.of("bucket", OTHER);
            bytes.dataPoint(point(otherBytes, l));
            objects.dataPoint(point(otherObjects, l));
            uploads.dataPoint(point(otherUploads, l));
        }
        GaugeSnapshot count = gauge("mictlanx_buckets", "buckets").dataPoint(point(sorted.size(), Labels.EMPTY)).build();
        return new MetricSnapshots(List.of(count, bytes.build(), objects.build(), uploads.build(), quotas.build()));
    }

    /** The figures of the last scan, taken again when older than {@link #MAX_AGE}; null when none could be read. */
    private synchronized List<BucketUsage> current() {
        long now = System.nanoTime();
        if (last == null || takenAt == Long.MIN_VALUE || now - takenAt > MAX_AGE.toNanos()) {
            try {
                last = usages.all();
            } catch (RuntimeException e) {
                LOG.debug("bucket usage for /metrics: {}", e.toString());
            }
            takenAt = now;
        }
        return last;
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(double v, Labels l) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().value(v).labels(l).build();
    }
}
