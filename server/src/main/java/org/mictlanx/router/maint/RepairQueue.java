package org.mictlanx.router.maint;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Targeted repairs (hinted handoff from writes, damage found by reads), kept until delivered.
 * A task is in one of three places: ready (the worker takes it next), parked under a placement peer
 * that is down (released as soon as a probe sees that peer ready again, {@link #release}, or at the
 * latest after its retry delay), or waiting out a retry delay. All three together are bounded by {@code capacity}; a task that does not fit is
 * dropped, counted, and marks a full pass as owed ({@link #takeOverflow}), so what it stood for is
 * still found, by the pass instead of the hint.
 */
public final class RepairQueue implements org.mictlanx.router.io.RepairReports {

    private final int capacity;
    private final LinkedBlockingQueue<RepairTask> ready = new LinkedBlockingQueue<>();
    private final Map<String, Set<RepairTask>> parked = new HashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger parkedCount = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicLong getsCut = new AtomicLong();

    private final java.util.function.Consumer<RepairTask> onOffer;

    public RepairQueue(int capacity) {
        this(capacity, t -> { });
    }

    /** {@code onOffer} sees every new task first, even one the full queue then drops (it persists the hint). */
    public RepairQueue(int capacity, java.util.function.Consumer<RepairTask> onOffer) {
        this.capacity = capacity;
        this.onOffer = onOffer;
    }

    /** Queues the task of a chunk the chunk paths found under-replicated or damaged (see {@link #offer}). */
    @Override
    public void chunkNeedsRepair(String bucket, String key, org.mictlanx.router.meta.Segment segment, long index,
                                 String badPeer, org.mictlanx.router.io.PartRef part) {
        offer(new RepairTask(bucket, key, segment, index, badPeer, 0, part));
    }

    /** Queues a new task (dropped and counted when the queue is full). */
    public void offer(RepairTask task) {
        onOffer.accept(task);
        if (!reserve()) return;
        ready.offer(task);
    }

    private boolean reserve() {
        while (true) {
            int n = total.get();
            if (n >= capacity) {
                dropped.incrementAndGet();
                overflowed.set(true);
                return false;
            }
            if (total.compareAndSet(n, n + 1)) return true;
        }
    }

    RepairTask poll(long millis) throws InterruptedException {
        RepairTask t = ready.poll(millis, TimeUnit.MILLISECONDS);
        if (t != null) total.decrementAndGet();
        return t;
    }

    /** Keeps a task until {@code peerId} is seen up again, or {@code maxDelayMillis} passed. */
    void park(String peerId, RepairTask task, long maxDelayMillis) {
        if (!reserve()) return;
        synchronized (parked) {
            parked.computeIfAbsent(peerId, k -> Collections.newSetFromMap(new IdentityHashMap<>())).add(task);
            parkedCount.incrementAndGet();
        }
        CompletableFuture.delayedExecutor(maxDelayMillis, TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (parked) {
                Set<RepairTask> tasks = parked.get(peerId);
                if (tasks == null || !tasks.remove(task)) return; // released already
                if (tasks.isEmpty()) parked.remove(peerId);
                parkedCount.decrementAndGet();
            }
            ready.offer(task);
        });
    }

    /** Re-queues a task after {@code delayMillis}. */
    void retryLater(RepairTask task, long delayMillis) {
        if (!reserve()) return;
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS).execute(() -> ready.offer(task));
    }

    /** {@code peerId} answers again: every task parked under it becomes ready. Returns how many. */
    public int release(String peerId) {
        Set<RepairTask> tasks;
        synchronized (parked) {
            tasks = parked.remove(peerId);
            if (tasks == null) return 0;
            parkedCount.addAndGet(-tasks.size());
        }
        ready.addAll(tasks);
        return tasks.size();
    }

    /** Whether a task was dropped since the last call (a full pass is owed); clears the mark. */
    public boolean takeOverflow() {
        return overflowed.getAndSet(false);
    }

    /** Tasks not yet delivered: ready, parked and waiting to retry. */
    public int size() {
        return total.get();
    }

    /** Tasks parked under a peer that is down. */
    public int parked() {
        return parkedCount.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Counts a GET cut after its status line ({@link org.mictlanx.router.io.RepairReports#getCut}). */
    @Override
    public void getCut(String bucket, String key, String chunkId) {
        getsCut.incrementAndGet();
    }

    /** GETs cut after their status line since this router started. */
    public long getsCut() {
        return getsCut.get();
    }
}
