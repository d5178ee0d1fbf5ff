package org.mictlanx.router;

import java.time.Duration;

/**
 * Router tunables. Zero for {@code replication}, {@code writeQuorum} or {@code readQuorum} means
 * the default: N = min(3, active peers), W = majority of N, R = max(majority, N - W + 1); R + W > N
 * is always enforced by raising R.
 *
 * @param chunkSize        plaintext bytes per chunk (at most 16 MiB)
 * @param inFlightChunks   chunks of one put awaiting their write quorum at once (memory bound)
 * @param prefetchChunks   chunks a reader fetches ahead of the one being returned
 * @param callTimeout      per peer call; a slower call counts as failed
 * @param gcGrace          minimum age of an unreferenced chunk before GC deletes it; longer than any put
 * @param repairBytesPerSecond rate limit of repair copies
 * @param uploadExpiry     a multipart upload untouched (no create, part or copy) for this long is
 *                         aborted by GC together with its parts' chunks (default 7 days)
 * @param minPartSize      the minimum size of every part but the last of a completed upload
 *                         (S3: 5 MiB)
 * @param inlineMaxBytes   a single put of a known length of 1 to this many bytes (and at most one
 *                         chunk) keeps its one sealed chunk inside its ball record instead of on
 *                         chunk peers: one durable metadata write per put and no chunk fetch per
 *                         read (0 disables; at most 64 KiB, since listing pages carry the records)
 * @param verifyAheadBytes before a GET's status line, the peers verify the stored copies of this many
 *                         bytes of the range past the prefetch window (each copy read and checked against
 *                         its CRC32C on its peer, no bytes sent), so a chunk damaged on every replica fails
 *                         the GET before the first byte instead of cutting it; 0 turns it off (then such a
 *                         GET is cut, logged and counted; the default). Costs the peers that many extra bytes read per GET.
 */
