package org.mictlanx.s3;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mictlanx.s3.S3Operation.ListParams;
import org.mictlanx.s3.S3Operation.ResponseOverrides;

/**
 * Turns (method, host, raw path, raw query) into an {@link S3Operation}. Path-style
 * ({@code /bucket/key}) and virtual-hosted-style ({@code bucket.baseDomain/key}) addressing.
 * Known-but-unbuilt sub-resources become {@link S3Operation.NotImplemented}; unknown plain query
 * parameters are ignored as S3 does. Throws {@link S3Exception} for malformed input; never guesses.
 */
public final class S3RequestParser {

    /** Largest key S3 accepts, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    static final int MAX_KEYS_CAP = 1000;

    /** S3 sub-resources (query keywords that select another action) on a bucket. */
    private static final Set<String> BUCKET_SUBRESOURCES = Set.of(
            "accelerate", "acl", "analytics", "cors", "encryption", "intelligent-tiering", "inventory",
            "lifecycle", "logging", "metrics", "notification", "object-lock", "ownershipControls", "policy",
            "policyStatus", "publicAccessBlock", "replication", "requestPayment", "tagging", "uploads",
            "versioning", "website", "session", "metadataTable", "metadataConfiguration", "abac");
    /** S3 sub-resources on an object. */
    private static final Set<String> OBJECT_SUBRESOURCES = Set.of(
            "acl", "attributes", "legal-hold", "retention", "restore", "select", "tagging", "torrent",
            "uploadId", "uploads", "partNumber", "renameObject");
    private static final Map<String, String> OVERRIDES = Map.of(
            "response-content-type", "Content-Type",
            "response-content-language", "Content-Language",
            "response-expires", "Expires",
            "response-cache-control", "Cache-Control",
            "response-content-disposition", "Content-Disposition",
            "response-content-encoding", "Content-Encoding");

    private final String baseDomain;

    public S3RequestParser(S3Config config) {
        this.baseDomain = config.baseDomain();
    }

