package org.mictlanx.router.cluster;

import java.util.regex.Pattern;

/**
 * One storage peer as the layout knows it.
 *
 * @param id     stable identifier, 1 to 64 characters of {@code [A-Za-z0-9._-]}
 * @param url    how to reach it ({@code http://host:port}, or {@code local:ID} for an embedded peer)
 * @param zone   failure domain; replicas of a chunk go to distinct zones when there are enough
 * @param weight relative share of the data, {@code > 0}
 */
public record PeerDescriptor(String id, String url, String zone, double weight) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

    public PeerDescriptor {
        if (id == null || !ID.matcher(id).matches()) throw new IllegalArgumentException("bad peer id: " + id);
        if (url == null || url.isBlank()) throw new IllegalArgumentException("peer " + id + " has no url");
        zone = zone == null || zone.isBlank() ? "default" : zone;
        if (!(weight > 0) || Double.isInfinite(weight)) throw new IllegalArgumentException("peer " + id + " weight must be > 0");
    }

    /** An embedded peer with default zone and weight. */
    public static PeerDescriptor local(String id) {
        return new PeerDescriptor(id, "local:" + id, "default", 1.0);
    }
}
