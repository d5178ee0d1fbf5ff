package org.mictlanx.router;

import org.jspecify.annotations.Nullable;
import java.time.Clock;
import java.time.Duration;
import org.mictlanx.router.crypto.BuiltInKeyService;
import org.mictlanx.router.crypto.ChunkCipher;
import org.mictlanx.router.crypto.KeyService;
import org.mictlanx.router.crypto.MasterKeys;
import org.mictlanx.router.crypto.SegmentKeys;
import org.mictlanx.router.io.BucketService;
import org.mictlanx.router.maint.MasterRewrap;
import org.mictlanx.router.meta.ClusterLease;
import org.mictlanx.router.meta.ReplicatedTable;
import org.mictlanx.router.meta.ServiceMetaTable;
import org.mictlanx.router.quorum.Fanout;
import org.mictlanx.router.usage.UsageConfig;
import org.mictlanx.router.usage.UsageLedger;
import org.mictlanx.router.usage.UsageScanner;
import org.mictlanx.router.usage.UsageService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's services beside the data path: the KMS key service (built-in over the replicated
 * metadata unless one is given) and the master key re-wrap, usage accounting (the ledger the write
 * paths admit through, and the per-bucket figures), the service metadata table, and the cluster-wide
 * leases background work such as lifecycle rules runs under.
 */
final class KeysAndUsage {

    private static final Logger LOG = LoggerFactory.getLogger(KeysAndUsage.class);

    private final ReplicatedTable table;
    private final Fanout fanout;
    private final UsageLedger ledger;
    private final UsageService usage;
    private final ServiceMetaTable metaTable;
    private final KeyService keyService;
    private final MasterRewrap masterRewrap;
    private final org.mictlanx.router.meta.KeyGuard guard;

    /** @param guard the cluster-wide key guard the built-in key service creates keys under (one creator at a time) */
    KeysAndUsage(ReplicatedTable table, Fanout fanout, BucketService buckets, SegmentKeys segmentKeys,
                 MasterKeys masterKeys, @Nullable KeyService external, Clock clock, UsageConfig usageConfig,
                 org.mictlanx.router.meta.KeyGuard guard) {
        this.table = table;
        this.fanout = fanout;
        this.guard = guard;
        this.ledger = new UsageLedger(table, clock, usageConfig);
        this.usage = new UsageService(ledger, new UsageScanner(table), buckets);
        this.metaTable = new ServiceMetaTable(table);
        this.keyService = external != null ? external
                : new BuiltInKeyService(metaTable, masterKeys, new ChunkCipher(), clock, guardedCreation(guard));
        this.masterRewrap = new MasterRewrap(table, metaTable, buckets, segmentKeys, masterKeys, keyService, clock);
    }

    /**
     * Key creation under the cluster-wide guard of ({@code _mx.kms}, key id): one router at a time,
     * through any number of routers (see {@link org.mictlanx.router.meta.KeyGuard}); the lease must still
     * be valid when the action ends, else the creation is reported as a conflict (the caller retries on
     * its next use).
     */
    private static BuiltInKeyService.CreationGuard guardedCreation(org.mictlanx.router.meta.KeyGuard guard) {
        return new BuiltInKeyService.CreationGuard() {
            @Override
            public <T> T run(String keyId, java.util.function.Supplier<T> action) {
                org.mictlanx.router.meta.KeyGuard.Lease lease = guard.acquire(BuiltInKeyService.PARTITION, keyId);
                try {
                    if (!lease.valid(1_000)) {
                        throw new RouterException(RouterException.Kind.CONFLICT, "the key creation guard expired");
                    }
                    return action.get();
                } finally {
                    guard.release(lease);
                }
            }
        };
    }

    /** The ledger puts, copies and parts admit their bytes through. */
    UsageLedger ledger() {
        return ledger;
    }

    /** Per-bucket usage and quotas, and the periodic recount. */
    UsageService usage() {
        return usage;
    }

    ServiceMetaTable metaTable() {
        return metaTable;
    }

    KeyService keyService() {
        return keyService;
    }

    MasterRewrap masterRewrap() {
        return masterRewrap;
    }

    /** Deletes built-in KMS keys whose scheduled deletion date has passed (run with GC). */
    void purgeDeletedKmsKeys() {
        if (keyService instanceof BuiltInKeyService kms) {
            int n = kms.purgeExpired();
            if (n > 0) LOG.info("kms: {} keys deleted at the end of their waiting period", n);
        }
    }

    /** The router's key guard (lifecycle expiry ids, see {@link Router#lifecycleLease}). */
    org.mictlanx.router.meta.KeyGuard guard() {
        return guard;
    }

    /** See {@link Router#clusterLease}. */
    ClusterLease clusterLease(String name, String holder, Duration lease) {
        return new ClusterLease(table, fanout, name, holder, lease.toMillis(), System::currentTimeMillis);
    }

    /** The last usage changes of this writer, so a clean stop leaves no drift; a failure is logged, not thrown. */
    void finalFlush() {
        try {
            ledger.flush();
        } catch (RuntimeException e) {
            LOG.debug("final usage flush failed: {}", e.toString());
        }
    }
}
