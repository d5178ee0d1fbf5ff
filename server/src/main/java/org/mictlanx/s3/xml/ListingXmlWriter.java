package org.mictlanx.s3.xml;

import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link ListBucketResultV2} byte for byte as {@link S3Xml}'s Jackson mapper does (XML
 * declaration, no indentation, null fields omitted, unwrapped lists), without the data-binding and
 * StAX layers, which cost more than the listing itself on a page of 1000 keys (issue 21).
 *
 * <p>Only text that needs no escaping takes this path: printable ASCII other than {@code < > &}, and
 * the Basic Multilingual Plane's non-control characters outside the surrogates. For anything else
 * (escapes, control characters, surrogate pairs) {@link #write} answers null and the caller renders
 * the record with Jackson, so the output is Jackson's whatever the keys hold.
 */
final class ListingXmlWriter {

    private static final byte[] DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;

    private ListingXmlWriter(int capacity) {
        buf = new byte[capacity];
    }

    /** The document, or null when some text needs more than the plain characters this writer handles. */
    static byte @Nullable [] write(ListBucketResultV2 r) {
        if (!plain(r)) return null;
        ListingXmlWriter w = new ListingXmlWriter(512 + 256 * (r.contents() == null ? 0 : r.contents().size()));
        w.raw(DECLARATION);
        w.ascii("<ListBucketResult");
        if (r.xmlns() != null) w.ascii(" xmlns=\"").text(r.xmlns()).ascii("\"");
        w.ascii(">");
        w.element("Name", r.name()).element("Prefix", r.prefix()).element("KeyCount", Integer.toString(r.keyCount()))
                .element("MaxKeys", Integer.toString(r.maxKeys())).element("Delimiter", r.delimiter())
                .element("IsTruncated", Boolean.toString(r.isTruncated()));
        if (r.contents() != null) {
            for (ObjectEntry e : r.contents()) w.entry(e);
        }
        if (r.commonPrefixes() != null) {
            for (CommonPrefix cp : r.commonPrefixes()) {
                w.ascii("<CommonPrefixes>").element("Prefix", cp.prefix()).ascii("</CommonPrefixes>");
            }
        }
        w.element("EncodingType", r.encodingType()).element("ContinuationToken", r.continuationToken())
                .element("NextContinuationToken", r.nextContinuationToken()).element("StartAfter", r.startAfter());
        w.ascii("</ListBucketResult>");
        return Arrays.copyOf(w.buf, w.len);
    }

    private void entry(ObjectEntry e) {
        ascii("<Contents>").element("Key", e.key()).element("LastModified", e.lastModified()).element("ETag", e.etag())
                .element("Size", Long.toString(e.size())).element("StorageClass", e.storageClass());
        Owner o = e.owner();
        if (o != null) ascii("<Owner>").element("ID", o.id()).element("DisplayName", o.displayName()).ascii("</Owner>");
        ascii("</Contents>");
    }

    private ListingXmlWriter element(String name, @Nullable String value) {
        if (value == null) return this;
        return ascii("<").ascii(name).ascii(">").text(value).ascii("</").ascii(name).ascii(">");
    }

    private ListingXmlWriter ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
        return this;
    }

    private void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /** UTF-8 of text already checked by {@link #plain(String)} (no surrogates, nothing to escape). */
    private ListingXmlWriter text(String s) {
        int n = s.length();
        ensure(3 * n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[len++] = (byte) c;
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xc0 | c >> 6);
                buf[len++] = (byte) (0x80 | c & 0x3f);
            } else {
                buf[len++] = (byte) (0xe0 | c >> 12);
                buf[len++] = (byte) (0x80 | c >> 6 & 0x3f);
                buf[len++] = (byte) (0x80 | c & 0x3f);
            }
        }
        return this;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }

    private static boolean plain(ListBucketResultV2 r) {
        if (!plain(r.xmlns(), r.name(), r.prefix(), r.delimiter(), r.encodingType(), r.continuationToken(),
                r.nextContinuationToken(), r.startAfter())) {
            return false;
        }
        for (ObjectEntry e : list(r.contents())) {
            if (!plain(e.key(), e.lastModified(), e.etag(), e.storageClass())) return false;
            if (e.owner() != null && !plain(e.owner().id(), e.owner().displayName())) return false;
        }
        for (CommonPrefix cp : list(r.commonPrefixes())) {
            if (!plain(cp.prefix())) return false;
        }
        return true;
    }

    private static <T> List<T> list(@Nullable List<T> l) {
        return l == null ? List.of() : l;
    }

    private static boolean plain(@Nullable String... values) {
        for (String v : values) {
            if (v != null && !plain(v)) return false;
        }
        return true;
    }

    /** Text Jackson (Woodstox) writes unchanged as its UTF-8: see the class comment. */
    static boolean plain(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            boolean ok = c < 0x80 ? c >= 0x20 && c < 0x7f && c != '<' && c != '>' && c != '&'
                    : c >= 0xa0 && (c < 0xd800 || c > 0xdfff) && c < 0xfffe;
            if (!ok) return false;
        }
        return true;
    }
}
