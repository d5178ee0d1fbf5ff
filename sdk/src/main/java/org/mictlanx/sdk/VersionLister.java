package org.mictlanx.sdk;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mictlanx.common.S3Keys;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;

/**
 * Lazy ListObjectVersions pages: key-marker + version-id-marker from each page's NextKeyMarker /
 * NextVersionIdMarker. Within a page, versions and delete markers are merged back into S3's order
 * (key ascending, then newest first by LastModified, the latest entry of a key first).
 */
final class VersionLister extends PagedLister<VersionEntry> {

    private final Transport transport;
    private final String bucket;
    private final @Nullable String prefix;
    private final int pageSize;
    private @Nullable String keyMarker;
    private @Nullable String versionMarker;

    VersionLister(Transport transport, String bucket, @Nullable String prefix, int pageSize) {
        this.transport = transport;
        this.bucket = bucket;
        this.prefix = prefix;
        this.pageSize = pageSize;
    }

    @Override
    Page<VersionEntry> fetch() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("versions", "");
        q.put("max-keys", Integer.toString(pageSize));
        putIfPresent(q, "prefix", prefix);
        if (keyMarker != null) q.put("key-marker", keyMarker);
        if (versionMarker != null) q.put("version-id-marker", versionMarker);
        Transport.Response r = transport.send(new Transport.Request("GET", bucket, null, q, null, null))
                .expectOk("ListObjectVersions " + bucket);
        Element root = Xml.parse(r.body());
        List<VersionEntry> entries = new ArrayList<>();
        for (Element c : Xml.children(root, "Version")) {
            String size = Xml.text(c, "Size");
            entries.add(new VersionEntry(Xml.requiredText(c, "Key"), Xml.requiredText(c, "VersionId"),
                    "true".equals(Xml.text(c, "IsLatest")), false, size == null ? -1 : Long.parseLong(size),
                    BallInfo.unquoteIfPresent(Xml.text(c, "ETag")), Xml.requiredText(c, "LastModified")));
        }
        for (Element c : Xml.children(root, "DeleteMarker")) {
            entries.add(new VersionEntry(Xml.requiredText(c, "Key"), Xml.requiredText(c, "VersionId"),
                    "true".equals(Xml.text(c, "IsLatest")), true, 0, null, Xml.requiredText(c, "LastModified")));
        }
        entries.sort(Comparator.comparing(VersionEntry::key, S3Keys.UTF8_ORDER)
                .thenComparing(VersionEntry::latest, Comparator.reverseOrder())
                .thenComparing(VersionEntry::lastModified, Comparator.reverseOrder())
                .thenComparing(VersionEntry::versionId, Comparator.reverseOrder()));
        keyMarker = Xml.text(root, "NextKeyMarker");
        versionMarker = Xml.text(root, "NextVersionIdMarker");
        return new Page<>(entries, "true".equals(Xml.text(root, "IsTruncated")) && keyMarker != null);
    }
}
