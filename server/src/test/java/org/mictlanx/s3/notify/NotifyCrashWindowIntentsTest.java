package org.mictlanx.s3.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mictlanx.s3.notify.NotifyCrashWindowTest.ARN;
import static org.mictlanx.s3.notify.NotifyCrashWindowTest.assertOk;
import static org.mictlanx.s3.notify.NotifyCrashWindowTest.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mictlanx.s3.InMemoryBallStore;
import org.mictlanx.s3.S3Harness;
import org.mictlanx.s3.bucketconfig.BucketConfigurations;
import org.mictlanx.s3.post.PostForms;
import org.mictlanx.s3.xml.S3Xml;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The crash window of the writes beyond PutObject/Copy/Complete/DeleteObject (NotifyCrashWindowTest):
 * DeleteObjects (each key, quiet mode too), POST object uploads and Put/DeleteObjectTagging. The queue
 * write is made to fail after the commit (what a router dying there leaves), and the sender, running a
 * minute ahead so every intent is past its bound, resolves the intents from what was committed. Also
 * the exact rule for created objects: the resolved event describes the object its intent was for
 * (found by its write token), and an intent whose object a later write replaced sends nothing.
 */
class NotifyCrashWindowIntentsTest {

    private InMemoryBallStore store;
    private NotifyCrashWindowTest.Collecting hook;
    private EventOutbox outbox;
    private S3Harness s3;
    private EventSender sender;
    private S3Harness.Call root;

    @BeforeEach
    void start() throws Exception {
        store = new InMemoryBallStore(Clock.systemUTC());
        hook = new NotifyCrashWindowTest.Collecting();
        TargetRegistry targets = TargetRegistry.fixed(NotificationTargets.none().with(hook));
        outbox = new EventOutbox(store.metaTable(), System::currentTimeMillis);
        EventRecorder recorder = new EventRecorder(store, new NotificationConfigs(
                new BucketConfigurations(store.metaTable(), System::nanoTime), new S3Xml(), targets), outbox, Clock.systemUTC(),
                S3Harness.REGION);
        s3 = new S3Harness(store, targets);
        sender = new EventSender(outbox, targets, NotifyCrashWindowTest.HELD, new EventSender.Settings(Duration.ofSeconds(1),
                Duration.ofHours(1), Duration.ofSeconds(1), 1000, Duration.ofSeconds(30), 100),
                () -> System.currentTimeMillis() + 60_000, recorder::resolve);
        root = s3.as(S3Harness.ROOT);
        assertEquals(200, root.put("/bkt", new byte[0]).status());
        assertOk(root.put("/bkt?notification", """
                <NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <QueueConfiguration><Id>all</Id><Queue>%s</Queue><Event>s3:ObjectCreated:*</Event>
                    <Event>s3:ObjectRemoved:*</Event><Event>s3:ObjectTagging:*</Event></QueueConfiguration>
                </NotificationConfiguration>""".formatted(ARN)));
    }

    @AfterEach
    void stop() throws Exception {
        sender.close();
        s3.close();
    }

    /** Runs {@code writes} as if the router died after each commit: their queue writes fail. */
    private void crashingAfterCommit(Runnable writes) {
        store.failMetaPuts(k -> k.startsWith(EventOutbox.READY));
        try {
            writes.run();
        } finally {
            store.failMetaPuts(null);
        }
    }

    private List<String> resolvedEvents(int expected) {
        await(expected + " events", sender, () -> hook.events().size() >= expected);
        await("the queue drained", sender, () -> outbox.pending("", 100).isEmpty() && outbox.pageAll("", 100).isEmpty());
        return hook.events().stream().map(e -> e.get("eventName").asText() + " " + e.at("/s3/object/key").asText()).sorted()
                .toList();
    }

