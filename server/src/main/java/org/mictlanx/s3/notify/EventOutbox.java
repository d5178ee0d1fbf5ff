package org.mictlanx.s3.notify;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.mictlanx.router.MetaTable;

/**
 * The durable queue of undelivered events: records of the replicated metadata (quorum writes, so an
 * event survives the router that wrote it), partition {@value #PARTITION}. Two kinds of record:
 * <ul>
 *   <li>an event ready for delivery: sort key {@code "q\n" + target ARN + "\n" + 16 hex digits of
 *       sequence + "-" + writer id}, value = the event JSON. Each target's events form one key range
 *       in commit order, so each target is drained on its own ({@link EventSender}'s lanes);</li>
 *   <li>a pending intent ({@link EventIntent}): sort key {@code "p\n" + sequence + "-" + writer},
 *       written before a write that may cause events starts, removed once its events are queued (or
 *       the write failed). One left behind means the router died in between; the sender resolves it
 *       from what was committed ({@link EventSender.PendingResolver}).</li>
 * </ul>
 * Sequences are (epoch millis &lt;&lt; 16 | per-writer counter), so the order is the order the events
 * were committed in (exactly for one router; to the millisecond across routers, and a key is written
 * under its guard by one router at a time).
 */
public final class EventOutbox {

    /** The metadata partition. */
    public static final String PARTITION = "s3.notify-outbox";
    static final String READY = "q\n";
    static final String PENDING = "p\n";

    /** One queued event. */
    public record Entry(String sortKey, long sequence, String arn, byte[] json) {
        /** When the event was queued (epoch millis). */
        public long queuedAt() {
            return sequence >>> 16;
        }
    }

    /** One pending intent. */
    public record Pending(String sortKey, long sequence, byte[] intent) {
        /** When the intent was written (epoch millis). */
        public long writtenAt() {
            return sequence >>> 16;
        }
    }

    private final MetaTable table;
    private final LongSupplier nowMillis;
    private final String writer = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong last = new AtomicLong();

    public EventOutbox(MetaTable table, LongSupplier nowMillis) {
        this.table = table;
        this.nowMillis = nowMillis;
    }

    /** A new sequence, strictly increasing in this process and roughly in time across processes. */
    public long nextSequence() {
        long base = nowMillis.getAsLong() << 16;
        return last.updateAndGet(prev -> Math.max(prev + 1, base));
    }

    /** Queues {@code json} for {@code arn} under {@code sequence}; returns once a write quorum stored it. */
    public void append(long sequence, String arn, byte[] json) {
        commit(List.of(new Ready(sequence, arn, json)), List.of());
    }

    /** An event about to be queued. */
    public record Ready(long sequence, String arn, byte[] json) {
    }

    /**
     * Queues {@code events} and removes the pending intents {@code settled} (sort keys from
     * {@link #pend}) in one write of the metadata (atomic per replica, {@link MetaTable#writeOwn}): the
     * events of a write and the removal of its intent cost one round trip. Returns once a write quorum
     * stored it.
     */
    public void commit(List<Ready> events, List<String> settled) {
        if (events.isEmpty() && settled.isEmpty()) return;
        java.util.Map<String, byte[]> puts = new java.util.LinkedHashMap<>();
        for (Ready e : events) puts.put(READY + e.arn() + "\n" + "%016x-%s".formatted(e.sequence(), writer), e.json());
        table.writeOwn(PARTITION, puts, settled);
    }

    /** Up to {@code limit} events of {@code arn} after {@code startAfter} ("" from the start), oldest first. */
    public List<Entry> page(String arn, String startAfter, int limit) {
        return table.scan(PARTITION, READY + arn + "\n", startAfter, limit).stream().map(EventOutbox::entry).toList();
    }

    /** Up to {@code limit} events of every target after {@code startAfter}, in sort key order. */
    public List<Entry> pageAll(String startAfter, int limit) {
        return table.scan(PARTITION, READY, startAfter, limit).stream().map(EventOutbox::entry).toList();
    }

    /** Removes a delivered (or dropped) entry. */
    public void remove(Entry e) {
        table.delete(PARTITION, e.sortKey());
    }

    /** Writes a pending intent (quorum); returns its sort key for {@link #settle}. */
    public String pend(byte[] intent) {
        String key = PENDING + "%016x-%s".formatted(nextSequence(), writer);
        table.writeOwn(PARTITION, java.util.Map.of(key, intent), List.of()); // a fresh key: no read first
        return key;
    }

    /** Removes a pending intent. */
    public void settle(String pendingKey) {
        table.delete(PARTITION, pendingKey);
    }

    /** Up to {@code limit} pending intents after {@code startAfter}, oldest first. */
    public List<Pending> pending(String startAfter, int limit) {
        return table.scan(PARTITION, PENDING, startAfter, limit).stream()
                .map(e -> new Pending(e.sortKey(), sequenceOf(e.sortKey()), e.value())).toList();
    }

    private static long sequenceOf(String sortKey) {
        int at = sortKey.lastIndexOf('\n') + 1;
        return Long.parseUnsignedLong(sortKey.substring(at, at + 16), 16);
    }

    private static Entry entry(MetaTable.Entry e) {
        String k = e.sortKey();
        int nl = k.lastIndexOf('\n');
        String arn = k.substring(READY.length(), nl);
        return new Entry(k, sequenceOf(k), arn, e.value());
    }
}
