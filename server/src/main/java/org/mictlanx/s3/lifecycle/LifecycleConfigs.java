package org.mictlanx.s3.lifecycle;

import java.util.Optional;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.xml.S3Xml;

/**
 * Where a bucket's lifecycle configuration lives: a {@link BucketConfigurations} record of kind
 * LIFECYCLE (replicated metadata beside the bucket record, tied to the bucket's creation time so a
 * recreated bucket starts without rules), holding the validated, normalized S3 XML document.
 */
public final class LifecycleConfigs {

    private final BucketConfigurations configs;
    private final S3Xml xml;

    public LifecycleConfigs(BucketConfigurations configs, S3Xml xml) {
        this.configs = configs;
        this.xml = xml;
    }

    /** The stored document (quorum read). */
    public Optional<LifecycleConfiguration> document(BucketInfo bucket) {
        return configs.get(bucket, BucketConfigurations.Kind.LIFECYCLE).map(d -> xml.read(d, LifecycleConfiguration.class));
    }

    /** The bucket's rules from a quorum read. */
    public Optional<LifecycleRules> rules(BucketInfo bucket) {
        return document(bucket).map(LifecycleRules::of);
    }

    /** The bucket's rules, possibly from a read at most {@link BucketConfigurations#TTL_NANOS} old (for response headers). */
    public Optional<LifecycleRules> recentRules(BucketInfo bucket) {
        return configs.recent(bucket, BucketConfigurations.Kind.LIFECYCLE)
                .map(d -> LifecycleRules.of(xml.read(d, LifecycleConfiguration.class)));
    }

    /** Validates and stores {@code doc}, replacing any configuration. */
    public void put(BucketInfo bucket, LifecycleConfiguration doc) {
        configs.put(bucket, BucketConfigurations.Kind.LIFECYCLE, xml.write(LifecycleRules.normalized(doc)));
    }

    /** Removes the configuration; returns whether one existed. */
    public boolean delete(BucketInfo bucket) {
        return configs.delete(bucket, BucketConfigurations.Kind.LIFECYCLE);
    }
}
