package org.mictlanx.router.meta;

/**
 * Partition names of the replicated table. A bucket's balls live in the partition named after
 * the bucket (S3 bucket names never start with '_'); the router's own partitions start with
 * {@code _mx.}; other services' partitions (through {@code MetaTable}) with {@code _svc.}.
 */
public final class Partitions {

    public static final String BUCKETS = "_mx.buckets";
    public static final String LAYOUT = "_mx.layout";
    /** Registry of service partitions, so repair can find them. */
    public static final String SERVICES = "_mx.partitions";
    public static final String SERVICE_PREFIX = "_svc.";
    /** Repair hints: segments and chunk copies owed a repair (see {@code RepairHints}). */
    public static final String REPAIR_HINTS = "_mx.hints";
    private static final String REF_PREFIX = "_mx.ref.";

    private Partitions() {
    }

    /**
     * Partition of a ball-id reference record (ball id to bucket and key), sharded 16 ways by the
     * last hex digit of the ball id. GC follows it from a chunk id back to the ball's metadata.
     */
    public static String ref(String ballId) {
        return REF_PREFIX + ballId.charAt(ballId.length() - 1);
    }

    /** Every reference partition. */
    public static java.util.List<String> refPartitions() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (char c : "0123456789abcdef".toCharArray()) out.add(REF_PREFIX + c);
        return out;
    }

    public static boolean isBucket(String partition) {
        return !partition.startsWith("_");
    }
}