    private JsonNode event(String name, String key) {
        return hook.events().stream().filter(e -> e.get("eventName").asText().equals(name)
                && e.at("/s3/object/key").asText().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void deleteObjectsEventsOfEveryDeletedKeyArriveQuietModeToo() {
        for (String k : List.of("a", "b", "c", "d")) assertOk(root.put("/bkt/" + k, k));
        String doc = "<Delete><Quiet>true</Quiet><Object><Key>a</Key></Object><Object><Key>b</Key></Object></Delete>";
        int[] status = new int[1];
        crashingAfterCommit(() -> status[0] = root.post("/bkt?delete", doc.getBytes(StandardCharsets.UTF_8)).status());
        assertTrue(status[0] >= 500, "the answer fails: " + status[0]);
        assertTrue(store.headBall("bkt", "a").isEmpty() && store.headBall("bkt", "b").isEmpty(), "the deletes were committed");
        assertEquals(1, outbox.pending("", 100).size(), "one intent names both keys");
        // quiet mode without a crash: the deletions are not in the answer, their events are queued all the same
        assertOk(root.post("/bkt?delete", "<Delete><Quiet>true</Quiet><Object><Key>c</Key></Object></Delete>"
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("ObjectCreated:Put a", "ObjectCreated:Put b", "ObjectCreated:Put c", "ObjectCreated:Put d",
                "ObjectRemoved:Delete a", "ObjectRemoved:Delete b", "ObjectRemoved:Delete c"), resolvedEvents(7));
        NotifyCrashWindowTest.assertResolved(sender, 1);
    }

    @Test
    void taggingEventsArriveWhenTheTagSetAskedForIsStoredAndNotWhenAnotherReplacedIt() {
        for (String k : List.of("t1", "t2", "t3")) assertOk(root.put("/bkt/" + k, k));
        String tags = "<Tagging><TagSet><Tag><Key>team</Key><Value>blue</Value></Tag></TagSet></Tagging>";
        assertOk(root.put("/bkt/t2?tagging", tags));
        List<Integer> statuses = new ArrayList<>();
        crashingAfterCommit(() -> {
            statuses.add(root.put("/bkt/t1?tagging", tags).status());
            statuses.add(root.delete("/bkt/t2?tagging").status());
            statuses.add(root.put("/bkt/t3?tagging", tags).status());
        });
        assertTrue(statuses.stream().allMatch(s -> s >= 500), statuses.toString());
        assertEquals(Map.of("team", "blue"), store.headBall("bkt", "t1").orElseThrow().tags(), "the change was committed");
        // t3's tags are replaced before its intent is resolved: what the intent asked for is no longer there
        assertOk(root.put("/bkt/t3?tagging", "<Tagging><TagSet><Tag><Key>team</Key><Value>red</Value></Tag></TagSet></Tagging>"));
        assertEquals(3, outbox.pending("", 100).size());
        assertEquals(List.of("ObjectCreated:Put t1", "ObjectCreated:Put t2", "ObjectCreated:Put t3",
                "ObjectTagging:Delete t2", "ObjectTagging:Put t1", "ObjectTagging:Put t2", "ObjectTagging:Put t3"), resolvedEvents(7));
        NotifyCrashWindowTest.assertResolved(sender, 3);
    }

    @Test
    void aPostUploadsEventArrivesAndDescribesTheUploadedObject() throws Exception {
        Instant now = Instant.now();
        Map<String, String> v4 = PostForms.v4Fields(S3Harness.ROOT, now);
        List<String> conditions = new ArrayList<>(PostForms.v4Conditions(v4));
        conditions.add("{\"bucket\": \"bkt\"}");
        conditions.add("[\"eq\", \"$key\", \"posted\"]");
        String policy = PostForms.policy(now.plusSeconds(3600), conditions);
        Map<String, String> fields = new LinkedHashMap<>(Map.of("key", "posted"));
        fields.putAll(v4);
        fields.put("policy", policy);
        fields.put("x-amz-signature", PostForms.v4Signature(S3Harness.secret(S3Harness.ROOT), now, policy));
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://" + s3.host + "/bkt"))
                .header("Content-Type", PostForms.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(PostForms.form(fields, "f.txt", "text/plain",
                        "posted body".getBytes(StandardCharsets.UTF_8)))).build();
        int[] status = new int[1];
        String[] body = new String[1];
        crashingAfterCommit(() -> {
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());
                status[0] = r.statusCode();
                body[0] = r.body();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(status[0] >= 500, "the answer fails: " + status[0] + " " + body[0]);
        assertTrue(store.headBall("bkt", "posted").isPresent(), "the upload was committed: " + status[0] + " " + body[0]);
        assertEquals(List.of("ObjectCreated:Post posted"), resolvedEvents(1));
        JsonNode e = event("ObjectCreated:Post", "posted");
        assertEquals(11, e.at("/s3/object/size").asLong());
        assertEquals(store.headBall("bkt", "posted").orElseThrow().etag(), e.at("/s3/object/eTag").asText());
    }

    @Test
    void aResolvedCreatedEventIsTheObjectOfItsIntentNeverALaterOne() {
        crashingAfterCommit(() -> assertTrue(root.put("/bkt/replaced", "first").status() >= 500));
        assertOk(root.put("/bkt/replaced", "the second body")); // replaces it before the intent is resolved
        crashingAfterCommit(() -> {
            S3Harness.Reply copy = s3.as(S3Harness.ROOT).header("x-amz-copy-source", "/bkt/replaced").put("/bkt/copied", new byte[0]);
            assertTrue(copy.status() >= 500, copy.status() + " " + copy.text());
        });
        var created = root.post("/bkt/mp?uploads", new byte[0]);
        String uploadId = created.text().replaceAll("(?s).*<UploadId>(.*)</UploadId>.*", "$1");
        var part = root.put("/bkt/mp?partNumber=1&uploadId=" + uploadId, "one part");
        crashingAfterCommit(() -> {
            S3Harness.Reply complete = root.post("/bkt/mp?uploadId=" + uploadId, ("<CompleteMultipartUpload><Part>"
                    + "<PartNumber>1</PartNumber><ETag>" + part.header("etag") + "</ETag></Part></CompleteMultipartUpload>")
                    .getBytes(StandardCharsets.UTF_8));
            assertTrue(complete.status() >= 500, complete.status() + " " + complete.text());
        });
        assertEquals(3, outbox.pending("", 100).size());
        assertEquals(List.of("ObjectCreated:CompleteMultipartUpload mp", "ObjectCreated:Copy copied", "ObjectCreated:Put replaced"),
                resolvedEvents(3));
        assertEquals(15, event("ObjectCreated:Put", "replaced").at("/s3/object/size").asLong(), "only the second PUT's event");
        assertEquals(15, event("ObjectCreated:Copy", "copied").at("/s3/object/size").asLong());
        assertEquals(store.headBall("bkt", "mp").orElseThrow().etag(),
                event("ObjectCreated:CompleteMultipartUpload", "mp").at("/s3/object/eTag").asText());
        assertTrue(store.headBall("bkt", "mp").orElseThrow().headers().containsKey(EventIntent.TOKEN_HEADER));
        assertTrue(root.head("/bkt/mp").headers().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("x-mx-")),
                "the write token is never answered");
        NotifyCrashWindowTest.assertResolved(sender, 3);
    }
}
