package org.mictlanx.s3.notify;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.mictlanx.router.MetaTable;

/**
 * The durable queue of undelivered events: records of the replicated metadata (quorum writes, so an
 * event survives the router that wrote it), partition {@value #PARTITION}, sort key
 * {@code 16 hex digits of sequence + '-' + writer id}, value = target ARN + {@code '\n'} + event JSON.
 * Sequences are (epoch millis &lt;&lt; 16 | per-writer counter), so the scan order is the order the
 * events were committed in (exactly for one router; to the millisecond across routers, and a key is
 * written under its guard by one router at a time). The {@link EventSender} deletes an entry once
 * its target accepted it.
 */
public final class EventOutbox {

    /** The metadata partition. */
    public static final String PARTITION = "s3.notify-outbox";

    /** One queued event. */
    public record Entry(String sortKey, long sequence, String arn, byte[] json) {
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
        byte[] a = arn.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[a.length + 1 + json.length];
        System.arraycopy(a, 0, value, 0, a.length);
        value[a.length] = '\n';
        System.arraycopy(json, 0, value, a.length + 1, json.length);
        table.put(PARTITION, "%016x-%s".formatted(sequence, writer), value);
    }

    /** Up to {@code limit} entries after {@code startAfter} ("" from the start), oldest first. */
    public List<Entry> page(String startAfter, int limit) {
        return table.scan(PARTITION, "", startAfter, limit).stream().map(EventOutbox::entry).toList();
    }

    /** Removes a delivered (or dropped) entry. */
    public void remove(Entry e) {
        table.delete(PARTITION, e.sortKey());
    }

    private static Entry entry(MetaTable.Entry e) {
        byte[] v = e.value();
        int nl = 0;
        while (nl < v.length && v[nl] != '\n') nl++;
        String arn = new String(v, 0, nl, StandardCharsets.UTF_8);
        byte[] json = java.util.Arrays.copyOfRange(v, Math.min(v.length, nl + 1), v.length);
        long seq = Long.parseUnsignedLong(e.sortKey().substring(0, 16), 16);
        return new Entry(e.sortKey(), seq, arn, json);
    }
}
