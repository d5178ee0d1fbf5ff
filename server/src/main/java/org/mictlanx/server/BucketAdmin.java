package org.mictlanx.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.BucketUsage;
import org.mictlanx.router.BucketUsages;
import org.mictlanx.router.Router;
import org.mictlanx.router.RouterException;

/**
 * The admin API's bucket commands over {@link Router#usage()}: list and show buckets with owner, size,
 * object count and quota; set and clear hard quotas; recount usage. Every router enforces a quota
 * change within its quota refresh interval.
 */
final class BucketAdmin {

    private final Router router;

    BucketAdmin(Router router) {
        this.router = router;
    }

    Map<String, Object> list() {
        Map<String, BucketInfo> infos = new LinkedHashMap<>();
        for (BucketInfo b : router.listBuckets()) infos.put(b.name(), b);
        List<Map<String, Object>> out = new ArrayList<>();
        for (BucketUsage u : router.usage().all()) {
            BucketInfo b = infos.get(u.bucket());
            if (b != null) out.add(row(b, u));
        }
        return Map.of("buckets", out);
    }

    Map<String, Object> show(String name) {
        BucketInfo b = router.bucket(name).orElseThrow(() -> new RouterException(RouterException.Kind.NO_SUCH_BUCKET, "no bucket " + name));
        Map<String, Object> out = row(b, router.usage().usage(name));
        out.put("region", b.region());
        out.put("replication", b.replication());
        return out;
    }

    Map<String, Object> setQuota(String name, String size) {
        long bytes = ByteSizes.parse(size);
        router.usage().setQuota(name, bytes);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("quotaBytes", bytes);
        out.put("enforcedEverywhereWithinMillis", router.usageConfig().refreshInterval().toMillis());
        return out;
    }

    Map<String, Object> clearQuota(String name) {
        router.usage().clearQuota(name);
        return Map.of("name", name, "quotaBytes", -1);
    }

    /** Recounts one bucket, or every bucket when {@code name} is null. */
    Map<String, Object> recount(String name) {
        List<String> names = name != null ? List.of(name) : router.listBuckets().stream().map(BucketInfo::name).toList();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String n : names) {
            BucketUsages.Recount r = router.usage().recount(n);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n);
            m.put("before", figures(r.before()));
            m.put("after", figures(r.after()));
            m.put("corrected", !figures(r.before()).equals(figures(r.after())));
            out.add(m);
        }
        return Map.of("recounted", out);
    }

    private static Map<String, Object> row(BucketInfo b, BucketUsage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", b.name());
        m.put("owner", b.owner());
        m.put("created", b.created().toString());
        m.putAll(figures(u));
        m.put("quotaBytes", u.quotaBytes());
        return m;
    }

    private static Map<String, Object> figures(BucketUsage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sizeBytes", u.bytes());
        m.put("objects", u.objects());
        m.put("uploadBytes", u.uploadBytes());
        return m;
    }
}
