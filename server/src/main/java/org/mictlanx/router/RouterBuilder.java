package org.mictlanx.router;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.router.cluster.ClusterLayout;
import org.mictlanx.router.cluster.PeerConnector;
import org.mictlanx.router.cluster.PeerDescriptor;
import org.mictlanx.router.crypto.KeyService;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.io.BufferBudget;
import org.mictlanx.router.usage.UsageConfig;

/**
 * Builds a {@link Router} ({@link Router#builder()}). Peers come either as embedded clients or as a
 * layout plus a connector; master keys are required. Settings given here ({@link #replication},
 * {@link #quorums}, {@link #chunkSize}, {@link #gcGrace}, {@link #inlineMaxBytes}) override the
 * matching fields of {@link #config}, by name.
 */
public final class RouterBuilder {
    RouterConfig config = RouterConfig.defaults();
    /** Null until {@link #peers} or {@link #layout} gives the peers (then with {@link #connector}). */
    @Nullable ClusterLayout layout;
    @Nullable PeerConnector connector;
    boolean ownsClients;
    @Nullable MasterKeys masterKeys;
    /** Null: the built-in key service. */
    @Nullable KeyService keyService;
    boolean background = true;
    /** Overrides of {@link #config}'s fields; null: the config's. */
    private @Nullable Integer replication;
    private @Nullable Integer writeQuorum;
    private @Nullable Integer readQuorum;
    private @Nullable Integer chunkSize;
    private @Nullable Duration gcGrace;
    private @Nullable Integer inlineMaxBytes;
    private @Nullable Long verifyAheadBytes;
    Clock clock = Clock.systemUTC();
    /** Null: a budget of a quarter of the heap. */
    @Nullable BufferBudget budget;
    UsageConfig usage = UsageConfig.defaults();

    RouterBuilder() {
    }

    /** Embedded peers (the router does not close them); layout version 0 so a stored layout wins. */
    public RouterBuilder peers(List<? extends PeerApi> peers) {
        Map<String, PeerApi> byId = new LinkedHashMap<>();
        for (PeerApi p : peers) byId.put(p.id(), p);
        this.layout = ClusterLayout.of(0, byId.keySet().stream().map(PeerDescriptor::local).toList());
        this.connector = d -> {
            PeerApi p = byId.get(d.id());
            if (p == null) throw new IllegalArgumentException("no embedded peer " + d.id());
            return p;
        };
        this.ownsClients = false;
        return this;
    }

    /** Remote (or mixed) peers: the connector opens a client per descriptor; the router closes them. */
    public RouterBuilder layout(ClusterLayout layout, PeerConnector connector) {
        this.layout = layout;
        this.connector = connector;
        this.ownsClients = true;
        return this;
    }

    public RouterBuilder config(RouterConfig config) {
        this.config = config;
        return this;
    }

    /**
     * An external key service for SSE-KMS (see {@link KeyService}); default: the built-in one over
     * the replicated metadata.
     */
    public RouterBuilder keyService(KeyService service) {
        this.keyService = service;
        return this;
    }

    public RouterBuilder masterKeys(MasterKeys keys) {
        this.masterKeys = keys;
        return this;
    }

    public RouterBuilder replication(int n) {
        this.replication = n;
        return this;
    }

    public RouterBuilder quorums(int w, int r) {
        this.writeQuorum = w;
        this.readQuorum = r;
        return this;
    }

    public RouterBuilder chunkSize(int bytes) {
        this.chunkSize = bytes;
        return this;
    }

    /** See {@link RouterConfig#inlineMaxBytes()}; 0 disables inline balls. */
    public RouterBuilder inlineMaxBytes(int bytes) {
        if (bytes < 0 || bytes > RouterConfig.MAX_INLINE) {
            throw new IllegalArgumentException("inline limit must be 0.." + RouterConfig.MAX_INLINE + " bytes");
        }
        this.inlineMaxBytes = bytes;
        return this;
    }

    /** See {@link RouterConfig#verifyAheadBytes()}; 0 turns the verification before a GET's status line off. */
    public RouterBuilder verifyAheadBytes(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("verify-ahead must be >= 0 bytes");
        this.verifyAheadBytes = bytes;
        return this;
    }

    /**
     * How long GC keeps the chunks of a released ball or part (readers in flight may still
     * stream them) and of a put that never committed; overrides the config's {@code gcGrace}.
     */
    public RouterBuilder gcGrace(Duration grace) {
        if (grace.isNegative()) throw new IllegalArgumentException("negative gc grace");
        this.gcGrace = grace;
        return this;
    }

    /**
     * The wall clock of record versions, segment and ball ids, upload initiation and expiry, and
     * GC's grace period (default the system clock; tests inject one to pass periods without sleeping).
     */
    public RouterBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /**
     * The bound on bytes held by in-flight puts' buffers (default: a quarter of the heap, waiting
     * {@link BufferBudget#DEFAULT_WAIT} for room); the front door should reserve from the same one.
     */
    public RouterBuilder bufferBudget(BufferBudget budget) {
        this.budget = budget;
        return this;
    }

    /** Usage accounting intervals (flush, quota refresh, periodic recount). */
    public RouterBuilder usage(UsageConfig usage) {
        this.usage = usage;
        return this;
    }

    /** Whether to run periodic probing, repair and GC (default true; tests trigger them by hand). */
    public RouterBuilder background(boolean on) {
        this.background = on;
        return this;
    }

    /** The router, its background work started; IllegalStateException without peers or master keys. */
    public Router build() {
        ClusterLayout peers = layout;
        PeerConnector clients = connector;
        MasterKeys keys = masterKeys;
        if (peers == null || clients == null) throw new IllegalStateException("no peers configured");
        if (keys == null) throw new IllegalStateException("no master keys configured");
        RouterConfig.Builder c = config.toBuilder();
        if (chunkSize != null) c.chunkSize(chunkSize);
        if (replication != null) c.replication(replication);
        if (writeQuorum != null) c.writeQuorum(writeQuorum);
        if (readQuorum != null) c.readQuorum(readQuorum);
        if (gcGrace != null) c.gcGrace(gcGrace);
        if (inlineMaxBytes != null) c.inlineMaxBytes(inlineMaxBytes);
        if (verifyAheadBytes != null) c.verifyAheadBytes(verifyAheadBytes);
        config = c.build();
        return new Router(new RouterWiring(this, peers, clients, keys));
    }
}
