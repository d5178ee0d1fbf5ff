package org.mictlanx.router.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RendezvousPlacementTest {

    private static List<PeerDescriptor> peers(int n) {
        List<PeerDescriptor> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(PeerDescriptor.local("p" + i));
        return out;
    }

    @Test
    void replicasAreDistinctDeterministicAndCappedByPeerCount() {
        Placement p = new RendezvousPlacement(peers(5));
        for (int k = 0; k < 1000; k++) {
            List<PeerDescriptor> r = p.place("key" + k, 3);
            assertEquals(3, new HashSet<>(r).size());
            assertEquals(r, new RendezvousPlacement(peers(5)).place("key" + k, 3));
        }
        assertEquals(5, p.place("x", 9).size());
        assertEquals(List.of(), new RendezvousPlacement(List.of()).place("x", 3));
    }

    @Test
    void equalWeightsSpreadEvenly() {
        Placement p = new RendezvousPlacement(peers(8));
        Map<String, Integer> primaries = new HashMap<>();
        int keys = 80_000;
        for (int k = 0; k < keys; k++) primaries.merge(p.place("chunk-" + k, 1).get(0).id(), 1, Integer::sum);
        for (int count : primaries.values()) {
            assertTrue(Math.abs(count - keys / 8) < keys / 8 * 0.05, "share " + count + " of " + keys);
        }
    }

    @Test
    void weightsSetTheShare() {
        List<PeerDescriptor> ps = List.of(new PeerDescriptor("a", "local:a", null, 1), new PeerDescriptor("b", "local:b", null, 3));
        Placement p = new RendezvousPlacement(ps);
        int b = 0;
        int keys = 40_000;
        for (int k = 0; k < keys; k++) if (p.place("k" + k, 1).get(0).id().equals("b")) b++;
        assertEquals(0.75, b / (double) keys, 0.02);
    }

    @Test
    void addingOnePeerMovesAboutOneOverNPlusOne() {
        int n = 9;
        Placement before = new RendezvousPlacement(peers(n));
        Placement after = new RendezvousPlacement(peers(n + 1));
        int keys = 50_000;
        int movedReplicas = 0;
        for (int k = 0; k < keys; k++) {
            Set<String> a = ids(before.place("c" + k, 3));
            Set<String> b = ids(after.place("c" + k, 3));
            for (String id : b) if (!a.contains(id)) {
                movedReplicas++;
                assertEquals("p" + n, id, "only the new peer gains replicas");
            }
        }
        double fraction = movedReplicas / (keys * 3.0);
        assertEquals(1.0 / (n + 1), fraction, 0.01);
    }

    @Test
    void replicasGoToDistinctZonesWhenPossible() {
        List<PeerDescriptor> ps = new ArrayList<>();
        for (int i = 0; i < 6; i++) ps.add(new PeerDescriptor("p" + i, "local:p" + i, "z" + (i % 3), 1));
        Placement p = new RendezvousPlacement(ps);
        for (int k = 0; k < 2000; k++) {
            List<PeerDescriptor> r = p.place("k" + k, 3);
            assertEquals(3, r.stream().map(PeerDescriptor::zone).distinct().count());
        }
        // with 2 zones and N=3 both zones are used and the replicas stay distinct
        List<PeerDescriptor> two = new ArrayList<>();
        for (int i = 0; i < 4; i++) two.add(new PeerDescriptor("q" + i, "local:q" + i, "z" + (i % 2), 1));
        for (int k = 0; k < 500; k++) {
            List<PeerDescriptor> r = new RendezvousPlacement(two).place("k" + k, 3);
            assertEquals(3, new HashSet<>(r).size());
            assertEquals(2, r.stream().map(PeerDescriptor::zone).distinct().count());
        }
    }

    @Test
    void layoutParsesAndVersionsChanges() {
        ClusterLayout l = new ClusterLayout(4, ClusterLayout.parse("a=http://h:1|zone=z1|weight=2, b=http://h:2").peers(), Set.of());
        assertEquals(4, l.version());
        assertEquals("z1", l.peers().get(0).zone());
        assertEquals(2.0, l.peers().get(0).weight());
        assertEquals("default", l.peers().get(1).zone());
        ClusterLayout drained = l.withDraining("a");
        assertEquals(5, drained.version());
        assertEquals(List.of("b"), drained.active().stream().map(PeerDescriptor::id).toList());
        ClusterLayout removed = drained.without("a");
        assertEquals(6, removed.version());
        assertNotEquals(l.peers(), removed.peers());
    }

    private static Set<String> ids(List<PeerDescriptor> ps) {
        Set<String> s = new HashSet<>();
        for (PeerDescriptor p : ps) s.add(p.id());
        return s;
    }
}
