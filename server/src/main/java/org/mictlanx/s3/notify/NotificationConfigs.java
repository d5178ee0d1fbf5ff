package org.mictlanx.s3.notify;

import java.util.Optional;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.xml.S3Xml;

/**
 * Where a bucket's notification configuration lives: a {@link BucketConfigurations} record of kind
 * NOTIFICATION holding the validated, normalized S3 XML document (ids filled in).
 */
public final class NotificationConfigs {

    private final BucketConfigurations configs;
    private final S3Xml xml;
    private final TargetRegistry targets;

    public NotificationConfigs(BucketConfigurations configs, S3Xml xml, TargetRegistry targets) {
        this.configs = configs;
        this.xml = xml;
        this.targets = targets;
    }

    /** The stored document (quorum read), if any. */
    public Optional<NotificationConfiguration> document(BucketInfo bucket) {
        return configs.get(bucket, BucketConfigurations.Kind.NOTIFICATION).map(d -> xml.read(d, NotificationConfiguration.class));
    }

    /**
     * The bucket's rules from a read at most {@link BucketConfigurations#TTL_NANOS} old (a change made
     * through another router is honored within that). Targets removed from the settings since the
     * configuration was stored are simply not matched.
     */
    public Optional<NotificationRules> recentRules(BucketInfo bucket) {
        return configs.recent(bucket, BucketConfigurations.Kind.NOTIFICATION)
                .map(d -> NotificationRules.of(xml.read(d, NotificationConfiguration.class), arn -> true));
    }

    /** The ARNs the stored configuration of {@code bucket} names (quorum read); empty without one. */
    public java.util.Set<String> arns(BucketInfo bucket) {
        return document(bucket).map(d -> NotificationRules.of(d, arn -> true).rules().stream().map(NotificationRules.Rule::arn)
                .collect(java.util.stream.Collectors.toSet())).orElse(java.util.Set.of());
    }

    /**
     * Validates {@code doc} against the targets and stores it; an empty document removes the
     * configuration. The targets are checked with fresh reads ({@link TargetRegistry#usable}) before the
     * document is stored and again after: a target whose removal began meanwhile (through any router)
     * fails the second check, the previous configuration is put back and the request is refused as for
     * an unknown target (its removal, which checks the configurations after marking the target, may
     * instead have seen this one and refused itself; never both succeed).
     */
    public void put(BucketInfo bucket, NotificationConfiguration doc) {
        NotificationRules rules = NotificationRules.of(doc, targets::usable);
        if (rules.rules().isEmpty()) {
            configs.delete(bucket, BucketConfigurations.Kind.NOTIFICATION);
            return;
        }
        Optional<byte[]> before = configs.get(bucket, BucketConfigurations.Kind.NOTIFICATION);
        configs.put(bucket, BucketConfigurations.Kind.NOTIFICATION, xml.write(NotificationRules.normalized(doc, rules)));
        java.util.List<String> gone = rules.rules().stream().map(NotificationRules.Rule::arn).distinct()
                .filter(arn -> !targets.usable(arn)).toList();
        if (gone.isEmpty()) return;
        if (before.isPresent()) {
            configs.put(bucket, BucketConfigurations.Kind.NOTIFICATION, before.get());
        } else {
            configs.delete(bucket, BucketConfigurations.Kind.NOTIFICATION);
        }
        throw new org.mictlanx.s3.S3Exception(org.mictlanx.s3.S3ErrorCode.INVALID_ARGUMENT,
                "Unable to validate the following destination configurations: " + String.join(", ", gone));
    }
}
