package org.mictlanx.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.Router;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.notify.NotificationConfigs;
import org.mictlanx.s3.notify.TargetRegistry;
import org.mictlanx.s3.xml.S3Xml;

/**
 * The admin API's event notification targets ({@code mictlanx admin notify target add|list|remove}):
 * webhooks kept in the replicated metadata ({@link TargetRegistry}), so every router sees them within
 * {@link TargetRegistry#TTL_NANOS}, listed beside those of the {@code notify-webhooks} setting. A target
 * some bucket's notification configuration names cannot be removed (409 TargetInUse, as MinIO refuses
 * it): remove it from those configurations first.
 */
final class NotifyAdmin {

    private final Router router;
    private final TargetRegistry targets;
    private final NotificationConfigs configs;

    NotifyAdmin(Router router, TargetRegistry targets) {
        this.router = router;
        this.targets = targets;
        this.configs = new NotificationConfigs(new BucketConfigurations(router.metaTable(), System::nanoTime), new S3Xml(), targets);
    }

    Map<String, Object> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TargetRegistry.Defined d : targets.list()) out.add(row(d));
        return Map.of("targets", out);
    }

    Map<String, Object> add(String id, String url) {
        return row(targets.add(id, url));
    }

    /**
     * Removes target {@code id} unless a configuration names it: the target is first marked as being
     * removed (no configuration naming it can be stored from then on, through any router), then every
     * bucket's configuration is read; one naming it puts the target back and refuses (TargetInUse).
     */
    Map<String, Object> remove(String id) {
        String arn = org.mictlanx.s3.notify.NotificationTargets.webhookArn(org.mictlanx.s3.notify.NotificationTargets.checkId(id));
        String url = targets.beginRemoval(id);
        List<String> users = new ArrayList<>();
        try {
            for (BucketInfo b : router.listBuckets()) {
                if (configs.arns(b).contains(arn)) users.add(b.name());
            }
        } catch (RuntimeException e) {
            targets.abortRemoval(id, url);
            throw e;
        }
        if (!users.isEmpty()) {
            targets.abortRemoval(id, url);
            throw new TargetRegistry.Refused("TargetInUse", "target " + id + " is used by the notification configuration of bucket(s) "
                    + String.join(", ", users.subList(0, Math.min(10, users.size()))) + (users.size() > 10 ? ", ..." : ""));
        }
        targets.finishRemoval(id);
        return Map.of("id", id, "arn", arn, "removed", true);
    }

    private static Map<String, Object> row(TargetRegistry.Defined d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("arn", d.arn());
        m.put("url", d.url());
        m.put("source", d.source());
        return m;
    }
}
