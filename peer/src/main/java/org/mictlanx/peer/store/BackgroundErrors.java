package org.mictlanx.peer.store;

import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.AbstractEventListener;
import org.rocksdb.BackgroundErrorReason;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocksDB's background error callbacks (a flush or compaction that hit a damaged table file or a full
 * disk; RocksDB then stops writes): the error until RocksDB reports its recovery, and, when it is
 * damage (corruption, an I/O error other than a full disk), a sticky entry in the store's
 * {@link StoreDamage}, located on a later call rather than on RocksDB's own thread.
 */
final class BackgroundErrors extends AbstractEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDatabase.class);

    private final StoreDamage damage;
    private final AtomicLong errorsSeen;
    private volatile String error;
    private volatile boolean isDamage;

    BackgroundErrors(StoreDamage damage, AtomicLong errorsSeen) {
        super(EnabledEventCallback.ON_BACKGROUND_ERROR, EnabledEventCallback.ON_ERROR_RECOVERY_COMPLETED);
        this.damage = damage;
        this.errorsSeen = errorsSeen;
    }

    @Override
    public void onBackgroundError(BackgroundErrorReason reason, Status status) {
        String what = "rocksdb background error during " + reason + ": " + describe(status);
        errorsSeen.incrementAndGet();
        boolean d = status != null && (status.getCode() == Status.Code.Corruption
                || (status.getCode() == Status.Code.IOError && status.getSubCode() != Status.SubCode.NoSpace));
        if (error == null && !d) LOG.error("{}; the peer reports itself not ready until RocksDB recovers", what);
        if (d) damage.foundInBackground(what); // located and logged by the next call
        isDamage = d;
        error = what;
    }

    @Override
    public void onErrorRecoveryCompleted(Status oldBackgroundError) {
        LOG.warn("rocksdb recovered from the background error ({}); ready again", describe(oldBackgroundError));
        error = null;
        isDamage = false;
    }

    /** The background error RocksDB has not recovered from, or null. */
    String error() {
        return error;
    }

    /** Whether RocksDB stopped writes because of damage (not a full disk, which it recovers from by itself). */
    boolean writesStoppedByDamage() {
        return isDamage && error != null;
    }

    private static String describe(Status s) {
        if (s == null) return "unknown";
        return s.getCode() + (s.getSubCode() == null || s.getSubCode() == Status.SubCode.None ? "" : "/" + s.getSubCode())
                + (s.getState() == null ? "" : " " + s.getState());
    }
}
