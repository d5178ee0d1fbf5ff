package org.mictlanx.router.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Weighted rendezvous (highest random weight) hashing. For each key every peer gets the score
 * {@code -weight / ln(u)} with {@code u} a uniform hash of (key, peer) in (0, 1); the highest
 * scores win. A peer's expected share is proportional to its weight, and adding one peer to n moves
 * only the keys it now wins (about 1/(n+1) at equal weights). Zones: the best-scored peer of each
 * unused zone is taken first, then the remaining best scores.
 */
public final class RendezvousPlacement implements Placement {

    private final List<PeerDescriptor> peers;
    private final long[] peerHashes;

    public RendezvousPlacement(Collection<PeerDescriptor> peers) {
        this.peers = List.copyOf(peers);
        Set<String> ids = new HashSet<>();
        for (PeerDescriptor p : this.peers) {
            if (!ids.add(p.id())) throw new IllegalArgumentException("duplicate peer id " + p.id());
        }
        this.peerHashes = new long[this.peers.size()];
        for (int i = 0; i < peerHashes.length; i++) peerHashes[i] = fnv1a(this.peers.get(i).id());
    }

    @Override
    public List<PeerDescriptor> peers() {
        return peers;
    }

    @Override
    public List<PeerDescriptor> place(String key, int n) {
        int count = Math.min(n, peers.size());
        if (count <= 0) return List.of();
        long keyHash = fnv1a(key);
        Integer[] order = new Integer[peers.size()];
        double[] scores = new double[peers.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            scores[i] = score(keyHash, peerHashes[i], peers.get(i).weight());
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        List<PeerDescriptor> chosen = new ArrayList<>(count);
        boolean[] taken = new boolean[order.length];
        Set<String> zones = new HashSet<>();
        for (int k = 0; k < order.length && chosen.size() < count; k++) {
            PeerDescriptor p = peers.get(order[k]);
            if (zones.add(p.zone())) {
                chosen.add(p);
                taken[k] = true;
            }
        }
        for (int k = 0; k < order.length && chosen.size() < count; k++) {
            if (!taken[k]) chosen.add(peers.get(order[k]));
        }
        return List.copyOf(chosen);
    }

    private static double score(long keyHash, long peerHash, double weight) {
        long h = mix(keyHash ^ mix(peerHash));
        // 53 random bits mapped into the open interval (0, 1)
        double u = ((h >>> 11) + 0.5) / (double) (1L << 53);
        return -weight / Math.log(u);
    }

    /** The splitmix64 finalizer: a bijective avalanche mix of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
