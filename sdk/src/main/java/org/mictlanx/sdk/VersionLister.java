package org.mictlanx.sdk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.w3c.dom.Element;

/**
 * Lazy ListObjectVersions pages: key-marker + version-id-marker from each page's NextKeyMarker /
 * NextVersionIdMarker. Within a page, versions and delete markers are merged back into S3's order
 * (key ascending, then newest first by LastModified, the latest entry of a key first).
 */
final class VersionLister implements Iterator<VersionEntry> {

    private final Transport transport;
    private final String bucket;
    private final String prefix;
    private final int pageSize;
    private final ArrayDeque<VersionEntry> page = new ArrayDeque<>();
    private String keyMarker;
    private String versionMarker;
    private boolean exhausted;

    VersionLister(Transport transport, String bucket, String prefix, int pageSize) {
        this.transport = transport;
        this.bucket = bucket;
        this.prefix = prefix;
        this.pageSize = pageSize;
    }

    @Override
    public boolean hasNext() {
        while (page.isEmpty() && !exhausted) {
            fetch();
        }
        return !page.isEmpty();
    }

    @Override
    public VersionEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return page.poll();
    }

    private void fetch() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("versions", "");
        q.put("max-keys", Integer.toString(pageSize));
        if (prefix != null && !prefix.isEmpty()) {
            q.put("prefix", prefix);
        }
        if (keyMarker != null) {
            q.put("key-marker", keyMarker);
        }
        if (versionMarker != null) {
            q.put("version-id-marker", versionMarker);
        }
        Transport.Response r = transport.send(new Transport.Request("GET", bucket, null, q, null, null))
                .expectOk("ListObjectVersions " + bucket);
        Element root = Xml.parse(r.body());
        List<VersionEntry> entries = new ArrayList<>();
        for (Element c : Xml.children(root, "Version")) {
            String size = Xml.text(c, "Size");
            entries.add(new VersionEntry(Xml.text(c, "Key"), Xml.text(c, "VersionId"), "true".equals(Xml.text(c, "IsLatest")),
                    false, size == null ? -1 : Long.parseLong(size), BallInfo.unquote(Xml.text(c, "ETag")),
                    Xml.text(c, "LastModified")));
        }
        for (Element c : Xml.children(root, "DeleteMarker")) {
            entries.add(new VersionEntry(Xml.text(c, "Key"), Xml.text(c, "VersionId"), "true".equals(Xml.text(c, "IsLatest")),
                    true, 0, null, Xml.text(c, "LastModified")));
        }
        entries.sort(Comparator.comparing(VersionEntry::key, VersionLister::utf8)
                .thenComparing(VersionEntry::latest, Comparator.reverseOrder())
                .thenComparing(VersionEntry::lastModified, Comparator.reverseOrder())
                .thenComparing(VersionEntry::versionId, Comparator.reverseOrder()));
        page.addAll(entries);
        keyMarker = Xml.text(root, "NextKeyMarker");
        versionMarker = Xml.text(root, "NextVersionIdMarker");
        exhausted = !"true".equals(Xml.text(root, "IsTruncated")) || keyMarker == null;
    }

    private static int utf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
