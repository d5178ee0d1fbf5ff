package org.mictlanx.router.maint;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of repair and GC, readable while they run. */
public final class MaintenanceStats {

    /** A consistent-enough snapshot for stats endpoints and tests. */
    public record Snapshot(long repairPasses, boolean repairRunning, long chunksChecked, long replicasRestored,
                           long badReplicasReplaced, long bytesCopied, long unrepairable, long repairQueued,
                           long repairDropped, long gcPasses, long gcChunksDeleted, long gcMisplacedDeleted) {
    }

    final AtomicLong repairPasses = new AtomicLong();
    volatile boolean repairRunning;
    final AtomicLong chunksChecked = new AtomicLong();
    final AtomicLong replicasRestored = new AtomicLong();
    final AtomicLong badReplaced = new AtomicLong();
    final AtomicLong bytesCopied = new AtomicLong();
    final AtomicLong unrepairable = new AtomicLong();
    final AtomicLong gcPasses = new AtomicLong();
    final AtomicLong gcDeleted = new AtomicLong();
    final AtomicLong gcMisplaced = new AtomicLong();

    public Snapshot snapshot(RepairQueue queue) {
        return new Snapshot(repairPasses.get(), repairRunning, chunksChecked.get(), replicasRestored.get(),
                badReplaced.get(), bytesCopied.get(), unrepairable.get(), queue.size(), queue.dropped(),
                gcPasses.get(), gcDeleted.get(), gcMisplaced.get());
    }
}
