package org.mictlanx.server;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

import org.mictlanx.router.Router;
import org.mictlanx.router.meta.ClusterLease;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.lifecycle.LifecycleConfigs;
import org.mictlanx.s3.lifecycle.LifecycleWorker;
import org.mictlanx.s3.xml.S3Xml;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Starts the lifecycle worker of a server from its settings and exposes its progress as metrics.
 * Settings: {@code lifecycle-scan-interval-seconds} (pause between passes, default 600),
 * {@code lifecycle-actions-per-second} (pace of expirations/aborts/page reads, default 100) and,
 * for tests only, {@code lifecycle-seconds-per-day} (how long a lifecycle day is; default 86400,
 * a real day). The cluster lease lasts {@code lifecycle-lease-seconds} (default {@value #LEASE_SECONDS},
 * at least 2) and is renewed at half of it, so a dead router's work is taken over within that plus
 * one scan interval; a shorter lease hands over sooner at the cost of more metadata writes (one
 * renewal per half lease), a longer one tolerates longer pauses of the holder (GC, a slow peer).
 */
final class LifecycleWiring {

    static final int LEASE_SECONDS = 30;

    private LifecycleWiring() {
    }

    /** How long a lifecycle day is, from {@code lifecycle-seconds-per-day}. */
    static long dayMillis(Settings s) {
        int seconds = s.getInt("lifecycle-seconds-per-day", 86_400);
        if (seconds < 1) throw new IllegalArgumentException("--lifecycle-seconds-per-day must be at least 1");
        return seconds * 1000L;
    }

    static LifecycleWorker start(Router router, Settings s, MeterRegistry registry) {
        int interval = s.getInt("lifecycle-scan-interval-seconds", 600);
        int pace = s.getInt("lifecycle-actions-per-second", 100);
        if (interval < 1) throw new IllegalArgumentException("--lifecycle-scan-interval-seconds must be at least 1");
        if (pace < 1) throw new IllegalArgumentException("--lifecycle-actions-per-second must be at least 1");
        int leaseSeconds = s.getInt("lifecycle-lease-seconds", LEASE_SECONDS);
        if (leaseSeconds < 2) throw new IllegalArgumentException("--lifecycle-lease-seconds must be at least 2");
        Duration lease = Duration.ofSeconds(leaseSeconds);
        ClusterLease cluster = router.lifecycleLease(LifecycleWorker.LEASE, UUID.randomUUID().toString(), lease);
        LifecycleWorker worker = new LifecycleWorker(router,
                new LifecycleConfigs(new BucketConfigurations(router.metaTable(), System::nanoTime), new S3Xml()),
                lease(cluster), new LifecycleWorker.Settings(Duration.ofSeconds(interval), dayMillis(s), pace, lease),
                Clock.systemUTC(), NotifyWiring.expirations(router, s));
        bind(worker, registry);
        return worker.start();
    }

    /** The worker's view of a cluster lease. */
    static LifecycleWorker.Lease lease(ClusterLease cluster) {
        return new LifecycleWorker.Lease() {
            @Override
            public boolean acquire() {
                return cluster.acquire();
            }

            @Override
            public long heldFor() {
                return cluster.heldFor();
            }

            @Override
            public void release() {
                cluster.release();
            }
        };
    }

    /** Counters (exported with Prometheus' {@code _total} suffix) and two gauges of the worker's progress. */
    static void bind(LifecycleWorker worker, MeterRegistry registry) {
        gauge(registry, worker, "mictlanx_lifecycle_lease_held", st -> st.leaseHeld() ? 1 : 0,
                "1 when this router holds the cluster's lifecycle lease");
        gauge(registry, worker, "mictlanx_lifecycle_running", st -> st.running() ? 1 : 0, "1 while a pass runs here");
        counter(registry, worker, "mictlanx_lifecycle_passes", LifecycleWorker.Stats::passes, "completed lifecycle passes");
        counter(registry, worker, "mictlanx_lifecycle_balls_scanned", LifecycleWorker.Stats::ballsScanned, "current balls examined");
        counter(registry, worker, "mictlanx_lifecycle_versions_scanned", LifecycleWorker.Stats::versionsScanned, "versions examined");
        counter(registry, worker, "mictlanx_lifecycle_uploads_scanned", LifecycleWorker.Stats::uploadsScanned, "open uploads examined");
        counter(registry, worker, "mictlanx_lifecycle_expired", LifecycleWorker.Stats::expired,
                "current versions expired (deleted, or hidden by a delete marker)");
        counter(registry, worker, "mictlanx_lifecycle_delete_markers_added", LifecycleWorker.Stats::deleteMarkersAdded,
                "delete markers added by expiring current versions of versioned buckets");
        counter(registry, worker, "mictlanx_lifecycle_noncurrent_expired", LifecycleWorker.Stats::noncurrentExpired,
                "noncurrent versions removed");
        counter(registry, worker, "mictlanx_lifecycle_delete_markers_removed", LifecycleWorker.Stats::deleteMarkersRemoved,
                "expired delete markers removed");
        counter(registry, worker, "mictlanx_lifecycle_uploads_aborted", LifecycleWorker.Stats::uploadsAborted,
                "incomplete multipart uploads aborted");
        counter(registry, worker, "mictlanx_lifecycle_locked_kept", LifecycleWorker.Stats::lockedKept,
                "versions due but kept by retention or legal hold");
        counter(registry, worker, "mictlanx_lifecycle_errors", LifecycleWorker.Stats::errors, "passes stopped by an error");
    }

    private static void gauge(MeterRegistry registry, LifecycleWorker worker, String name,
                              ToDoubleFunction<LifecycleWorker.Stats> f, String description) {
        Gauge.builder(name, worker, w -> f.applyAsDouble(w.stats())).strongReference(true).description(description).register(registry);
    }

    /** Micrometer holds the worker weakly here; the server keeps it (its closeables) for its whole life. */
    private static void counter(MeterRegistry registry, LifecycleWorker worker, String name,
                                ToDoubleFunction<LifecycleWorker.Stats> f, String description) {
        FunctionCounter.builder(name, worker, w -> f.applyAsDouble(w.stats())).description(description)
                .register(registry);
    }
}
