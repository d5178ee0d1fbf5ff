package org.mictlanx.router.cluster;

import java.util.List;

/**
 * Decides which peers hold the replicas of a key. Deterministic: every router with the same
 * layout computes the same answer, so nothing about placement needs to be stored.
 */
public interface Placement {

    /**
     * The {@code min(n, peers)} peers for {@code key}, distinct, in distinct zones while unused
     * zones remain, ordered by preference (the first is the primary).
     */
    List<PeerDescriptor> place(String key, int n);

    /** Every peer this placement may choose. */
    List<PeerDescriptor> peers();
}
