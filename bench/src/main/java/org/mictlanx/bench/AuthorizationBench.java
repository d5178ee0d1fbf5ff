package org.mictlanx.bench;

import org.mictlanx.xolo.policy.ObjectVersion;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.MetaTable;
import org.mictlanx.s3.Authorizer;
import org.mictlanx.s3.RequestConditionKeys;
import org.mictlanx.s3.S3Operation;
import org.mictlanx.xolo.identity.Principal;
import org.mictlanx.xolo.policy.AccessControl;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.policy.PolicyStore;

/**
 * Authorization cost per request, in one thread, without I/O: the front door's authorization step
 * (permission table, condition keys object, policy engine) for
 * <ol>
 *   <li>{@code baseline}: the owner-only rule that existed before policies (principal look-up, owner compare);</li>
 *   <li>{@code no-policy}: a user without policies on a bucket without policy (the fast path);</li>
 *   <li>{@code bucket-policy}: an anonymous GetObject allowed by a public-read bucket policy;</li>
 *   <li>{@code user-policy}: a user with the built-in {@code readonly} policy reading another user's bucket.</li>
 * </ol>
 * Each case runs warm-up then {@code --millis} ms (default 2000) and prints ns/op and bytes allocated
 * per op (the thread's allocation counter). Policies are read from an in-memory table through the
 * production {@link PolicyStore} with its default 2 s cache, so steady state measures cache hits.
 *
 * <p>{@code java -cp server/target/classes:$(cat cp.txt) org.mictlanx.xolo.policy.bench.AuthorizationBench [--millis 2000]}
 */
public final class AuthorizationBench {

    private static volatile Object sink;

    private AuthorizationBench() {
    }

    public static void main(String[] args) {
        long millis = args.length == 2 && args[0].equals("--millis") ? Long.parseLong(args[1]) : 2000;
        PolicyStore store = new PolicyStore(new MapTable());
        Principal alice = new Principal("alice", "AKIAALICE00000000000", false);
        Principal bob = new Principal("bob", "AKIABOB0000000000000", false);
        Function<String, Optional<Principal>> principals = k -> Optional.of(k.equals(alice.accessKeyId()) ? alice : bob);
        Authorizer authorizer = new Authorizer(principals, new AccessControl(store));
        BucketInfo own = new BucketInfo("alices", "alice", "us-east-1", Instant.parse("2026-01-01T00:00:00Z"), 3);
        BucketInfo open = new BucketInfo("website", "alice", "us-east-1", Instant.parse("2026-01-01T00:00:01Z"), 3);
        store.putBucketPolicy(open, ("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::website/*\"}]}").getBytes());
        store.users().attach("bob", "readonly");
        S3Operation.GetObject get = new S3Operation.GetObject("alices", "photos/2026/cat.jpg", null,
                new S3Operation.ResponseOverrides(Map.of()), null);
        S3Operation.GetObject getOpen = new S3Operation.GetObject("website", "index.html", null,
                new S3Operation.ResponseOverrides(Map.of()), null);
        Map<String, List<String>> headers = Map.of("host", List.of("localhost"));
        Supplier<Map<String, String>> noTags = () -> null;
        Instant now = Instant.now();
        Optional<BucketInfo> ownB = Optional.of(own);
        Optional<BucketInfo> openB = Optional.of(open);

        List<String> out = new ArrayList<>();
        out.add(run("baseline", millis, () -> {
            Principal p = principals.apply(alice.accessKeyId()).orElseThrow();
            return p.root() || p.user().equals(own.owner());
        }));
        out.add(run("no-policy", millis, () -> {
            Caller c = authorizer.caller(alice.accessKeyId());
            RequestConditionKeys keys = new RequestConditionKeys(c, get, headers, "127.0.0.1", false, "REST-HEADER",
                    "AWS4-HMAC-SHA256", now, noTags, () -> ObjectVersion.NONE);
            authorizer.authorize(c, get, ownB, keys);
            return keys;
        }));
        out.add(run("bucket-policy", millis, () -> {
            Caller c = authorizer.caller(null);
            RequestConditionKeys keys = new RequestConditionKeys(c, getOpen, headers, "127.0.0.1", false, null, null, now,
                    noTags, () -> ObjectVersion.NONE);
            authorizer.authorize(c, getOpen, openB, keys);
            return keys;
        }));
        out.add(run("user-policy", millis, () -> {
            Caller c = authorizer.caller(bob.accessKeyId());
            RequestConditionKeys keys = new RequestConditionKeys(c, get, headers, "127.0.0.1", false, "REST-HEADER",
                    "AWS4-HMAC-SHA256", now, noTags, () -> ObjectVersion.NONE);
            authorizer.authorize(c, get, ownB, keys);
            return keys;
        }));
        System.out.printf("%-14s %10s %12s%n", "case", "ns/op", "bytes/op");
        out.forEach(System.out::println);
    }

    private static String run(String name, long millis, Supplier<Object> op) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long warm = System.nanoTime() + Duration.ofMillis(millis / 2).toNanos();
        while (System.nanoTime() < warm) {
            for (int i = 0; i < 1000; i++) {
                sink = op.get();
            }
        }
        long ops = 0;
        long allocated = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        long end = start + Duration.ofMillis(millis).toNanos();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                sink = op.get();
            }
            ops += 1000;
        }
        long took = System.nanoTime() - start;
        long bytes = threads.getCurrentThreadAllocatedBytes() - allocated;
        return String.format("%-14s %10.1f %12.1f", name, (double) took / ops, (double) bytes / ops);
    }

    /** An in-memory {@link MetaTable}, so the bench measures authorization, not the network. */
    private static final class MapTable implements MetaTable {
        private final ConcurrentSkipListMap<String, byte[]> map = new ConcurrentSkipListMap<>();

        @Override
        public void put(String partition, String sortKey, byte[] value) {
            map.put(partition + "\u0000" + sortKey, value);
        }

        @Override
        public Optional<byte[]> get(String partition, String sortKey) {
            return Optional.ofNullable(map.get(partition + "\u0000" + sortKey));
        }

        @Override
        public boolean delete(String partition, String sortKey) {
            return map.remove(partition + "\u0000" + sortKey) != null;
        }

        @Override
        public List<Entry> scan(String partition, String prefix, String startAfter, int limit) {
            List<Entry> out = new ArrayList<>();
            String base = partition + "\u0000";
            String from = base + (startAfter.compareTo(prefix) > 0 ? startAfter : prefix);
            for (Map.Entry<String, byte[]> e : map.tailMap(from, true).entrySet()) {
                if (!e.getKey().startsWith(base + prefix) || out.size() >= limit) {
                    break;
                }
                String sortKey = e.getKey().substring(base.length());
                if (sortKey.compareTo(startAfter) > 0) {
                    out.add(new Entry(sortKey, e.getValue()));
                }
            }
            return out;
        }
    }
}
