package org.mictlanx.xolo.identity;

/**
 * Who a verified request acts as. {@code user} is the owner id stored on buckets
 * ({@link org.mictlanx.router.BucketInfo#owner()}): the user's name, {@link #ROOT_USER} for root.
 */
public record Principal(String user, String accessKeyId, boolean root) {

    public static final String ROOT_USER = "root";
}
