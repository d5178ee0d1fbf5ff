package org.mictlanx.s3.handler;

import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.Uris;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.s3.xml.Tagging;
import org.mictlanx.s3.xml.XmlChars;

/**
 * S3 object tags: the {@code x-amz-tagging} header (URL-query encoded {@code k1=v1&k2=v2}), the
 * {@code Tagging} document, and S3's rules for a tag set. A valid set has at most 10 tags, keys of
 * 1 to 128 and values of 0 to 256 Unicode characters (code points), no key twice and no key
 * starting with {@code aws:}; every violation is {@code InvalidTag} (400) and nothing is stored.
 * Characters XML 1.0 cannot carry are refused too (InvalidTag), so every stored tag set can be
 * returned by GetObjectTagging. The returned maps keep the order the client gave.
 */
final class Tags {

    static final int MAX_TAGS = 10;
    static final int MAX_KEY_CHARS = 128;
    static final int MAX_VALUE_CHARS = 256;
    static final String HEADER = "x-amz-tagging";

    private Tags() {
    }

    /** The request's {@code x-amz-tagging} tag set, validated; empty when the header is absent or empty. */
    static Map<String, String> fromHeader(S3Request req) {
        return fromHeader(req.header(HEADER));
    }

    /** See {@link #fromHeader(S3Request)}; a malformed percent escape or non-UTF-8 is InvalidArgument. */
    static Map<String, String> fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return Map.of();
        }
        List<Map.Entry<String, String>> tags = new ArrayList<>();
        for (String pair : header.trim().split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                tags.add(new SimpleEntry<>(Uris.decodeQuery(eq < 0 ? pair : pair.substring(0, eq)),
                        eq < 0 ? "" : Uris.decodeQuery(pair.substring(eq + 1))));
            } catch (S3Exception e) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                        "The header 'x-amz-tagging' shall be encoded as UTF-8 encoded characters");
            }
        }
        return validate(tags);
    }

    /** The tag set of a PutObjectTagging body: MalformedXML without a TagSet or with a tag lacking Key or Value. */
    static Map<String, String> fromDocument(Tagging doc) {
        return fromDocument(doc, MAX_TAGS, "Object tags cannot be greater than " + MAX_TAGS);
    }

    /** As {@link #fromDocument(Tagging)} with another tag count limit (buckets: 50) and its message. */
    static Map<String, String> fromDocument(Tagging doc, int maxTags, String tooMany) {
        if (doc.tagSet() == null) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        List<Map.Entry<String, String>> tags = new ArrayList<>();
        for (Tagging.Tag t : doc.tagSet().tags() == null ? List.<Tagging.Tag>of() : doc.tagSet().tags()) {
            if (t == null || t.key() == null || t.value() == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            tags.add(new SimpleEntry<>(t.key(), t.value()));
        }
        if (tags.size() > maxTags) {
            throw invalid(tooMany);
        }
        return validate(tags, maxTags);
    }

    /** The response document of GetObjectTagging ({@code <TagSet/>} when there are no tags). */
    static Tagging toDocument(Map<String, String> tags) {
        List<Tagging.Tag> out = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> out.add(new Tagging.Tag(k, v)));
        return new Tagging(S3Xml.NS, new Tagging.TagSet(out));
    }

    /** Applies S3's rules in S3's order (count first, then each tag, then duplicates). */
    static Map<String, String> validate(List<Map.Entry<String, String>> tags) {
        return validate(tags, MAX_TAGS);
    }

    private static Map<String, String> validate(List<Map.Entry<String, String>> tags, int maxTags) {
        if (tags.size() > maxTags) {
            throw invalid("Object tags cannot be greater than " + MAX_TAGS);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : tags) {
            String key = t.getKey();
            String value = t.getValue();
            if (key.isEmpty() || !XmlChars.isValid(key)) {
                throw invalid("The TagKey you have provided is invalid");
            }
            if (key.codePointCount(0, key.length()) > MAX_KEY_CHARS) {
                throw invalid("The TagKey you have provided is too long, max " + MAX_KEY_CHARS);
            }
            if (!XmlChars.isValid(value)) {
                throw invalid("The TagValue you have provided is invalid");
            }
            if (value.codePointCount(0, value.length()) > MAX_VALUE_CHARS) {
                throw invalid("The TagValue you have provided is too long, max " + MAX_VALUE_CHARS);
            }
            if (key.startsWith("aws:")) {
                throw invalid("Your TagKey cannot be prefixed with aws:");
            }
            if (out.putIfAbsent(key, value) != null) {
                throw invalid("Cannot provide multiple Tags with the same key");
            }
        }
        return out;
    }

    /** {@code x-amz-tagging-count} for GET/HEAD: the number of tags, or null (no header) when there are none. */
    static String countHeader(Map<String, String> tags) {
        return tags.isEmpty() ? null : Integer.toString(tags.size());
    }

    private static S3Exception invalid(String message) {
        return new S3Exception(S3ErrorCode.INVALID_TAG, message);
    }
}
