package org.mictlanx.peer.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mictlanx.peer.api.PeerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What of one RocksDB store is damaged (sticky until the store is rebuilt). RocksDB names the damaged
 * table file in its message ({@code ... in /data/000012.sst offset 0 size 3822}); when that file is
 * live, its column family and key range ({@code RocksDB#getLiveFilesMetaData}) are quarantined: reads
 * and writes of keys inside the range, and listings or scans that cover part of it, answer UNAVAILABLE
 * (the router reads another replica; the store is rebuilt), while every other key keeps being served.
 * A damage that names no live table file (a blob file, the MANIFEST, a flush's new file) quarantines
 * the whole store. Every key of the range is quarantined, not only the damaged file's entries: which
 * of them the file held (and whether its version was the newest) cannot be known any more.
 * Thread-safe; background errors (reported on RocksDB's own threads) are located later, on the first
 * call that asks ({@link #locatePending}), not inside RocksDB's callback.
 */
final class StoreDamage {
    private static final Logger LOG = LoggerFactory.getLogger(StoreDamage.class);
    private static final Pattern TABLE_FILE = Pattern.compile("(\\d{1,19})\\.sst\\b");

    /** A damaged table file's key range (inclusive bounds) in column family {@code family}. */
    record Range(String family, byte[] smallest, byte[] largest, String file) {
        boolean contains(byte[] key) {
            return Arrays.compareUnsigned(key, smallest) >= 0 && Arrays.compareUnsigned(key, largest) <= 0;
        }

        /**
         * Whether keys of {@code [from, to]} starting with {@code prefix} meet this range ({@code to}
         * null: up to the last key with the prefix). {@code from} is at least {@code prefix}.
         */
        boolean meets(byte[] from, byte[] to, byte[] prefix) {
            if (Arrays.compareUnsigned(largest, from) < 0) return false;
            if (to != null) return Arrays.compareUnsigned(smallest, to) <= 0;
            byte[] lo = Arrays.compareUnsigned(smallest, from) > 0 ? smallest : from;
            return RecordCodec.startsWith(lo, prefix);
        }

        /** For operators: the family, the first and last key, and the file. */
        String describe() {
            return family + " keys " + render(smallest) + " .. " + render(largest) + " (" + file + ")";
        }

        private String render(byte[] key) {
            if (family.equals("records") && key.length >= 4) {
                int plen = ByteBuffer.wrap(key).getInt();
                if (plen >= 0 && plen <= key.length - 4) {
                    return quote(new String(key, 4, plen, StandardCharsets.UTF_8)) + "/"
                            + quote(new String(key, 4 + plen, key.length - 4 - plen, StandardCharsets.UTF_8));
                }
            }
            return quote(new String(key, StandardCharsets.UTF_8));
        }

        private static String quote(String s) {
            StringBuilder b = new StringBuilder("\"");
            s.codePoints().forEach(c -> {
                if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", c));
                else b.appendCodePoint(c);
            });
            return b.append('"').toString();
        }
    }

    /** Finds the live table file of a number: its family and key range, or empty. */
    interface Locator extends LongFunction<Optional<Range>> {
    }

    private final Locator locator;
    private final List<Range> ranges = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
    /** The first damage's message (sticky). */
    private volatile String first;
    /** Set when a damage could not be located: the whole store is quarantined. */
    private volatile String wholeStore;

    StoreDamage(Locator locator) {
        this.locator = locator;
    }

    /** The number of the table file a RocksDB message names, or -1. */
    static long tableFile(String message) {
        Matcher m = TABLE_FILE.matcher(message == null ? "" : message);
        long found = -1;
        while (m.find()) found = Long.parseLong(m.group(1));
        return found;
    }

    /** Records a damage seen by a call on this thread: located at once (logged once per file at ERROR). */
    void found(String problem) {
        locate(problem);
    }

    /** Records a damage reported on one of RocksDB's own threads; located by the next {@link #locatePending}. */
    void foundInBackground(String problem) {
        if (first == null) first = problem;
        pending.add(problem);
    }

    /** Locates the background damages reported since the last call (cheap when there are none). */
    void locatePending() {
        for (String p; (p = pending.poll()) != null; ) locate(p);
    }

    private synchronized void locate(String problem) {
        if (first == null) first = problem;
        long file = tableFile(problem);
        Optional<Range> r = Optional.empty();
        if (file >= 0) {
            try {
                r = locator.apply(file);
            } catch (RuntimeException e) {
                LOG.warn("cannot map damaged table file {} to its keys: {}", file, e.toString());
            }
        }
        if (r.isEmpty()) {
            if (wholeStore == null) {
                wholeStore = problem;
                LOG.error("{}; the damage names no live table file: the whole store is quarantined and the peer reports itself "
                        + "not ready (recovery: docs/operations.md, \"A damaged peer\")", problem);
            }
            return;
        }
        Range found = r.get();
        if (ranges.stream().anyMatch(x -> x.file().equals(found.file()))) return;
        ranges.add(found);
        LOG.error("{}; quarantined {} (other keys are served), the peer reports itself not ready (recovery: docs/operations.md, "
                + "\"A damaged peer\")", problem, found.describe());
    }

    /** Whether anything is damaged. */
    boolean any() {
        locatePending();
        return first != null;
    }

    /** Why the whole store is quarantined, or empty (nothing, or only ranges). */
    Optional<String> wholeStore() {
        locatePending();
        return Optional.ofNullable(wholeStore);
    }

    /** The quarantined ranges, described for operators. */
    List<String> describeRanges() {
        locatePending();
        return ranges.stream().map(Range::describe).toList();
    }

    /** The damage as the health detail says it (the ranges, then the first message), or empty. */
    Optional<String> describe() {
        locatePending();
        String f = first;
        if (f == null) return Optional.empty();
        if (wholeStore != null || ranges.isEmpty()) return Optional.of(f);
        return Optional.of("quarantined " + String.join("; ", describeRanges()) + ": " + f);
    }

    /** Throws UNAVAILABLE when {@code key} of {@code family} is quarantined. */
    void checkKey(String family, byte[] key) {
        if (first == null) return;
        locatePending();
        if (wholeStore != null) throw quarantined("the whole store");
        for (Range r : ranges) if (r.family().equals(family) && r.contains(key)) throw quarantined(r.describe());
    }

    /**
     * Throws UNAVAILABLE when a listing of {@code family} that covered {@code [from, to]} ({@code to}
     * null: to the last key starting with {@code prefix}) met a quarantined range: its answer could
     * miss keys.
     */
    void checkSpan(String family, byte[] from, byte[] to, byte[] prefix) {
        if (first == null) return;
        locatePending();
        if (wholeStore != null) throw quarantined("the whole store");
        for (Range r : ranges) if (r.family().equals(family) && r.meets(from, to, prefix)) throw quarantined(r.describe());
    }

    private static PeerException quarantined(String what) {
        return new PeerException(PeerException.Kind.UNAVAILABLE, "store damaged: " + what + " quarantined "
                + "(read another replica; the store is rebuilt: docs/operations.md, \"A damaged peer\")");
    }
}
