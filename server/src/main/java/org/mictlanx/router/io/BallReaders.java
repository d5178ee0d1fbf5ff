package org.mictlanx.router.io;

import java.util.concurrent.Executor;
import org.mictlanx.router.quorum.Fanout;
import org.mictlanx.router.meta.BallRecord;

/** Makes the {@link BallReader}s of one router: what every reader shares, given once by constructor. */
public final class BallReaders {

    private final ChunkIo chunks;
    private final ChunkCensus census;
    private final Fanout fanout;
    private final Executor executor;
    private final int prefetchChunks;
    private final long verifyAheadBytes;

    /**
     * @param chunks         fetches and authenticates the chunks
     * @param census         proves chunks of the range beyond the prefetch window lost ({@link BallReader#prime})
     * @param fanout         runs the peers' verification of the chunks past the window ({@link VerifyAhead})
     * @param executor       runs the chunk fetches and the census probes
     * @param prefetchChunks chunks fetched ahead of the one being read
     * @param verifyAheadBytes bytes past the prefetch window the peers verify before the status line (0: none)
     */
    public BallReaders(ChunkIo chunks, ChunkCensus census, Fanout fanout, Executor executor, int prefetchChunks,
                       long verifyAheadBytes) {
        this.chunks = chunks;
        this.census = census;
        this.fanout = fanout;
        this.executor = executor;
        this.prefetchChunks = prefetchChunks;
        this.verifyAheadBytes = verifyAheadBytes;
    }

    /** A reader of bytes {@code [offset, offset + length)} of {@code ball} ({@code length < 0}: to the end); not yet primed. */
    BallReader open(String bucket, String key, BallRecord ball, long offset, long length) {
        return new BallReader(chunks, census, fanout, executor, prefetchChunks, verifyAheadBytes, bucket, key, ball, offset,
                length);
    }
}
