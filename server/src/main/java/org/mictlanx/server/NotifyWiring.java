package org.mictlanx.server;

import java.time.Duration;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

import org.mictlanx.router.Router;
import org.mictlanx.router.meta.ClusterLease;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.notify.EventOutbox;
import org.mictlanx.s3.notify.EventRecorder;
import org.mictlanx.s3.notify.EventSender;
import org.mictlanx.s3.notify.NotificationConfigs;
import org.mictlanx.s3.notify.NotificationTargets;
import org.mictlanx.s3.notify.TargetRegistry;
import org.mictlanx.s3.xml.S3Xml;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Event notification targets and the sender of a server, from its settings:
 * {@code notify-webhooks} ({@code ID=URL[,ID=URL]}: webhook targets {@code arn:mictlanx:sqs::ID:webhook}),
 * {@code notify-timeout-seconds} (per delivery, default 10), {@code notify-max-age-hours} (an event
 * undelivered this long is dropped and counted, default 72), {@code notify-interval-ms} (pause
 * between sender passes, default 1000), {@code notify-intent-seconds} (a write's notification intent
 * still pending this long, its router presumably dead, is resolved from what was committed; default
 * {@value #INTENT_SECONDS}, 60 to 86400: it must outlast the longest write). The sender's cluster lease
 * lasts {@value #LEASE_SECONDS} s.
 * Targets added with {@code mictlanx admin notify target add} come from the replicated metadata
 * ({@link TargetRegistry}).
 */
final class NotifyWiring {

    static final int LEASE_SECONDS = 30;
    /** Default of {@code notify-intent-seconds}: a write intent still pending this long is resolved (longer than a write takes). */
    static final int INTENT_SECONDS = 600;
    static final int SWEEP_PER_TICK = 1000;
    static final int LANE_BATCH = 100;

    private NotifyWiring() {
    }

    static NotificationTargets targets(Settings s) {
        int timeout = s.getInt("notify-timeout-seconds", 10);
        if (timeout < 1) throw new IllegalArgumentException("--notify-timeout-seconds must be at least 1");
        return NotificationTargets.webhooks(s.get("notify-webhooks", ""), Duration.ofSeconds(timeout));
    }

    /** Every target of this router: the settings' plus those added through the admin API (replicated metadata). */
    static TargetRegistry registry(Router router, Settings s) {
        return new TargetRegistry(router.metaTable(), targets(s), System::nanoTime);
    }

    private static EventRecorder recorder(Router router, Settings s) {
        return new EventRecorder(router, new NotificationConfigs(new BucketConfigurations(router.metaTable(), System::nanoTime),
                new S3Xml(), registry(router, s)), new EventOutbox(router.metaTable(), System::currentTimeMillis),
                java.time.Clock.systemUTC(), FrontDoorWiring.region(s));
    }

    /** Queues s3:LifecycleExpiration:* events of the lifecycle worker's expirations. */
    static org.mictlanx.s3.lifecycle.LifecycleWorker.Expirations expirations(Router router, Settings s) {
        return recorder(router, s)::expired;
    }

    static EventSender start(Router router, Settings s, MeterRegistry registry, TargetRegistry targets) {
        int maxAge = s.getInt("notify-max-age-hours", 72);
        int interval = s.getInt("notify-interval-ms", 1000);
        if (maxAge < 1) throw new IllegalArgumentException("--notify-max-age-hours must be at least 1");
        if (interval < 10) throw new IllegalArgumentException("--notify-interval-ms must be at least 10");
        Duration intentAfter = Duration.ofSeconds(intentSeconds(s));
        ClusterLease cluster = router.clusterLease(EventSender.LEASE, UUID.randomUUID().toString(),
                Duration.ofSeconds(LEASE_SECONDS));
        EventSender sender = new EventSender(new EventOutbox(router.metaTable(), System::currentTimeMillis), targets,
                LifecycleWiring.lease(cluster), new EventSender.Settings(Duration.ofMillis(interval),
                Duration.ofHours(maxAge), Duration.ofSeconds(60), SWEEP_PER_TICK, intentAfter, LANE_BATCH),
                System::currentTimeMillis, recorder(router, s)::resolve);
        gauge(registry, sender, "mictlanx_notify_queued", EventSender.Stats::queued,
                "events waiting for delivery, counted by the lease holder's last complete sweep of the queue");
        gauge(registry, sender, "mictlanx_notify_lease_held", st -> st.leaseHeld() ? 1 : 0,
                "1 when this router holds the cluster's notification sender lease");
        gauge(registry, sender, "mictlanx_notify_lanes_busy", EventSender.Stats::lanesBusy,
                "targets being delivered to right now (a stalled target keeps its lane busy)");
        counter(registry, sender, "mictlanx_notify_delivered", EventSender.Stats::delivered, "events accepted by their target");
        counter(registry, sender, "mictlanx_notify_failed", EventSender.Stats::failed, "failed delivery attempts (retried)");
        counter(registry, sender, "mictlanx_notify_dropped", EventSender.Stats::dropped,
                "events dropped after notify-max-age-hours undelivered");
        counter(registry, sender, "mictlanx_notify_pending_resolved", EventSender.Stats::pendingResolved,
                "write intents left by a router that died before queuing their events, resolved from what was committed");
        return sender.start();
    }

    /** {@code notify-intent-seconds}: 60 to 86400 (default {@value #INTENT_SECONDS}). */
    static int intentSeconds(Settings s) {
        int seconds = s.getInt("notify-intent-seconds", INTENT_SECONDS);
        if (seconds < 60 || seconds > 86_400) {
            throw new IllegalArgumentException("--notify-intent-seconds must be between 60 and 86400 (longer than any write takes)");
        }
        return seconds;
    }

    private static void gauge(MeterRegistry registry, EventSender sender, String name,
                              ToDoubleFunction<EventSender.Stats> f, String description) {
        Gauge.builder(name, sender, w -> f.applyAsDouble(w.stats())).strongReference(true).description(description).register(registry);
    }

    private static void counter(MeterRegistry registry, EventSender sender, String name,
                                ToDoubleFunction<EventSender.Stats> f, String description) {
        FunctionCounter.builder(name, sender, w -> f.applyAsDouble(w.stats())).description(description).register(registry);
    }
}