    /**
     * @param method   HTTP method, any case
     * @param host     the Host header (may carry a port), or null
     * @param rawPath  the path as sent, still percent-encoded
     * @param rawQuery the query as sent without '?', or null
     * @param header   looks up a request header by lower-case name (null when absent)
     */
    public S3Operation parse(String method, String host, String rawPath, String rawQuery,
                             java.util.function.Function<String, String> header) {
        String m = method.toUpperCase(Locale.ROOT);
        Map<String, String> q = Uris.parseQuery(rawQuery);
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw new S3Exception(S3ErrorCode.INVALID_URI);
        }
        String bucket;
        String rawKey;
        Optional<String> hostedBucket = hostedBucket(host);
        if (hostedBucket.isPresent()) {
            bucket = hostedBucket.get();
            rawKey = rawPath.substring(1);
        } else {
            int slash = rawPath.indexOf('/', 1);
            bucket = Uris.decodePath(slash < 0 ? rawPath.substring(1) : rawPath.substring(1, slash));
            rawKey = slash < 0 ? "" : rawPath.substring(slash + 1);
        }
        if (bucket.isEmpty()) {
            return service(m, q);
        }
        if (!BucketNames.isAddressable(bucket)) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME);
        }
        String key = Uris.decodePath(rawKey);
        if (key.isEmpty()) {
            return bucketOp(m, bucket, q);
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG);
        }
        return objectOp(m, bucket, key, q, header);
    }

    /**
     * The bucket a request addresses (path-style or virtual-hosted), decoded but not validated; empty
     * for service-level requests or an unparsable path. For answers that must be given before or
     * without a parsed operation (CORS preflights and CORS headers of error responses).
     */
    public Optional<String> addressedBucket(String host, String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return Optional.empty();
        }
        Optional<String> hosted = hostedBucket(host);
        if (hosted.isPresent()) {
            return hosted;
        }
        int slash = rawPath.indexOf('/', 1);
        try {
            String bucket = Uris.decodePath(slash < 0 ? rawPath.substring(1) : rawPath.substring(1, slash));
            return bucket.isEmpty() || !BucketNames.isAddressable(bucket) ? Optional.empty() : Optional.of(bucket);
        } catch (S3Exception e) {
            return Optional.empty();
        }
    }

    private Optional<String> hostedBucket(String host) {
        if (baseDomain == null || host == null) {
            return Optional.empty();
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            return Optional.empty();
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        if (h.endsWith("." + baseDomain)) {
            return Optional.of(h.substring(0, h.length() - baseDomain.length() - 1));
        }
        return Optional.empty();
    }

    private static S3Operation service(String m, Map<String, String> q) {
        if (m.equals("GET")) {
            return new S3Operation.ListBuckets(OperationParams.listBuckets(q));
        }
        throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
    }

    private static S3Operation bucketOp(String m, String bucket, Map<String, String> q) {
        Optional<String> b = Optional.of(bucket);
        if (q.containsKey("location") && m.equals("GET")) {
            return new S3Operation.GetBucketLocation(bucket);
        }
        if (q.containsKey("versions") && m.equals("GET")) {
            return new S3Operation.ListObjectVersions(bucket, listParams(q), q.get("key-marker"),
                    q.get("version-id-marker"));
        }
        if (q.containsKey("delete") && m.equals("POST")) {
            return new S3Operation.DeleteObjects(bucket);
        }
        if (q.containsKey("versioning") && m.equals("PUT")) {
            return new S3Operation.PutBucketVersioning(bucket);
        }
        if (q.containsKey("object-lock") && m.equals("PUT")) {
            return new S3Operation.PutObjectLockConfiguration(bucket);
        }
        if (q.containsKey("uploads") && m.equals("GET")) {
            ListParams p = listParams(q);
            return new S3Operation.ListMultipartUploads(bucket,
                    new ListParams(p.prefix(), p.delimiter(), OperationParams.pageSize("max-uploads", q.get("max-uploads")),
                            p.urlEncoding()),
                    q.get("key-marker"), q.get("upload-id-marker"));
        }
        S3Operation access = accessOp(m, bucket, q);
        if (access != null) {
            return access;
        }
        if (q.containsKey("website")) {
            return switch (m) {
                case "GET" -> new S3Operation.GetBucketWebsite(bucket);
                case "PUT" -> new S3Operation.PutBucketWebsite(bucket);
                case "DELETE" -> new S3Operation.DeleteBucketWebsite(bucket);
                default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            };
        }
        if (q.containsKey("logging")) {
            return switch (m) {
                case "GET" -> new S3Operation.GetBucketLogging(bucket);
                case "PUT" -> new S3Operation.PutBucketLogging(bucket);
                default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            };
        }
        if (q.containsKey("notification")) {
            return switch (m) {
                case "GET" -> new S3Operation.GetBucketNotificationConfiguration(bucket);
                case "PUT" -> new S3Operation.PutBucketNotificationConfiguration(bucket);
                default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            };
        }
        if (q.containsKey("lifecycle")) {
            return switch (m) {
                case "GET" -> new S3Operation.GetBucketLifecycleConfiguration(bucket);
                case "PUT" -> new S3Operation.PutBucketLifecycleConfiguration(bucket);
                case "DELETE" -> new S3Operation.DeleteBucketLifecycle(bucket);
                default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            };
        }
        if (q.containsKey("cors")) {
            return switch (m) {
                case "GET" -> new S3Operation.GetBucketCors(bucket);
                case "PUT" -> new S3Operation.PutBucketCors(bucket);
                case "DELETE" -> new S3Operation.DeleteBucketCors(bucket);
                default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            };
        }
        if (q.containsKey("tagging")) {
            switch (m) {
                case "GET" -> {
                    return new S3Operation.GetBucketTagging(bucket);
                }
                case "PUT" -> {
                    return new S3Operation.PutBucketTagging(bucket);
                }
                case "DELETE" -> {
                    return new S3Operation.DeleteBucketTagging(bucket);
                }
                default -> {
                    // falls through to NotImplemented below
                }
            }
        }
        if (q.containsKey("encryption") && m.equals("PUT")) {
            return new S3Operation.PutBucketEncryption(bucket);
        }
        if (q.containsKey("encryption") && m.equals("DELETE")) {
            return new S3Operation.DeleteBucketEncryption(bucket);
        }
        if (m.equals("GET")) {
            for (String name : q.keySet()) {
                Optional<S3Operation.BucketConfiguration> config = S3Operation.BucketConfiguration.bySubresource(name);
                if (config.isPresent()) {
                    return new S3Operation.GetBucketConfiguration(bucket, config.get());
                }
            }
        }
        for (String name : q.keySet()) {
            if (BUCKET_SUBRESOURCES.contains(name) || name.equals("location") || name.equals("versions")
                    || name.equals("delete")) {
                return new S3Operation.NotImplemented(actionName(m, "Bucket", name), b);
            }
        }
        return switch (m) {
            case "PUT" -> new S3Operation.CreateBucket(bucket);
            case "HEAD" -> new S3Operation.HeadBucket(bucket);
            case "DELETE" -> new S3Operation.DeleteBucket(bucket);
            case "GET" -> listing(bucket, q);
            case "POST" -> new S3Operation.PostObject(bucket);
            default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
        };
    }

    /** The bucket policy, ACL, ownership and public access block operations; null when {@code q} names none of them. */
    private static S3Operation accessOp(String m, String bucket, Map<String, String> q) {
        if (q.containsKey("policy")) {
            return switch (m) {
                case "GET" -> new S3Operation.GetBucketPolicy(bucket);
                case "PUT" -> new S3Operation.PutBucketPolicy(bucket);
                case "DELETE" -> new S3Operation.DeleteBucketPolicy(bucket);
                default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            };
        }
        if (q.containsKey("policyStatus")) {
            if (m.equals("GET")) {
                return new S3Operation.GetBucketPolicyStatus(bucket);
            }
            throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
        }
        if (q.containsKey("acl")) {
            return switch (m) {
                case "GET" -> new S3Operation.GetBucketAcl(bucket);
                case "PUT" -> new S3Operation.PutBucketAcl(bucket);
                default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            };
        }
        if (q.containsKey("ownershipControls")) {
            return switch (m) {
                case "GET" -> new S3Operation.GetBucketOwnershipControls(bucket);
                case "PUT" -> new S3Operation.PutBucketOwnershipControls(bucket);
                case "DELETE" -> new S3Operation.DeleteBucketOwnershipControls(bucket);
                default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            };
        }
        if (q.containsKey("publicAccessBlock")) {
            return switch (m) {
                case "GET" -> new S3Operation.GetPublicAccessBlock(bucket);
                case "PUT" -> new S3Operation.PutPublicAccessBlock(bucket);
                case "DELETE" -> new S3Operation.DeletePublicAccessBlock(bucket);
                default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            };
        }
        return null;
    }

    private static S3Operation listing(String bucket, Map<String, String> q) {
        String listType = q.get("list-type");
        if (listType == null) {
            return new S3Operation.ListObjects(bucket, listParams(q), q.get("marker"));
        }
        if (!listType.equals("2")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid List Type specified in Request");
        }
        String token = q.get("continuation-token");
        if (token != null && token.isEmpty()) {
            token = null; // an empty token is no token, as S3 treats it
        }
        return new S3Operation.ListObjectsV2(bucket, listParams(q), token, q.get("start-after"),
                "true".equalsIgnoreCase(q.get("fetch-owner")));
    }

    private static ListParams listParams(Map<String, String> q) {
        int maxKeys = MAX_KEYS_CAP;
        String mk = q.get("max-keys");
        if (mk != null) {
            try {
                maxKeys = Integer.parseInt(mk);
            } catch (NumberFormatException e) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Provided max-keys not an integer or within integer range");
            }
            if (maxKeys < 0) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Argument maxKeys must be an integer between 0 and 2147483647");
            }
            maxKeys = Math.min(maxKeys, MAX_KEYS_CAP);
        }
        String encoding = q.get("encoding-type");
        if (encoding != null && !encoding.equalsIgnoreCase("url")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request");
        }
        String delimiter = q.get("delimiter");
        return new ListParams(q.getOrDefault("prefix", ""), delimiter == null || delimiter.isEmpty() ? null : delimiter,
                maxKeys, encoding != null);
    }

    private static S3Operation objectOp(String m, String bucket, String key, Map<String, String> q,
                                        java.util.function.Function<String, String> header) {
        Optional<String> b = Optional.of(bucket);
        String copy = header.apply("x-amz-copy-source");
        if (q.containsKey("uploadId")) {
            return upload(m, bucket, key, q, copy, header);
        }
        if (q.containsKey("uploads")) {
            if (m.equals("POST")) {
                return new S3Operation.CreateMultipartUpload(bucket, key);
            }
            throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
        }
        String versionId = q.get("versionId");
        if (q.containsKey("attributes") && m.equals("GET")) {
            return new S3Operation.GetObjectAttributes(bucket, key, versionId,
                    OperationParams.attributes(header.apply("x-amz-object-attributes")),
                    OperationParams.pageSize("max-parts", header.apply("x-amz-max-parts")),
                    OperationParams.nonNegative("part-number-marker", header.apply("x-amz-part-number-marker"), 0));
        }
        if (q.containsKey("tagging")) {
            return switch (m) {
                case "GET" -> new S3Operation.GetObjectTagging(bucket, key, versionId);
                case "PUT" -> new S3Operation.PutObjectTagging(bucket, key, versionId);
                case "DELETE" -> new S3Operation.DeleteObjectTagging(bucket, key, versionId);
                default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            };
        }
        if (q.containsKey("retention") && (m.equals("GET") || m.equals("PUT"))) {
            return m.equals("GET") ? new S3Operation.GetObjectRetention(bucket, key, versionId)
                    : new S3Operation.PutObjectRetention(bucket, key, versionId);
        }
        if (q.containsKey("legal-hold") && (m.equals("GET") || m.equals("PUT"))) {
            return m.equals("GET") ? new S3Operation.GetObjectLegalHold(bucket, key, versionId)
                    : new S3Operation.PutObjectLegalHold(bucket, key, versionId);
        }
        if (q.containsKey("acl")) {
            return switch (m) {
                case "GET" -> new S3Operation.GetObjectAcl(bucket, key, versionId);
                case "PUT" -> new S3Operation.PutObjectAcl(bucket, key, versionId);
                default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            };
        }
        Integer partNumber = null;
        if (q.containsKey("partNumber") && (m.equals("GET") || m.equals("HEAD"))) {
            partNumber = OperationParams.partNumber(q.get("partNumber"));
        }
        for (String name : q.keySet()) {
            if (OBJECT_SUBRESOURCES.contains(name) && !(partNumber != null && name.equals("partNumber"))) {
                return new S3Operation.NotImplemented(actionName(m, "Object", name), b);
            }
        }
        return switch (m) {
            case "PUT" -> copy != null
                    ? new S3Operation.CopyObject(bucket, key, OperationParams.copySource(copy))
                    : new S3Operation.PutObject(bucket, key);
            case "GET" -> new S3Operation.GetObject(bucket, key, versionId, overrides(q), partNumber);
            case "HEAD" -> new S3Operation.HeadObject(bucket, key, versionId, overrides(q), partNumber);
            case "DELETE" -> new S3Operation.DeleteObject(bucket, key, versionId);
            default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
        };
    }

    /** The operations on one multipart upload ({@code ?uploadId=}). */
    private static S3Operation upload(String m, String bucket, String key, Map<String, String> q, String copy,
                                      java.util.function.Function<String, String> header) {
        String uploadId = q.get("uploadId");
        if (uploadId.isEmpty()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD);
        }
        return switch (m) {
            case "PUT" -> {
                int part = OperationParams.partNumber(q.get("partNumber"));
                yield copy == null
                        ? new S3Operation.UploadPart(bucket, key, uploadId, part)
                        : new S3Operation.UploadPartCopy(bucket, key, uploadId, part, OperationParams.copySource(copy),
                        OperationParams.copyRange(header.apply("x-amz-copy-source-range")));
            }
            case "POST" -> new S3Operation.CompleteMultipartUpload(bucket, key, uploadId);
            case "DELETE" -> new S3Operation.AbortMultipartUpload(bucket, key, uploadId);
            case "GET" -> new S3Operation.ListParts(bucket, key, uploadId, OperationParams.pageSize("max-parts", q.get("max-parts")),
                    OperationParams.nonNegative("part-number-marker", q.get("part-number-marker"), 0));
            default -> throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
        };
    }

    private static ResponseOverrides overrides(Map<String, String> q) {
        Map<String, String> out = new HashMap<>();
        OVERRIDES.forEach((param, headerName) -> {
            String v = q.get(param);
            if (v != null) {
                out.put(headerName, v);
            }
        });
        return new ResponseOverrides(out);
    }

    /** e.g. (GET, Bucket, acl) -> GetBucketAcl; (PUT, Object, legal-hold) -> PutObjectLegalHold. */
    private static String actionName(String method, String level, String subresource) {
        String verb = switch (method) {
            case "PUT" -> "Put";
            case "DELETE" -> "Delete";
            case "POST" -> "Post";
            case "HEAD" -> "Head";
            default -> "Get";
        };
        StringBuilder sb = new StringBuilder(verb).append(level);
        for (String part : subresource.split("-")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.toString();
    }
}
