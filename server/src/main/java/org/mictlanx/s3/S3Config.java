package org.mictlanx.s3;

import java.util.Locale;

/**
 * Front-door settings.
 *
 * @param baseDomain        the domain of virtual-hosted-style requests ({@code bucket.baseDomain});
 *                          null or empty: path-style only
 * @param region            the region this store answers for (GetBucketLocation, default LocationConstraint)
 * @param maxObjectSize     largest single PutObject body in bytes (EntityTooLarge above it)
 * @param maxXmlBodyBytes   largest XML request body read (CreateBucketConfiguration, Delete)
 * @param sseCustomerKeysOverHttp whether SSE-C headers are accepted over plain HTTP (S3 refuses
 *                          them: only for tests or behind a TLS-terminating proxy)
 */
public record S3Config(String baseDomain, String region, long maxObjectSize, int maxXmlBodyBytes,
                       boolean sseCustomerKeysOverHttp) {

    /** S3's own single-PUT limit. */
    public static final long DEFAULT_MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024;
    /** Enough for 1000 keys of 1024 bytes each, escaped. */
    public static final int DEFAULT_MAX_XML_BODY = 2 * 1024 * 1024;

    public S3Config {
        baseDomain = baseDomain == null || baseDomain.isBlank() ? null : baseDomain.toLowerCase(Locale.ROOT);
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region is required");
        }
        if (maxObjectSize <= 0 || maxXmlBodyBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public S3Config(String baseDomain, String region, long maxObjectSize, int maxXmlBodyBytes) {
        this(baseDomain, region, maxObjectSize, maxXmlBodyBytes, false);
    }

    /** These settings with SSE-C over plain HTTP allowed or not. */
    public S3Config withSseCustomerKeysOverHttp(boolean allow) {
        return new S3Config(baseDomain, region, maxObjectSize, maxXmlBodyBytes, allow);
    }

    public S3Config(String baseDomain, String region) {
        this(baseDomain, region, DEFAULT_MAX_OBJECT_SIZE, DEFAULT_MAX_XML_BODY);
    }
}
