package org.mictlanx.bench;

/** What each request of a cell does. */
public enum Workload {
    /** Every request is a PutObject of a fresh copy of the payload. */
    PUT,
    /** Every request is a GetObject of a preloaded ball, body read and discarded. */
    GET,
    /** 70% GET of preloaded balls, 30% PUT, chosen per request from a seeded random stream. */
    MIXED;

    /** Share of GET requests in {@link #MIXED}. */
    public static final double MIXED_GET_SHARE = 0.70;
}
