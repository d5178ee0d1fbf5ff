package org.mictlanx.router.quorum;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Calls one operation on several targets in parallel and waits only until a {@link QuorumTracker}
 * decides. Calls that are still running keep running in the background (each bounded by the
 * per-call timeout, after which its thread is interrupted); {@link Result#all()} completes when
 * every call has replied, for read repair and hinted handoff.
 */
public final class Fanout {

    private final ExecutorService executor;
    private final Duration timeout;

    public Fanout(ExecutorService executor, Duration timeout) {
        this.executor = executor;
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs {@code op} on every target; returns once {@code required} succeeded or can no longer succeed.
     * A single target is called on the caller's thread (the decision needs its one reply anyway, and a
     * hop to another thread per metadata call cost about a tenth of the CPU of a small GET on the
     * all-in-one): that call is then bounded by the target's own transport timeout, not by this
     * fanout's per-call timeout, and {@link Result#all()} is complete on return.
     */
    public <K, T> Result<K, T> call(List<K> targets, int required, Function<K, T> op) {
        Result<K, T> result = new Result<>(targets, new QuorumTracker(targets.size(), required));
        if (targets.size() == 1) {
            K target = targets.get(0);
            T value = null;
            Throwable error = null;
            try {
                value = op.apply(target);
            } catch (Throwable t) {
                error = t;
            }
            result.reply(target, value, error);
            result.all = CompletableFuture.completedFuture(null);
            return result;
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (K target : targets) done.add(submit(target, op, result));
        result.all = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        result.awaitDecision();
        return result;
    }

    /**
     * Starts {@code op} on every target and returns at once; the caller waits with
     * {@link Result#await(long)} (for a caller that may step back before the decision).
     */
    public <K, T> Result<K, T> start(List<K> targets, int required, Function<K, T> op) {
        Result<K, T> result = new Result<>(targets, new QuorumTracker(targets.size(), required));
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (K target : targets) done.add(submit(target, op, result));
        result.all = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        return result;
    }

    /** Runs {@code op} on one target with the per-call timeout; exceptions propagate unwrapped. */
    public <T> T callOne(java.util.function.Supplier<T> op) {
        return callOne(op, late -> { });
    }

    /**
     * As {@link #callOne(java.util.function.Supplier)}; a result that {@code op} still returns after the
     * caller stopped waiting (timeout, interrupt) goes to {@code late} (to give back what it holds).
     */
    public <T> T callOne(java.util.function.Supplier<T> op, java.util.function.Consumer<T> late) {
        CompletableFuture<T> cf = new CompletableFuture<>();
        Future<?> f = executor.submit(() -> {
            try {
                T v = op.get();
                if (!cf.complete(v)) late.accept(v);
            } catch (Throwable t) {
                cf.completeExceptionally(t);
            }
        });
        try {
            return cf.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (!cf.completeExceptionally(e) && !cf.isCompletedExceptionally()) return cf.join(); // the reply came as the wait ended
            f.cancel(true);
            throw new CallTimeoutException("call timed out after " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            cf.completeExceptionally(e);
            f.cancel(true);
            Thread.currentThread().interrupt();
            if (cf.isDone() && !cf.isCompletedExceptionally()) late.accept(cf.join());
            throw new CallTimeoutException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error er) throw er;
            throw new IllegalStateException(c);
        }
    }

    private <K, T> CompletableFuture<Void> submit(K target, Function<K, T> op, Result<K, T> result) {
        CompletableFuture<T> cf = new CompletableFuture<>();
        Future<?> f;
        try {
            f = executor.submit(() -> {
                try {
                    cf.complete(op.apply(target));
                } catch (Throwable t) {
                    cf.completeExceptionally(t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.reply(target, null, e);
            return CompletableFuture.completedFuture(null);
        }
        return cf.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).handle((v, e) -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null ? ce.getCause() : e;
            if (cause instanceof TimeoutException) {
                f.cancel(true);
                cause = new CallTimeoutException("call timed out after " + timeout.toMillis() + " ms");
            }
            result.reply(target, v, cause);
            return null;
        });
    }

    /** Thrown (or recorded) when a call exceeded the per-call timeout. */
    public static final class CallTimeoutException extends RuntimeException {
        public CallTimeoutException(String message) {
            super(message);
        }
    }

    /** The replies gathered so far; successes and failures are snapshots taken under the lock. */
    public static final class Result<K, T> {
        private final List<K> targets;
        private final QuorumTracker tracker;
        private final Map<K, T> successes = new LinkedHashMap<>();
        private final Map<K, Throwable> failures = new LinkedHashMap<>();
        private CompletableFuture<Void> all;

        Result(List<K> targets, QuorumTracker tracker) {
            this.targets = List.copyOf(targets);
            this.tracker = tracker;
        }

        synchronized void reply(K target, T value, Throwable error) {
            if (error == null) {
                successes.put(target, value);
                tracker.success();
            } else {
                failures.put(target, error);
                tracker.failure();
            }
            notifyAll();
        }

        synchronized void awaitDecision() {
            boolean interrupted = false;
            while (!tracker.decided()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }

        /** Waits at most {@code nanos} for the decision; returns whether it is decided. */
        public synchronized boolean await(long nanos) {
            long deadline = System.nanoTime() + nanos;
            while (!tracker.decided()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return tracker.decided();
                }
            }
            return true;
        }

        public synchronized boolean succeeded() {
            return tracker.state() == QuorumTracker.State.SUCCEEDED;
        }

        public synchronized Map<K, T> successes() {
            return new LinkedHashMap<>(successes);
        }

        public synchronized Map<K, Throwable> failures() {
            return new LinkedHashMap<>(failures);
        }

        public List<K> targets() {
            return targets;
        }

        /** Completes when every target has replied or timed out. */
        public CompletableFuture<Void> all() {
            return all;
        }

        /** A short description of the failures, for error messages. */
        public synchronized String failureSummary() {
            StringBuilder sb = new StringBuilder();
            failures.forEach((k, e) -> sb.append(sb.isEmpty() ? "" : "; ").append(k).append(": ").append(e.getMessage()));
            return tracker.successes() + " of " + tracker.total() + " succeeded, " + tracker.required() + " required"
                    + (sb.isEmpty() ? "" : " (" + sb + ")");
        }
    }
}
