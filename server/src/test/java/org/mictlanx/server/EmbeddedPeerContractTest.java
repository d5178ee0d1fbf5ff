package org.mictlanx.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.peer.LocalPeer;
import org.mictlanx.peer.PeerConfig;
import org.mictlanx.peer.api.PeerApi;
import org.mictlanx.peer.api.PeerException;
import org.mictlanx.peer.testing.PeerApiContract;

/**
 * The peer contract through {@link EmbeddedPeer}, called from virtual threads as the router calls it,
 * so every call takes the platform-thread hand-off.
 */
class EmbeddedPeerContractTest extends PeerApiContract {

    private final ExecutorService blocking = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());

    @AfterEach
    void stopExecutor() {
        blocking.shutdownNow();
    }

    /** {@code api} as seen from a fresh virtual thread per call. */
    private static PeerApi fromVirtualThreads(PeerApi api) {
        return (PeerApi) Proxy.newProxyInstance(PeerApi.class.getClassLoader(), new Class<?>[] {PeerApi.class},
                (proxy, method, args) -> {
                    AtomicReference<Object> result = new AtomicReference<>();
                    AtomicReference<Throwable> failure = new AtomicReference<>();
                    Thread.ofVirtual().start(() -> {
                        try {
                            result.set(method.invoke(api, args));
                        } catch (InvocationTargetException e) {
                            failure.set(e.getCause());
                        } catch (IllegalAccessException e) {
                            failure.set(e);
                        }
                    }).join();
                    if (failure.get() != null) throw failure.get();
                    return result.get();
                });
    }

    @Override
    protected Started start(PeerConfig config) {
        LocalPeer p = LocalPeer.open(config);
        return new Started(fromVirtualThreads(new EmbeddedPeer(p, blocking)), p, p);
    }

    @Test
    void callsFromVirtualThreadsRunOnPlatformThreadsAndKeepTheirExceptions() {
        AtomicReference<Boolean> ranVirtual = new AtomicReference<>();
        PeerApi probe = (PeerApi) Proxy.newProxyInstance(PeerApi.class.getClassLoader(), new Class<?>[] {PeerApi.class},
                (proxy, method, args) -> {
                    ranVirtual.set(Thread.currentThread().isVirtual());
                    if (method.getName().equals("deleteChunk")) throw new PeerException(PeerException.Kind.CORRUPT, "x");
                    return method.getName().equals("getRecord") ? Optional.empty() : null;
                });
        PeerApi embedded = fromVirtualThreads(new EmbeddedPeer(probe, blocking));
        assertEquals(Optional.empty(), embedded.getRecord("p", "k"));
        assertFalse(ranVirtual.get(), "the delegate ran on a platform thread");
        PeerException e = assertThrows(PeerException.class, () -> embedded.deleteChunk("c"));
        assertEquals(PeerException.Kind.CORRUPT, e.kind());
    }
}
