package org.mictlanx.peer.store;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks selected by key hash. Read-modify-write of one key (LWW, counters) happens
 * under its stripe; multi-key operations take their stripes in ascending index order (no deadlock).
 */
final class Stripes {
    private final ReentrantLock[] locks;

    Stripes(int n) {
        locks = new ReentrantLock[n];
        for (int i = 0; i < n; i++) locks[i] = new ReentrantLock();
    }

    int index(byte[] key) {
        return Math.floorMod(Arrays.hashCode(key), locks.length);
    }

    ReentrantLock lock(byte[] key) {
        ReentrantLock l = locks[index(key)];
        l.lock();
        return l;
    }

    /** Locks the stripes of all keys (deduplicated, ascending); unlock with {@link #unlockAll(int[])}. */
    int[] lockAll(byte[][] keys) {
        int[] idx = Arrays.stream(keys).mapToInt(this::index).distinct().sorted().toArray();
        for (int i : idx) locks[i].lock();
        return idx;
    }

    void unlockAll(int[] idx) {
        for (int i = idx.length - 1; i >= 0; i--) locks[idx[i]].unlock();
    }
}
