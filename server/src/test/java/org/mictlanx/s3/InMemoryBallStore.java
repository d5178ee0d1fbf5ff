package org.mictlanx.s3;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallLayout;
import org.mictlanx.router.BallPage;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.MetaTable;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.RouterException;
import org.mictlanx.s3.handler.Checksums;
import org.mictlanx.xolo.identity.InMemoryMetaTable;

/**
 * The {@link BallStore} contract in memory, for front-door tests: keys in UTF-8 byte order, digests
 * computed while reading the body, the verifier called before commit (nothing visible if it
 * throws), a declared length enforced. {@link #failNext} injects one router failure.
 */
public final class InMemoryBallStore implements BallStore {

    private static final Comparator<String> UTF8 = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private record Stored(BallInfo info, byte[] body) {
    }

    private record Layout(long id) implements BallLayout {
    }

    private final Map<String, BucketInfo> buckets = new ConcurrentSkipListMap<>();
    private final Map<String, ConcurrentSkipListMap<String, Stored>> balls = new ConcurrentHashMap<>();
    private final MetaTable backing = new InMemoryMetaTable();
    /** Sort keys whose metadata writes fail while set (fault injection); null: none. */
    private volatile java.util.function.Predicate<String> failingMetaPuts;
    private final MetaTable meta = new MetaTable() {
        @Override
        public void put(String partition, String sortKey, byte[] value) {
            var failing = failingMetaPuts;
            if (failing != null && failing.test(sortKey)) {
                throw new RouterException(RouterException.Kind.QUORUM_FAILED, "injected metadata write failure");
            }
            backing.put(partition, sortKey, value);
        }

        @Override
        public Optional<byte[]> get(String partition, String sortKey) {
            return backing.get(partition, sortKey);
        }

        @Override
        public boolean delete(String partition, String sortKey) {
            return backing.delete(partition, sortKey);
        }

        @Override
        public List<Entry> scan(String partition, String prefix, String startAfter, int limit) {
            return backing.scan(partition, prefix, startAfter, limit);
        }
    };
    private final AtomicLong versions = new AtomicLong();
    private final AtomicReference<RouterException> injected = new AtomicReference<>();
    private final Clock clock;

    public InMemoryBallStore(Clock clock) {
        this.clock = clock;
    }

    /** While {@code sortKeys} is set, metadata writes of matching sort keys fail with QUORUM_FAILED (null: none). */
    public void failMetaPuts(java.util.function.Predicate<String> sortKeys) {
        failingMetaPuts = sortKeys;
    }

    /** The next put, open or list fails with {@code failure}. */
    public void failNext(RouterException failure) {
        injected.set(failure);
    }

    private void maybeFail() {
        RouterException e = injected.getAndSet(null);
        if (e != null) {
            throw e;
        }
    }

    @Override
    public synchronized BucketInfo createBucket(String name, String owner, String region) {
        BucketInfo existing = buckets.get(name);
        if (existing != null) {
            throw new RouterException(RouterException.Kind.BUCKET_EXISTS, "exists", existing.owner(), null);
        }
        BucketInfo b = new BucketInfo(name, owner, region, clock.instant(), 1);
        buckets.put(name, b);
        balls.put(name, new ConcurrentSkipListMap<>(UTF8));
        return b;
    }

    @Override
    public Optional<BucketInfo> bucket(String name) {
        return Optional.ofNullable(buckets.get(name));
    }

    @Override
    public List<BucketInfo> listBuckets() {
        return List.copyOf(buckets.values());
    }

    @Override
    public synchronized BucketInfo replaceBucketTags(String name, Map<String, String> tags) {
        BucketInfo b = buckets.get(name);
        if (b == null) {
            throw new RouterException(RouterException.Kind.NO_SUCH_BUCKET, name);
        }
        BucketInfo next = b.withTags(tags);
        buckets.put(name, next);
        return next;
    }

    @Override
    public synchronized void deleteBucket(String name) {
        var content = balls.get(name);
        if (content == null) {
            throw new RouterException(RouterException.Kind.NO_SUCH_BUCKET, name);
        }
        if (!content.isEmpty()) {
            throw new RouterException(RouterException.Kind.BUCKET_NOT_EMPTY, name);
        }
        buckets.remove(name);
        balls.remove(name);
    }

