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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.mictlanx.router.BallInfo;
import org.mictlanx.router.BallLayout;
import org.mictlanx.router.BallPage;
import org.mictlanx.router.BallStore;
import org.mictlanx.router.BucketInfo;
import org.mictlanx.router.ChecksumType;
import org.mictlanx.router.CompletedPart;
import org.mictlanx.router.Digest;
import org.mictlanx.router.MetaTable;
import org.mictlanx.router.PartInfo;
import org.mictlanx.router.PartPage;
import org.mictlanx.router.PutBall;
import org.mictlanx.router.Redundancy;
import org.mictlanx.router.RouterConfig;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.UploadInfo;
import org.mictlanx.router.UploadPage;
import org.mictlanx.router.WriteCondition;
import org.mictlanx.s3.handler.Checksums;
import org.mictlanx.xolo.identity.InMemoryMetaTable;

/**
 * The {@link BallStore} contract in memory, for front-door tests that inject router failures
 * ({@link #failNext}): keys in UTF-8 byte order, digests computed while reading the body, the
 * verifier called before commit (nothing visible if it throws), a declared length enforced, write
 * conditions, copies and multipart uploads (see {@link InMemoryUploads}). Versioning, object lock
 * and customer keys are not kept (the interface's refusing defaults). Passes
 * {@code BallStoreContract} like the router.
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

    private final InMemoryUploads uploads;

    public InMemoryBallStore(Clock clock) {
        this(clock, RouterConfig.DEFAULT_MIN_PART_SIZE);
    }

    /** A store whose completed uploads need every part but the last to have at least {@code minPartSize} bytes. */
    public InMemoryBallStore(Clock clock, long minPartSize) {
        this.clock = clock;
        this.uploads = new InMemoryUploads(clock, minPartSize);
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
        check(content, request.key(), request.condition());
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
        return commit(content, request, bytes, digests);
    }

    private synchronized BallInfo commit(Map<String, Stored> content, PutBall request, byte[] bytes,
                                         Map<org.mictlanx.router.Digest, byte[]> digests) {
        check(content, request.key(), request.condition());
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
    public synchronized boolean deleteBall(String bucket, String key) {
        return content(bucket).remove(key) != null;
    }

    @Override
    public synchronized Optional<DeletedVersion> deleteBallIfCurrent(String bucket, String key, BallInfo expected) {
        Stored s = content(bucket).get(key);
        if (s == null || s.info().version() != expected.version() || !s.info().etag().equals(expected.etag())
                || !s.info().tags().equals(expected.tags())) {
            return Optional.empty();
        }
        return content(bucket).remove(key, s) ? Optional.of(new DeletedVersion(null, false)) : Optional.empty();
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
                             Map<String, String> userMetadata, Map<String, String> tags, WriteCondition condition) {
        var content = content(bucket);
        synchronized (this) {
            check(content, key, condition);
            Stored src = current(source);
            BallInfo info = new BallInfo(bucket, key, source.size(), source.etag(), clock.instant(), headers, userMetadata,
                    source.digests(), versions.incrementAndGet(), new Layout(versions.get()), source.parts(),
                    source.checksumType(), tags);
            content.put(key, new Stored(info, src.body()));
            return info;
        }
    }

    @Override
    public String createUpload(String bucket, String key, Map<String, String> headers, Map<String, String> userMetadata,
                               Map<String, String> tags, Set<Digest> algorithms, ChecksumType type, Redundancy redundancy) {
        content(bucket);
        return uploads.create(bucket, key, headers, userMetadata, tags, algorithms, type);
    }

    @Override
    public PartInfo putPart(String bucket, String key, String uploadId, int partNumber, InputStream body,
                            long length, Set<Digest> digests, PutBall.Verifier verifier) {
        content(bucket);
        return uploads.putPart(bucket, key, uploadId, partNumber, body, length, digests, verifier);
    }

    @Override
    public PartInfo copyPart(String bucket, String key, String uploadId, int partNumber, BallInfo source,
                             long offset, long length) {
        content(bucket);
        if (uploads.find(bucket, key, uploadId).isEmpty()) {
            throw new RouterException(RouterException.Kind.NO_SUCH_UPLOAD, "no upload " + uploadId);
        }
        long n = length < 0 ? source.size() - offset : length;
        if (offset < 0 || n < 0 || offset + n > source.size()) {
            throw new RouterException(RouterException.Kind.BAD_REQUEST, "range outside the source");
        }
        byte[] body = current(source).body();
        return uploads.copyPart(bucket, key, uploadId, partNumber, Arrays.copyOfRange(body, (int) offset, (int) (offset + n)));
    }

    @Override
    public PartPage listParts(String bucket, String key, String uploadId, int marker, int limit) {
        content(bucket);
        return uploads.listParts(bucket, key, uploadId, marker, limit);
    }

    @Override
    public Optional<UploadInfo> upload(String bucket, String key, String uploadId) {
        content(bucket);
        return uploads.find(bucket, key, uploadId);
    }

    @Override
    public UploadPage listUploads(String bucket, String prefix, String keyMarker, String uploadIdMarker, int limit) {
        content(bucket);
        return uploads.list(bucket, prefix, keyMarker, uploadIdMarker, limit);
    }

    @Override
    public void abortUpload(String bucket, String key, String uploadId) {
        content(bucket);
        uploads.abort(bucket, key, uploadId);
    }

    @Override
    public synchronized BallInfo completeUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
                                                WriteCondition condition, PutBall.Verifier verifier) {
        var content = content(bucket);
        if (uploads.find(bucket, key, uploadId).isEmpty()) {
            return completedBefore(content, bucket, key, uploadId, parts, verifier);
        }
        InMemoryUploads.Assembled a = uploads.assemble(bucket, key, uploadId, parts);
        if (verifier != null) verifier.verify(java.util.Collections.unmodifiableMap(a.digests()));
        check(content, key, condition);
        UploadInfo up = a.upload();
        BallInfo info = new BallInfo(bucket, key, a.body().length, a.etag(), clock.instant(), up.headers(),
                up.userMetadata(), a.digests(), versions.incrementAndGet(), new Layout(versions.get()), a.parts(),
                a.type(), a.tags());
        content.put(key, new Stored(info, a.body()));
        uploads.completed(uploadId, bucket, key, info.version(), a.parts());
        return info;
    }

    /** A retried completion: the ball it committed while still under the key with the same parts, else NO_SUCH_UPLOAD. */
    private BallInfo completedBefore(Map<String, Stored> content, String bucket, String key, String uploadId,
                                     List<CompletedPart> parts, PutBall.Verifier verifier) {
        RouterException gone = new RouterException(RouterException.Kind.NO_SUCH_UPLOAD, "no upload " + uploadId);
        var done = uploads.completion(uploadId).orElseThrow(() -> gone);
        Stored cur = content.get(key);
        if (!done.bucket().equals(bucket) || !done.key().equals(key) || cur == null || cur.info().version() != done.version()
                || !InMemoryUploads.sameParts(done.parts(), parts)) {
            throw gone;
        }
        if (verifier != null) verifier.verify(java.util.Collections.unmodifiableMap(cur.info().digests()));
        return cur.info();
    }

    /** The stored ball {@code ball} describes, as long as it is still the one under its key. */
    private Stored current(BallInfo ball) {
        var c = balls.get(ball.bucket());
        Stored s = c == null ? null : c.get(ball.key());
        if (s == null || s.info().version() != ball.version()) {
            throw new RouterException(RouterException.Kind.CHUNK_UNAVAILABLE, "gone");
        }
        return s;
    }

    /** PRECONDITION_FAILED unless {@code condition} holds for what is stored under {@code key}. */
    private static void check(Map<String, Stored> content, String key, WriteCondition condition) {
        Stored cur = content.get(key);
        boolean holds = switch (condition == null ? WriteCondition.Kind.NONE : condition.kind()) {
            case NONE -> true;
            case IF_ABSENT -> cur == null;
            case IF_MATCH -> cur != null && cur.info().etag().equals(condition.etag());
        };
        if (!holds) throw new RouterException(RouterException.Kind.PRECONDITION_FAILED, "condition not met for " + key);
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
