package org.mictlanx.server;

import java.time.Duration;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

import org.mictlanx.router.Router;
import org.mictlanx.router.meta.ClusterLease;
import org.mictlanx.s3.notify.EventOutbox;
import org.mictlanx.s3.notify.EventSender;
import org.mictlanx.s3.notify.NotificationTargets;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Event notification targets and the sender of a server, from its settings:
 * {@code notify-webhooks} ({@code ID=URL[,ID=URL]}: webhook targets {@code arn:mictlanx:sqs::ID:webhook}),
 * {@code notify-timeout-seconds} (per delivery, default 10), {@code notify-max-age-hours} (an event
 * undelivered this long is dropped and counted, default 72), {@code notify-interval-ms} (pause
 * between sender passes, default 1000). The sender's cluster lease lasts {@value #LEASE_SECONDS} s.
 */
final class NotifyWiring {

    static final int LEASE_SECONDS = 30;

    private NotifyWiring() {
    }

    static NotificationTargets targets(Settings s) {
        int timeout = s.getInt("notify-timeout-seconds", 10);
        if (timeout < 1) throw new IllegalArgumentException("--notify-timeout-seconds must be at least 1");
        return NotificationTargets.webhooks(s.get("notify-webhooks", ""), Duration.ofSeconds(timeout));
    }

    /** Queues s3:LifecycleExpiration:* events of the lifecycle worker's expirations. */
    static org.mictlanx.s3.lifecycle.LifecycleWorker.Expirations expirations(Router router, Settings s) {
        var xml = new org.mictlanx.s3.xml.S3Xml();
        var recorder = new org.mictlanx.s3.notify.EventRecorder(new org.mictlanx.s3.notify.NotificationConfigs(
                new org.mictlanx.s3.bucketconfig.BucketConfigurations(router.metaTable(), System::nanoTime), xml, targets(s)),
                new EventOutbox(router.metaTable(), System::currentTimeMillis), java.time.Clock.systemUTC(),
                FrontDoorWiring.region(s));
        return recorder::expired;
    }

    static EventSender start(Router router, Settings s, MeterRegistry registry) {
        int maxAge = s.getInt("notify-max-age-hours", 72);
        int interval = s.getInt("notify-interval-ms", 1000);
        if (maxAge < 1) throw new IllegalArgumentException("--notify-max-age-hours must be at least 1");
        if (interval < 10) throw new IllegalArgumentException("--notify-interval-ms must be at least 10");
        ClusterLease cluster = router.clusterLease(EventSender.LEASE, UUID.randomUUID().toString(),
                Duration.ofSeconds(LEASE_SECONDS));
        EventSender sender = new EventSender(new EventOutbox(router.metaTable(), System::currentTimeMillis), targets(s),
                LifecycleWiring.lease(cluster), new EventSender.Settings(Duration.ofMillis(interval),
                Duration.ofHours(maxAge), Duration.ofSeconds(60), 10_000), System::currentTimeMillis);
        gauge(registry, sender, "mictlanx_notify_queued", EventSender.Stats::queued,
                "events waiting for delivery (as last seen by the lease holder, capped at 10000)");
        gauge(registry, sender, "mictlanx_notify_lease_held", st -> st.leaseHeld() ? 1 : 0,
                "1 when this router holds the cluster's notification sender lease");
        counter(registry, sender, "mictlanx_notify_delivered", EventSender.Stats::delivered, "events accepted by their target");
        counter(registry, sender, "mictlanx_notify_failed", EventSender.Stats::failed, "failed delivery attempts (retried)");
        counter(registry, sender, "mictlanx_notify_dropped", EventSender.Stats::dropped,
                "events dropped after notify-max-age-hours undelivered");
        return sender.start();
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
