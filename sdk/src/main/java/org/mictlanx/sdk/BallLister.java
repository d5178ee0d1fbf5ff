package org.mictlanx.sdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;

/**
 * A lazy ListObjectsV2 iterator: one page is fetched when the previous one is used up, following
 * continuation tokens; balls and common prefixes come in the server's (lexicographic) order per page.
 * Not thread-safe (an iterator).
 */
final class BallLister extends PagedLister<ListEntry> {

    private final Transport transport;
    private final String bucket;
    private final @Nullable String prefix;
    private final @Nullable String delimiter;
    private final int pageSize;
    private @Nullable String token;

    BallLister(Transport transport, String bucket, @Nullable String prefix, @Nullable String delimiter, int pageSize) {
        this.transport = transport;
        this.bucket = bucket;
        this.prefix = prefix;
        this.delimiter = delimiter;
        this.pageSize = pageSize;
    }

    @Override
    Page<ListEntry> fetch() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("list-type", "2");
        q.put("max-keys", Integer.toString(pageSize));
        putIfPresent(q, "prefix", prefix);
        putIfPresent(q, "delimiter", delimiter);
        if (token != null) q.put("continuation-token", token);
        Transport.Response r = transport.send(new Transport.Request("GET", bucket, null, q, null, null))
                .expectOk("ListObjectsV2 " + bucket);
        Element root = Xml.parse(r.body());
        List<ListEntry> entries = new ArrayList<>();
        for (Element c : Xml.children(root, "Contents")) {
            String size = Xml.text(c, "Size");
            entries.add(new ListEntry(Xml.requiredText(c, "Key"), size == null ? -1 : Long.parseLong(size),
                    BallInfo.unquoteIfPresent(Xml.text(c, "ETag")), Xml.text(c, "LastModified"), false));
        }
        for (Element c : Xml.children(root, "CommonPrefixes")) {
            entries.add(new ListEntry(Xml.requiredText(c, "Prefix"), 0, null, null, true));
        }
        token = Xml.text(root, "NextContinuationToken");
        return new Page<>(entries, "true".equals(Xml.text(root, "IsTruncated")) && token != null);
    }
}
