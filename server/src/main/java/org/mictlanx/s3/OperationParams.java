package org.mictlanx.s3;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.mictlanx.s3.S3Operation.CopyRange;
import org.mictlanx.s3.S3Operation.CopySource;
import org.mictlanx.s3.S3Operation.ObjectAttribute;

/**
 * Parses the typed parameters of the multipart, copy and attribute operations (part numbers,
 * paging integers, {@code x-amz-copy-source}, {@code x-amz-copy-source-range},
 * {@code x-amz-object-attributes}) with S3's error for each malformed value.
 */
final class OperationParams {

    /** S3's part numbers: 1 .. 10000. */
    static final int MAX_PART_NUMBER = 10_000;
    static final int MAX_PAGE = 1000;

    private OperationParams() {
    }

    /** A part number in 1 .. 10000; InvalidArgument otherwise (absent included). */
    static int partNumber(String value) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n >= 1 && n <= MAX_PART_NUMBER) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive");
    }

    /** A non-negative integer parameter ({@code max-parts}, {@code part-number-marker}); {@code absent} when null. */
    static int nonNegative(String name, String value, int absent) {
        if (value == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                "Provided " + name + " not an integer or within integer range");
    }

    /** S3's largest {@code max-buckets}. */
    static final int MAX_BUCKETS = 10_000;

    /**
     * ListBuckets' {@code max-buckets} (1 .. 10000, else InvalidArgument), {@code continuation-token}
     * (empty counts as absent), {@code prefix} and {@code bucket-region}.
     */
    static S3Operation.ListBucketsParams listBuckets(Map<String, String> q) {
        int max = 0;
        String mb = q.get("max-buckets");
        if (mb != null) {
            try {
                max = Integer.parseInt(mb.trim());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > MAX_BUCKETS) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                        "Argument max-buckets must be an integer between 1 and " + MAX_BUCKETS);
            }
        }
        String token = q.get("continuation-token");
        String prefix = q.get("prefix");
        String region = q.get("bucket-region");
        return new S3Operation.ListBucketsParams(max, token == null || token.isEmpty() ? null : token,
                prefix == null || prefix.isEmpty() ? null : prefix, region == null || region.isEmpty() ? null : region);
    }

    /** A page size: non-negative, capped at 1000. */
    static int pageSize(String name, String value) {
        return Math.min(nonNegative(name, value, MAX_PAGE), MAX_PAGE);
    }

    /**
     * {@code x-amz-copy-source}: {@code [/]bucket/key[?versionId=id]}, bucket and key URL-encoded.
     * The query is split off before decoding, so an encoded {@code %3F} stays part of the key.
     */
    static CopySource copySource(String header) {
        String raw = header.trim();
        String versionId = null;
        int question = raw.indexOf('?');
        if (question >= 0) {
            Map<String, String> q = Uris.parseQuery(raw.substring(question + 1));
            versionId = q.get("versionId");
            raw = raw.substring(0, question);
        }
        if (raw.startsWith("/")) {
            raw = raw.substring(1);
        }
        int slash = raw.indexOf('/');
        String bucket = slash <= 0 ? "" : Uris.decodePath(raw.substring(0, slash));
        String key = slash <= 0 ? "" : Uris.decodePath(raw.substring(slash + 1));
        if (bucket.isEmpty() || key.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
        }
        if (!BucketNames.isAddressable(bucket)) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME);
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > S3RequestParser.MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG);
        }
        if (versionId != null && versionId.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Version id cannot be the empty string");
        }
        return new CopySource(bucket, key, versionId);
    }

    /** {@code x-amz-copy-source-range}: exactly {@code bytes=first-last} with first <= last; null when absent. */
    static CopyRange copyRange(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.startsWith("bytes=")) {
            String spec = h.substring(6);
            int dash = spec.indexOf('-');
            if (dash > 0 && dash < spec.length() - 1) {
                try {
                    long first = Long.parseLong(spec.substring(0, dash));
                    long last = Long.parseLong(spec.substring(dash + 1));
                    if (first >= 0 && last >= first) {
                        return new CopyRange(first, last);
                    }
                } catch (NumberFormatException e) {
                    // falls through to the error
                }
            }
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are"
                        + " the zero-based offsets of the first and last bytes to copy");
    }

    /** {@code x-amz-object-attributes}: a non-empty comma list of ETag, Checksum, ObjectParts, StorageClass, ObjectSize. */
    static Set<ObjectAttribute> attributes(String header) {
        Set<ObjectAttribute> out = EnumSet.noneOf(ObjectAttribute.class);
        if (header != null) {
            for (String raw : header.split(",")) {
                String name = raw.trim().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                out.add(switch (name) {
                    case "etag" -> ObjectAttribute.ETAG;
                    case "checksum" -> ObjectAttribute.CHECKSUM;
                    case "objectparts" -> ObjectAttribute.OBJECT_PARTS;
                    case "storageclass" -> ObjectAttribute.STORAGE_CLASS;
                    case "objectsize" -> ObjectAttribute.OBJECT_SIZE;
                    default -> throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid attribute name specified.");
                });
            }
        }
        if (out.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing"
                            + " or empty");
        }
        return out;
    }
}
