package org.mictlanx.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A bounded FIFO queue of puts drained by a fixed pool of workers. {@link #submit} blocks while the
 * queue is full (back-pressure), so a fast application cannot buffer unboundedly many balls; puts
 * start in submission order. Each put is itself a parallel multipart upload. {@link #close()} stops
 * accepting, lets every queued put finish, then stops the workers. Thread-safe.
 */
public final class Producer implements AutoCloseable {

    private record Job(Supplier<PutResult> work, CompletableFuture<PutResult> result) {
    }

    /** Tells a worker to stop; compared by identity, never run. */
    private static final Job POISON = new Job(() -> {
        throw new IllegalStateException("the stop job is never run");
    }, new CompletableFuture<>());

    private final BlockingQueue<Job> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final MictlanX client;
    private volatile boolean closed;

    Producer(MictlanX client, int workers, int capacity) {
        if (workers < 1 || capacity < 1) {
            throw new IllegalArgumentException("a producer needs at least one worker and a queue of at least one");
        }
        this.client = client;
        this.queue = new ArrayBlockingQueue<>(capacity, true);
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofPlatform().daemon().name("mictlanx-producer-" + i).start(this::drain));
        }
    }

    private void drain() {
        while (true) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (job == POISON) {
                return;
            }
            try {
                job.result().complete(job.work().get());
            } catch (RuntimeException | Error e) {
                job.result().completeExceptionally(e);
            }
        }
    }

    /** Queues a put of {@code data}; blocks while the queue is full. The future completes when stored. */
    public CompletableFuture<PutResult> submit(String bucket, String key, byte[] data, PutOptions options)
            throws InterruptedException {
        return enqueue(() -> client.put(bucket, key, data, options));
    }

    /** Queues a put of the file at {@code file}; blocks while the queue is full. */
    public CompletableFuture<PutResult> submit(String bucket, String key, Path file, PutOptions options)
            throws InterruptedException {
        return enqueue(() -> {
            try {
                return client.put(bucket, key, file, options);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private CompletableFuture<PutResult> enqueue(Supplier<PutResult> work) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the producer is closed");
        }
        CompletableFuture<PutResult> f = new CompletableFuture<>();
        queue.put(new Job(work, f));
        return f;
    }

    /** Puts waiting in the queue (not yet taken by a worker). */
    public int queued() {
        return queue.size();
    }

    /** Finishes every queued put, then stops the workers. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (int i = 0; i < workers.size(); i++) {
            queue.put(POISON);
        }
        for (Thread t : workers) {
            t.join();
        }
        // A submit racing with close may have queued behind the poison: fail it rather than lose it.
        for (Job j; (j = queue.poll()) != null; ) {
            if (j != POISON) {
                j.result().completeExceptionally(new IllegalStateException("the producer was closed"));
            }
        }
    }
}
