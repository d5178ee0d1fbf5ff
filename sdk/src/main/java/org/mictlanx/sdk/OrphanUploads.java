package org.mictlanx.sdk;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.w3c.dom.Element;

/**
 * Cleans up after a CreateMultipartUpload that had to be retried after an attempt whose outcome is
 * unknown (its connection broke after the request went out, or the server answered 5xx): that attempt
 * may have created an upload whose id never reached this client. S3 offers no idempotency token, so
 * such an orphan is recognised by what only it can match: an upload of the same key, not in use by any
 * put of this client, initiated (server clock) no earlier than the kept upload's initiation minus the
 * client-measured time from the first attempt to the answer that was kept (plus the timestamp
 * resolution), and no later than the kept one, and with no parts when the put is over. Those are
 * aborted. A different writer's upload of the same key created in that same window and still without
 * parts when this put ends would be aborted too; that writer's next part then fails with NoSuchUpload
 * (nothing it had acknowledged is lost). Thread-safe.
 */
final class OrphanUploads {

    private static final System.Logger LOG = System.getLogger(OrphanUploads.class.getName());

    private final Transport transport;
    private final Set<String> inUse = ConcurrentHashMap.newKeySet();

    OrphanUploads(Transport transport) {
        this.transport = transport;
    }

    /** Marks {@code uploadId} as used by a put of this client until {@link #release}. */
    void use(String uploadId) {
        inUse.add(uploadId);
    }

    void release(String uploadId) {
        inUse.remove(uploadId);
    }

    /**
     * The uploads of {@code key} that the attempts of an uncertain create (which took {@code windowNanos}
     * from first attempt to kept answer, keeping {@code kept}) may have made, to be passed to
     * {@link #abortUnused} when the put is over. Empty when the kept upload cannot be found.
     */
    List<String> suspects(String bucket, String key, String kept, long windowNanos) {
        Map<String, Instant> uploads;
        try {
            uploads = list(bucket, key);
        } catch (MictlanXException | java.time.format.DateTimeParseException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot look for uploads of " + bucket + "/" + key
                    + " left by a retried CreateMultipartUpload: " + e.getMessage());
            return List.of();
        }
        return select(uploads, kept, windowNanos, inUse);
    }

    /**
     * Of {@code uploads} (id to initiation), those initiated no earlier than {@code kept}'s initiation
     * minus {@code windowNanos} (and the timestamp resolution: 1 ms, or 1 s when the server stamps whole
     * seconds) and no later than it, other than {@code kept} and those in {@code inUse}.
     */
    static List<String> select(Map<String, Instant> uploads, String kept, long windowNanos, Set<String> inUse) {
        Instant keptAt = uploads.get(kept);
        if (keptAt == null) {
            return List.of();
        }
        Instant earliest = keptAt.minusNanos(windowNanos).minusMillis(1);
        if (keptAt.getNano() == 0) {
            earliest = earliest.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Instant> e : uploads.entrySet()) {
            Instant at = e.getValue();
            if (!e.getKey().equals(kept) && !inUse.contains(e.getKey()) && !at.isBefore(earliest) && !at.isAfter(keptAt)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * Aborts those of {@code suspects} that are still open, not in use here, and have no parts; returns
     * how many. Best effort: a failure is logged (System.Logger) and leaves the upload to the server's expiry.
     */
    int abortUnused(String bucket, String key, List<String> suspects) {
        int aborted = 0;
        for (String id : suspects) {
            try {
                aborted += abortIfUnused(bucket, key, id) ? 1 : 0;
            } catch (MictlanXException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot abort upload " + id + " of " + bucket + "/" + key
                        + " left by a retried CreateMultipartUpload: " + e.getMessage());
            }
        }
        return aborted;
    }

    private boolean abortIfUnused(String bucket, String key, String id) {
        if (inUse.contains(id)) {
            return false;
        }
        Transport.Response parts = transport.send(new Transport.Request("GET", bucket, key,
                Map.of("uploadId", id, "max-parts", "1"), null, null));
        if (!parts.ok() || !Xml.children(Xml.parse(parts.body()), "Part").isEmpty()) {
            return false;
        }
        return transport.send(new Transport.Request("DELETE", bucket, key, Map.of("uploadId", id), null, null)).ok();
    }

    /** Open uploads of exactly {@code key}: id to initiation time. */
    private Map<String, Instant> list(String bucket, String key) {
        Map<String, Instant> out = new HashMap<>();
        String keyMarker = null;
        String idMarker = null;
        while (true) {
            Map<String, String> q = new HashMap<>(Map.of("uploads", "", "prefix", key));
            if (keyMarker != null) {
                q.put("key-marker", keyMarker);
                q.put("upload-id-marker", idMarker == null ? "" : idMarker);
            }
            Transport.Response r = transport.send(new Transport.Request("GET", bucket, null, q, null, null))
                    .expectOk("ListMultipartUploads " + bucket);
            Element root = Xml.parse(r.body());
            boolean url = "url".equals(Xml.text(root, "EncodingType"));
            for (Element u : Xml.children(root, "Upload")) {
                String k = Xml.text(u, "Key");
                if (url && k != null) {
                    k = URLDecoder.decode(k, StandardCharsets.UTF_8);
                }
                String initiated = Xml.text(u, "Initiated");
                if (key.equals(k) && initiated != null) {
                    out.put(Xml.text(u, "UploadId"), Instant.parse(initiated.trim()));
                }
            }
            if (!"true".equals(Xml.text(root, "IsTruncated"))) {
                return out;
            }
            keyMarker = Xml.text(root, "NextKeyMarker");
            idMarker = Xml.text(root, "NextUploadIdMarker");
            if (url && keyMarker != null) {
                keyMarker = URLDecoder.decode(keyMarker, StandardCharsets.UTF_8);
            }
            if (keyMarker == null || keyMarker.isEmpty()) {
                return out;
            }
        }
    }
}
