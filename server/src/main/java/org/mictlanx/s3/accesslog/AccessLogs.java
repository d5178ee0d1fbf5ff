package org.mictlanx.s3.accesslog;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.PutBall;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.xml.S3Xml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server access logging: every request to a bucket with logging on becomes one line of S3's server
 * access log format ({@link AccessLogRecord}), buffered in memory per target bucket and prefix, and
 * written by a background flusher as an object {@code TargetPrefix + yyyy-MM-dd-HH-mm-ss-UNIQUE} into the
 * target bucket every {@code flushInterval}, or sooner when a target's buffer reaches
 * {@code maxObjectBytes}. Memory is bounded by {@code maxBufferedBytes} over all targets: past it
 * records are dropped and counted. Durability is "best effort", as S3's own: lines buffered but not yet
 * flushed (at most one interval's) are lost if the router process dies; a clean shutdown flushes them.
 * A failed flush is retried at the next tick while the bound allows.
 */
public final class AccessLogs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccessLogs.class);
    private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Flush pace and bounds. */
    public record Settings(Duration flushInterval, long maxObjectBytes, long maxBufferedBytes) {
        public Settings {
            if (flushInterval.toMillis() < 1 || maxObjectBytes < 1 || maxBufferedBytes < maxObjectBytes) {
                throw new IllegalArgumentException("invalid access log settings");
            }
        }
    }

    /** Where a bucket's records go. */
    private record Target(String bucket, String prefix) {
    }

    private final BallStore store;
    private final BucketConfigurations configs;
    private final S3Xml xml;
    private final Settings settings;
    private final Clock clock;
    private final ScheduledExecutorService flusher;
    private final Map<Target, StringBuilder> buffers = new HashMap<>();
    private long buffered;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong objects = new AtomicLong();

    public AccessLogs(BallStore store, BucketConfigurations configs, S3Xml xml, Settings settings, Clock clock) {
        this.store = store;
        this.configs = configs;
        this.xml = xml;
        this.settings = settings;
        this.clock = clock;
        this.flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("access-log").factory());
    }

    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

    /** The flusher ticks from the first record on (a front door whose buckets never log runs no timer). */
    private void startTicking() {
        if (started.compareAndSet(false, true)) {
            long every = settings.flushInterval().toMillis();
            flusher.scheduleWithFixedDelay(this::flushAll, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Records lines written, dropped (over the memory bound) and log objects stored. */
    public record Stats(long lines, long dropped, long objects) {
    }

    public Stats stats() {
        return new Stats(written.get(), dropped.get(), objects.get());
    }

    /** Whether {@code bucket} logs; from the 2 s configuration cache. */
    public Optional<String[]> target(BucketInfo bucket) {
        return configs.recent(bucket, BucketConfigurations.Kind.LOGGING)
                .map(d -> xml.read(d, BucketLoggingStatus.class).loggingEnabled())
                .map(on -> new String[] {on.targetBucket(), on.targetPrefix()});
    }

    /** Buffers one record of a request to {@code bucket}, if it logs. Never throws. */
    public void record(BucketInfo bucket, AccessLogRecord record) {
        try {
            Optional<String[]> t = target(bucket);
            if (t.isEmpty()) return;
            startTicking();
            String line = record.line() + "\n";
            Target target = new Target(t.get()[0], t.get()[1]);
            boolean full;
            synchronized (buffers) {
                if (buffered + line.length() > settings.maxBufferedBytes()) {
                    dropped.incrementAndGet();
                    return;
                }
                StringBuilder b = buffers.computeIfAbsent(target, k -> new StringBuilder());
                b.append(line);
                buffered += line.length();
                written.incrementAndGet();
                full = b.length() >= settings.maxObjectBytes();
            }
            if (full && !flusher.isShutdown()) flusher.execute(() -> flush(target));
        } catch (RuntimeException e) {
            LOG.debug("access log record failed: {}", e.toString());
        }
    }

    /** Writes every buffered target now (also called by tests). */
    public void flushAll() {
        List<Target> targets;
        synchronized (buffers) {
            targets = new ArrayList<>(buffers.keySet());
        }
        for (Target t : targets) flush(t);
    }

    private void flush(Target t) {
        String text;
        synchronized (buffers) {
            StringBuilder b = buffers.remove(t);
            if (b == null || b.isEmpty()) return;
            text = b.toString();
            buffered -= text.length();
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String key = t.prefix() + KEY_TIME.format(clock.instant()) + "-"
                + "%016X".formatted(ThreadLocalRandom.current().nextLong());
        try {
            store.putBall(new PutBall(t.bucket(), key, bytes.length, Map.of("Content-Type", "text/plain"), Map.of(),
                    Set.of(), null, null, Map.of(), null, null), new ByteArrayInputStream(bytes));
            objects.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.warn("access log object for {} not written, kept for the next flush: {}", t.bucket(), e.toString());
            synchronized (buffers) {
                if (buffered + text.length() <= settings.maxBufferedBytes()) {
                    buffers.computeIfAbsent(t, k -> new StringBuilder()).insert(0, text);
                    buffered += text.length();
                } else {
                    dropped.addAndGet(text.lines().count());
                }
            }
        }
    }

    /** Flushes what is buffered and stops. */
    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushAll();
    }
}
