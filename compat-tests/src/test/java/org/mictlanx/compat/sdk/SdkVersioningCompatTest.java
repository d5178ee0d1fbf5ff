package org.mictlanx.compat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mictlanx.compat.AllInOne;
import org.mictlanx.sdk.MictlanX;
import org.mictlanx.sdk.MictlanXException;
import org.mictlanx.sdk.PutResult;
import org.mictlanx.sdk.VersionEntry;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The native SDK on a versioned bucket: version ids in put results (single PUT and multipart), reads,
 * HEAD and deletes by version, delete markers, and version listings paged through the server; then a
 * restic-style flow (write, overwrite, delete, restore the old version by reading and writing it back).
 */
class SdkVersioningCompatTest {

    static final int PART = 5 << 20;
    static AllInOne store;
    static S3Client s3;
    static MictlanX sdk;

    @BeforeAll
    static void start() throws Exception {
        store = AllInOne.start();
        s3 = store.rootClient();
        sdk = MictlanX.connect("mictlanx://" + AllInOne.ACCESS_KEY + ":"
                + URLEncoder.encode(AllInOne.SECRET_KEY, StandardCharsets.UTF_8) + "@127.0.0.1:" + store.port()
                + "/?secure=false&partSize=" + PART);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sdk != null) sdk.close();
        if (s3 != null) s3.close();
        if (store != null) store.close();
    }

    static byte[] random(int size, long seed) {
        byte[] out = new byte[size];
        new java.util.Random(seed).nextBytes(out);
        return out;
    }

    static String versionedBucket() {
        String b = "sdkver-" + System.nanoTime();
        s3.createBucket(r -> r.bucket(b));
        s3.putBucketVersioning(r -> r.bucket(b).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        return b;
    }

    @Test
    void versionIdsReadsDeletesAndListings() {
        String b = versionedBucket();
        byte[] one = random(1000, 1);
        byte[] big = random(PART + 1000, 2);
        PutResult p1 = sdk.put(b, "k", one);
        PutResult p2 = sdk.put(b, "k", big);
        assertNotNull(p1.versionId());
        assertNotNull(p2.versionId(), "a multipart put has a version id too");
        assertTrue(p2.parts() > 1);
        assertArrayEquals(one, sdk.get(b, "k", p1.versionId()));
        assertArrayEquals(big, sdk.get(b, "k", p2.versionId()));
        assertArrayEquals(big, sdk.get(b, "k"));
        assertEquals(p1.versionId(), sdk.head(b, "k", p1.versionId()).versionId());
        assertEquals(p2.versionId(), sdk.head(b, "k").versionId());

        MictlanX.Deleted marker = sdk.delete(b, "k", null);
        assertTrue(marker.deleteMarker());
        assertFalse(sdk.exists(b, "k"));
        List<VersionEntry> all = new ArrayList<>();
        sdk.listVersions(b, null).forEach(all::add);
        assertEquals(List.of(marker.versionId(), p2.versionId(), p1.versionId()), all.stream().map(VersionEntry::versionId).toList());
        assertTrue(all.get(0).deleteMarker());
        assertTrue(all.get(0).latest());
        assertEquals(one.length, all.get(2).size());

        MictlanX.Deleted gone = sdk.delete(b, "k", p1.versionId());
        assertEquals(p1.versionId(), gone.versionId());
        assertFalse(gone.deleteMarker());
        MictlanXException e = assertThrows(MictlanXException.class, () -> sdk.head(b, "k", p1.versionId()));
        assertTrue(e.isNotFound());
    }

    @Test
    void resticStyleRestoreOfAnOldVersion() {
        String b = versionedBucket();
        byte[] snapshot = random(40_000, 3);
        PutResult original = sdk.put(b, "snapshots/1", snapshot);
        sdk.put(b, "snapshots/1", random(10, 4)); // a bad overwrite
        sdk.delete(b, "snapshots/1");                         // then a delete
        assertFalse(sdk.exists(b, "snapshots/1"));
        // restore: server-side copy of the old version onto the key
        s3.copyObject(r -> r.sourceBucket(b).sourceKey("snapshots/1").sourceVersionId(original.versionId())
                .destinationBucket(b).destinationKey("snapshots/1"));
        assertArrayEquals(snapshot, sdk.get(b, "snapshots/1"));
        List<VersionEntry> all = new ArrayList<>();
        sdk.listVersions(b, "snapshots/").forEach(all::add);
        assertEquals(4, all.size(), "original, overwrite, delete marker and the restored copy are all kept");
        assertTrue(all.get(0).latest());
        assertNull(all.stream().filter(v -> !v.deleteMarker()).filter(v -> v.size() < 0).findAny().orElse(null));
    }
}
