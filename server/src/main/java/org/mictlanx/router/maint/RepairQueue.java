package org.mictlanx.router.maint;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded queue of targeted repairs (hinted handoff and read-detected damage). When it is full the
 * task is dropped and counted: the next full repair pass finds that chunk anyway.
 */
public final class RepairQueue {

    private final LinkedBlockingQueue<RepairTask> queue;
    private final AtomicLong dropped = new AtomicLong();

    public RepairQueue(int capacity) {
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    public void offer(RepairTask task) {
        if (!queue.offer(task)) dropped.incrementAndGet();
    }

    RepairTask poll(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    public int size() {
        return queue.size();
    }

    public long dropped() {
        return dropped.get();
    }
}
