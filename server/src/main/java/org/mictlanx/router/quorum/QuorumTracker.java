package org.mictlanx.router.quorum;

/**
 * Tracks the replies of {@code total} replicas of which {@code required} must succeed. The outcome
 * is decided as early as possible: SUCCEEDED once {@code required} successes arrived, FAILED once so
 * many failed that {@code required} successes can no longer be reached. Later replies are still
 * counted but never change a decided outcome. Thread-safe.
 */
public final class QuorumTracker {

    public enum State { PENDING, SUCCEEDED, FAILED }

    private final int total;
    private final int required;
    private int successes;
    private int failures;
    private State state = State.PENDING;

    public QuorumTracker(int total, int required) {
        if (total < 1 || required < 1 || required > total) {
            throw new IllegalArgumentException("need 1 <= required <= total, got " + required + " of " + total);
        }
        this.total = total;
        this.required = required;
    }

    /** Records one success and returns the (possibly newly decided) state. */
    public synchronized State success() {
        if (successes + failures >= total) throw new IllegalStateException("more replies than replicas");
        successes++;
        if (state == State.PENDING && successes >= required) state = State.SUCCEEDED;
        return state;
    }

    /** Records one failure and returns the (possibly newly decided) state. */
    public synchronized State failure() {
        if (successes + failures >= total) throw new IllegalStateException("more replies than replicas");
        failures++;
        if (state == State.PENDING && failures > total - required) state = State.FAILED;
        return state;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized boolean decided() {
        return state != State.PENDING;
    }

    /** True once every replica has replied. */
    public synchronized boolean complete() {
        return successes + failures == total;
    }

    public synchronized int successes() {
        return successes;
    }

    public synchronized int failures() {
        return failures;
    }

    public int total() {
        return total;
    }

    public int required() {
        return required;
    }

    /** The majority of {@code n}: {@code n / 2 + 1}. */
    public static int majority(int n) {
        return n / 2 + 1;
    }
}