    @Override
    public BallInfo putBall(PutBall request, InputStream body) {
        var content = content(request.bucket());
        maybeFail();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try {
            body.transferTo(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = data.toByteArray();
        if (request.length() >= 0 && bytes.length != request.length()) {
            throw new RouterException(RouterException.Kind.INCOMPLETE_BODY, "body length " + bytes.length);
        }
        var digests = Checksums.compute(bytes, request.digests());
        request.verifier().verify(digests);
        BallInfo info = new BallInfo(request.bucket(), request.key(), bytes.length,
                java.util.HexFormat.of().formatHex(digests.get(org.mictlanx.router.Digest.MD5)),
                clock.instant(), request.headers(), request.userMetadata(), digests, versions.incrementAndGet(),
                new Layout(versions.get()), List.of(), null, request.tags());
        content.put(request.key(), new Stored(info, bytes));
        return info;
    }

    @Override
    public Optional<BallInfo> headBall(String bucket, String key) {
        return Optional.ofNullable(content(bucket).get(key)).map(Stored::info);
    }

    @Override
    public InputStream openBall(BallInfo ball, long offset, long length) {
        maybeFail();
        Stored s = content(ball.bucket()).get(ball.key());
        if (s == null || s.info().version() != ball.version()) {
            throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE, "gone");
        }
        long n = length < 0 ? s.body().length - offset : length;
        return new ByteArrayInputStream(s.body(), (int) offset, (int) n);
    }

    @Override
    public boolean deleteBall(String bucket, String key) {
        return content(bucket).remove(key) != null;
    }

    @Override
    public BallPage listBalls(String bucket, String prefix, String startAfter, int limit) {
        maybeFail();
        var content = content(bucket);
        var tail = startAfter == null ? content : content.tailMap(startAfter, false);
        List<BallInfo> out = new ArrayList<>();
        for (Stored s : tail.values()) {
            String key = s.info().key();
            if (prefix != null && !key.startsWith(prefix)) {
                if (UTF8.compare(key, prefix) > 0) {
                    break;
                }
                continue;
            }
            if (out.size() == limit) {
                return new BallPage(out, true);
            }
            out.add(s.info());
        }
        return new BallPage(out, false);
    }

    @Override
    public MetaTable metaTable() {
        return meta;
    }

    // Multipart and copy are not modelled by this fake: their handler tests run over the real Router.

    /** Same version, new tag set, as the router does. */
    @Override
    public synchronized Optional<BallInfo> replaceTags(String bucket, String key, Map<String, String> tags) {
        var content = content(bucket);
        Stored s = content.get(key);
        if (s == null) {
            return Optional.empty();
        }
        BallInfo i = s.info();
        BallInfo next = new BallInfo(i.bucket(), i.key(), i.size(), i.etag(), i.lastModified(), i.headers(),
                i.userMetadata(), i.digests(), i.version(), i.layout(), i.parts(), i.checksumType(), tags);
        content.put(key, new Stored(next, s.body()));
        return Optional.of(next);
    }

    @Override
    public BallInfo copyBall(BallInfo source, String bucket, String key, Map<String, String> headers,
                             Map<String, String> userMetadata, Map<String, String> tags,
                             org.mictlanx.router.WriteCondition condition) {
        throw new UnsupportedOperationException("not modelled by InMemoryBallStore");
    }

    @Override
    public String createUpload(String bucket, String key, Map<String, String> headers, Map<String, String> userMetadata,
                               Map<String, String> tags, java.util.Set<org.mictlanx.router.Digest> algorithms,
                               org.mictlanx.router.ChecksumType type, org.mictlanx.router.Redundancy redundancy) {
        throw new UnsupportedOperationException("not modelled by InMemoryBallStore");
    }

    @Override
    public org.mictlanx.router.PartInfo putPart(String bucket, String key, String uploadId, int partNumber, InputStream body,
                                                long length, java.util.Set<org.mictlanx.router.Digest> digests,
                                                PutBall.Verifier verifier) {
        throw new UnsupportedOperationException("not modelled by InMemoryBallStore");
    }

    @Override
    public org.mictlanx.router.PartInfo copyPart(String bucket, String key, String uploadId, int partNumber, BallInfo source,
                                                 long offset, long length) {
        throw new UnsupportedOperationException("not modelled by InMemoryBallStore");
    }

    @Override
    public org.mictlanx.router.PartPage listParts(String bucket, String key, String uploadId, int marker, int limit) {
        throw new UnsupportedOperationException("not modelled by InMemoryBallStore");
    }

    @Override
    public Optional<org.mictlanx.router.UploadInfo> upload(String bucket, String key, String uploadId) {
        throw new UnsupportedOperationException("not modelled by InMemoryBallStore");
    }

    @Override
    public org.mictlanx.router.UploadPage listUploads(String bucket, String prefix, String keyMarker, String uploadIdMarker,
                                                      int limit) {
        throw new UnsupportedOperationException("not modelled by InMemoryBallStore");
    }

    @Override
    public void abortUpload(String bucket, String key, String uploadId) {
        throw new UnsupportedOperationException("not modelled by InMemoryBallStore");
    }

    @Override
    public BallInfo completeUpload(String bucket, String key, String uploadId,
                                   List<org.mictlanx.router.CompletedPart> parts, org.mictlanx.router.WriteCondition c,
                                   PutBall.Verifier verifier) {
        throw new UnsupportedOperationException("not modelled by InMemoryBallStore");
    }

    /** How many balls the bucket holds (for "nothing changed" assertions). */
    public int count(String bucket) {
        return content(bucket).size();
    }

    private ConcurrentSkipListMap<String, Stored> content(String bucket) {
        var c = balls.get(bucket);
        if (c == null) {
            throw new RouterException(RouterException.Kind.NO_SUCH_BUCKET, bucket);
        }
        return c;
    }
}
