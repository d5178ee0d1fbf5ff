package org.mictlanx.router.maint;

import java.util.Set;
import org.mictlanx.router.RouterStats;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of repair and GC, readable while they run. */
public final class MaintenanceStats {

    /** At most this many unrepairable chunk ids are remembered (beyond it they are counted once each time found). */
    static final int MAX_UNREPAIRABLE_IDS = 100_000;

    final AtomicLong repairPasses = new AtomicLong();
    volatile boolean repairRunning;
    final AtomicLong chunksChecked = new AtomicLong();
    final AtomicLong replicasRestored = new AtomicLong();
    final AtomicLong badReplaced = new AtomicLong();
    final AtomicLong bytesCopied = new AtomicLong();
    private final Set<String> unrepairable = ConcurrentHashMap.newKeySet();
    private final AtomicLong unrepairableOverflow = new AtomicLong();
    final AtomicLong gcPasses = new AtomicLong();
    final AtomicLong wrongSize = new AtomicLong();
    final AtomicLong gcDeleted = new AtomicLong();
    final AtomicLong gcMisplaced = new AtomicLong();
    final AtomicLong metadataChecked = new AtomicLong();
    final AtomicLong metadataWritten = new AtomicLong();

    /**
     * Records that chunk {@code id} has no authentic replica left (counted once per chunk); returns
     * whether this is news (the caller logs it then, not at every attempt).
     */
    boolean unrepairable(String id) {
        if (unrepairable.contains(id)) return false;
        if (unrepairable.size() >= MAX_UNREPAIRABLE_IDS) {
            unrepairableOverflow.incrementAndGet();
            return true;
        }
        return unrepairable.add(id);
    }

    /** Whether repair found no authentic replica of chunk {@code id} (and it was not repaired since). */
    public boolean isUnrepairable(String id) {
        return !unrepairable.isEmpty() && unrepairable.contains(id);
    }

    /** Chunk {@code id} has its replicas again (or is no longer referenced). */
    void repaired(String id) {
        if (!unrepairable.isEmpty()) unrepairable.remove(id);
    }

    /** The counters now, with {@code queue}'s backlog ({@link RouterStats.Maintenance}). */
    public RouterStats.Maintenance snapshot(RepairQueue queue) {
        return new RouterStats.Maintenance(repairPasses.get(), repairRunning, chunksChecked.get(), replicasRestored.get(),
                badReplaced.get(), bytesCopied.get(), unrepairable.size() + unrepairableOverflow.get(), queue.size(),
                queue.dropped(), gcPasses.get(), gcDeleted.get(), gcMisplaced.get(), queue.parked(), wrongSize.get(),
                metadataChecked.get(), metadataWritten.get(), queue.getsCut());
    }
}