public record RouterConfig(int chunkSize, int replication, int writeQuorum, int readQuorum, int inFlightChunks,
                           int prefetchChunks, Duration callTimeout, Duration probeInterval, Duration repairInterval,
                           Duration gcInterval, Duration gcGrace, long repairBytesPerSecond,
                           Duration uploadExpiry, long minPartSize, int inlineMaxBytes, long verifyAheadBytes) {

    public static final Duration DEFAULT_UPLOAD_EXPIRY = Duration.ofDays(7);
    public static final long DEFAULT_MIN_PART_SIZE = 5L << 20;
    public static final int DEFAULT_INLINE_MAX = 8 << 10;
    public static final int MAX_INLINE = 64 << 10;
    /**
     * Off by default: measured in session 6 (docs/performance.md), verifying 64 MiB ahead cost a GET of a
     * 64 MiB ball 31% of its throughput and 20% more CPU, for a case (every replica of a chunk damaged and
     * unseen by reads and scrub) that a cut response already signals.
     */
    public static final long DEFAULT_VERIFY_AHEAD = 0;

    /** The configuration with the default upload expiry and minimum part size. */
    public RouterConfig(int chunkSize, int replication, int writeQuorum, int readQuorum, int inFlightChunks,
                        int prefetchChunks, Duration callTimeout, Duration probeInterval, Duration repairInterval,
                        Duration gcInterval, Duration gcGrace, long repairBytesPerSecond) {
        this(chunkSize, replication, writeQuorum, readQuorum, inFlightChunks, prefetchChunks, callTimeout, probeInterval,
                repairInterval, gcInterval, gcGrace, repairBytesPerSecond, DEFAULT_UPLOAD_EXPIRY, DEFAULT_MIN_PART_SIZE,
                DEFAULT_INLINE_MAX, DEFAULT_VERIFY_AHEAD);
    }

    /** The configuration with default upload expiry and minimum part size, and the given inline limit. */
    public RouterConfig(int chunkSize, int replication, int writeQuorum, int readQuorum, int inFlightChunks,
                        int prefetchChunks, Duration callTimeout, Duration probeInterval, Duration repairInterval,
                        Duration gcInterval, Duration gcGrace, long repairBytesPerSecond, Duration uploadExpiry,
                        long minPartSize) {
        this(chunkSize, replication, writeQuorum, readQuorum, inFlightChunks, prefetchChunks, callTimeout, probeInterval,
                repairInterval, gcInterval, gcGrace, repairBytesPerSecond, uploadExpiry, minPartSize, DEFAULT_INLINE_MAX,
                DEFAULT_VERIFY_AHEAD);
    }

    public static final int MAX_CHUNK_SIZE = 16 << 20;

    public RouterConfig {
        if (chunkSize < 1 || org.mictlanx.router.crypto.ChunkCipher.sealedLength(chunkSize) > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunkSize out of range (sealed chunks must fit in " + MAX_CHUNK_SIZE + " bytes)");
        }
        if (inlineMaxBytes < 0 || inlineMaxBytes > MAX_INLINE) throw new IllegalArgumentException("inlineMaxBytes out of range");
        if (replication < 0 || writeQuorum < 0 || readQuorum < 0) throw new IllegalArgumentException("negative quorum");
        if (inFlightChunks < 1 || prefetchChunks < 0) throw new IllegalArgumentException("bad pipeline depth");
        if (repairBytesPerSecond <= 0) throw new IllegalArgumentException("repair rate must be > 0");
        if (uploadExpiry == null || uploadExpiry.isNegative() || uploadExpiry.isZero()) throw new IllegalArgumentException("uploadExpiry must be > 0");
        if (minPartSize < 0) throw new IllegalArgumentException("negative minPartSize");
        if (verifyAheadBytes < 0) throw new IllegalArgumentException("negative verifyAheadBytes");
    }

    public static RouterConfig defaults() {
        return new RouterConfig(8 << 20, 0, 0, 0, 3, 2, Duration.ofSeconds(30), Duration.ofSeconds(2),
                Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), 64L << 20);
    }

    /** This configuration with another upload expiry and minimum part size. */
    public RouterConfig withMultipart(Duration expiry, long minPart) {
        return toBuilder().uploadExpiry(expiry).minPartSize(minPart).build();
    }

    /** This configuration with another inline limit (0: every ball's chunks go to chunk peers). */
    public RouterConfig withInlineMax(int bytes) {
        return toBuilder().inlineMaxBytes(bytes).build();
    }

    /** A builder starting from the {@link #defaults()}: set fields by name, then {@link Builder#build()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder starting from this configuration (fields set by name; the rest keep their values). */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Sets {@link RouterConfig} fields by name; {@link #build()} validates them together (the
     * record's constructor). The one place that calls the canonical constructor by position.
     */
    public static final class Builder {
        private int chunkSize;
        private int replication;
        private int writeQuorum;
        private int readQuorum;
        private int inFlightChunks;
        private int prefetchChunks;
        private Duration callTimeout;
        private Duration probeInterval;
        private Duration repairInterval;
        private Duration gcInterval;
        private Duration gcGrace;
        private long repairBytesPerSecond;
        private Duration uploadExpiry;
        private long minPartSize;
        private int inlineMaxBytes;
        private long verifyAheadBytes;

        private Builder(RouterConfig c) {
            chunkSize = c.chunkSize;
            replication = c.replication;
            writeQuorum = c.writeQuorum;
            readQuorum = c.readQuorum;
            inFlightChunks = c.inFlightChunks;
            prefetchChunks = c.prefetchChunks;
            callTimeout = c.callTimeout;
            probeInterval = c.probeInterval;
            repairInterval = c.repairInterval;
            gcInterval = c.gcInterval;
            gcGrace = c.gcGrace;
            repairBytesPerSecond = c.repairBytesPerSecond;
            uploadExpiry = c.uploadExpiry;
            minPartSize = c.minPartSize;
            inlineMaxBytes = c.inlineMaxBytes;
            verifyAheadBytes = c.verifyAheadBytes;
        }

        public Builder chunkSize(int v) { chunkSize = v; return this; }

        public Builder replication(int v) { replication = v; return this; }

        public Builder writeQuorum(int v) { writeQuorum = v; return this; }

        public Builder readQuorum(int v) { readQuorum = v; return this; }

        public Builder inFlightChunks(int v) { inFlightChunks = v; return this; }

        public Builder prefetchChunks(int v) { prefetchChunks = v; return this; }

        public Builder callTimeout(Duration v) { callTimeout = v; return this; }

        public Builder probeInterval(Duration v) { probeInterval = v; return this; }

        public Builder repairInterval(Duration v) { repairInterval = v; return this; }

        public Builder gcInterval(Duration v) { gcInterval = v; return this; }

        public Builder gcGrace(Duration v) { gcGrace = v; return this; }

        public Builder repairBytesPerSecond(long v) { repairBytesPerSecond = v; return this; }

        public Builder uploadExpiry(Duration v) { uploadExpiry = v; return this; }

        public Builder minPartSize(long v) { minPartSize = v; return this; }

        public Builder inlineMaxBytes(int v) { inlineMaxBytes = v; return this; }

        public Builder verifyAheadBytes(long v) { verifyAheadBytes = v; return this; }

        /** The configuration; IllegalArgumentException when a field is out of range. */
        public RouterConfig build() {
            return new RouterConfig(chunkSize, replication, writeQuorum, readQuorum, inFlightChunks, prefetchChunks,
                    callTimeout, probeInterval, repairInterval, gcInterval, gcGrace, repairBytesPerSecond, uploadExpiry,
                    minPartSize, inlineMaxBytes, verifyAheadBytes);
        }
    }

    /** N for a new bucket given the active peer count. */
    public int replicationFor(int activePeers) {
        int n = replication == 0 ? Math.min(3, activePeers) : replication;
        return Math.max(1, Math.min(n, activePeers));
    }

    /** W for replication {@code n}. */
    public int writeQuorumFor(int n) {
        return writeQuorum == 0 ? n / 2 + 1 : Math.min(writeQuorum, n);
    }

    /** R for replication {@code n}; always R + W > N. */
    public int readQuorumFor(int n) {
        int r = readQuorum == 0 ? n / 2 + 1 : Math.min(readQuorum, n);
        return Math.max(r, n - writeQuorumFor(n) + 1);
    }
}
