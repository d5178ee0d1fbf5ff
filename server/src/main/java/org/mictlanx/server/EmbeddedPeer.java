package org.mictlanx.server;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.mictlanx.peer.api.ChunkBuffer;
import org.mictlanx.peer.api.ChunkBytes;
import org.mictlanx.peer.api.ChunkInfo;
import org.mictlanx.peer.api.ChunkPage;
import org.mictlanx.peer.api.MetaRecord;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.api.PeerHealth;
import org.mictlanx.peer.api.PeerStats;
import org.mictlanx.peer.api.ScrubReport;

/**
 * An in-process peer as the router sees it in the all-in-one: every call made from a virtual thread
 * runs on a platform thread of {@code blocking} instead, while the virtual thread waits unmounted.
 *
 * <p>Why: the router's I/O runs on virtual threads, and an in-process peer's calls are long native
 * RocksDB calls (a synced write waits for an fsync) that pin the virtual thread's carrier. With as
 * many carriers as cores (2 here), two synced writes stalled every other virtual thread of the
 * process; measured on the all-in-one, 4 KiB PUT and GET ran 2-4x slower than with the calls moved
 * off the carriers. Calls from platform threads run directly. Results and exceptions are those of
 * the delegate; an interrupted wait answers UNAVAILABLE.
 */
public final class EmbeddedPeer implements PeerApi {

    private final PeerApi delegate;
    private final ExecutorService blocking;

    public EmbeddedPeer(PeerApi delegate, ExecutorService blocking) {
        this.delegate = delegate;
        this.blocking = blocking;
    }

    private <T> T run(Callable<T> call) {
        if (!Thread.currentThread().isVirtual()) {
            try {
                return call.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> f = blocking.submit(call);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "interrupted waiting for peer " + delegate.id(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error er) throw er;
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public void putChunk(String id, InputStream body, long length, int crc32c) {
        run(() -> {
            delegate.putChunk(id, body, length, crc32c);
            return null;
        });
    }

    @Override
    public byte[] getChunk(String id, long offset, long length) {
        return run(() -> delegate.getChunk(id, offset, length));
    }

    @Override
    public ChunkBytes getChunkBytes(String id) {
        return run(() -> delegate.getChunkBytes(id));
    }

    /**
     * As the others, but a buffer the delegate lends after the wait was interrupted is given back (the
     * platform thread finishes its read either way).
     */
    @Override
    public ChunkBuffer getChunkBuffer(String id) {
        if (!Thread.currentThread().isVirtual()) return delegate.getChunkBuffer(id);
        CompletableFuture<ChunkBuffer> f = CompletableFuture.supplyAsync(() -> delegate.getChunkBuffer(id), blocking);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.thenAccept(ChunkBuffer::close);
            Thread.currentThread().interrupt();
            throw new PeerException(PeerException.Kind.UNAVAILABLE, "interrupted waiting for peer " + delegate.id(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error er) throw er;
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public Optional<ChunkInfo> headChunk(String id) {
        return run(() -> delegate.headChunk(id));
    }

    @Override
    public boolean deleteChunk(String id) {
        return run(() -> delegate.deleteChunk(id));
    }

    @Override
    public ChunkPage listChunks(String after, int limit) {
        return run(() -> delegate.listChunks(after, limit));
    }

    @Override
    public boolean putRecord(MetaRecord record) {
        return run(() -> delegate.putRecord(record));
    }

    @Override
    public boolean putRecordIf(MetaRecord record, long expectedVersion) {
        return run(() -> delegate.putRecordIf(record, expectedVersion));
    }

    @Override
    public void putRecords(List<MetaRecord> records) {
        run(() -> {
            delegate.putRecords(records);
            return null;
        });
    }

    @Override
    public Optional<MetaRecord> getRecord(String partition, String sortKey) {
        return run(() -> delegate.getRecord(partition, sortKey));
    }

    @Override
    public List<MetaRecord> scanRecords(String partition, String prefix, String startAfter, int limit) {
        return run(() -> delegate.scanRecords(partition, prefix, startAfter, limit));
    }

    @Override
    public PeerHealth health() {
        return run(delegate::health);
    }

    @Override
    public PeerStats stats() {
        return run(delegate::stats);
    }

    @Override
    public ScrubReport scrub() {
        return run(delegate::scrub);
    }

    @Override
    public org.mictlanx.peer.api.StoreRebuildStatus rebuildStore(boolean force) {
        return run(() -> delegate.rebuildStore(force));
    }

    @Override
    public org.mictlanx.peer.api.StoreRebuildStatus rebuildStatus() {
        return run(delegate::rebuildStatus);
    }

    /** Closes nothing: the server owns the delegate and the executor and closes them itself. */
    @Override
    public void close() {
    }
}
