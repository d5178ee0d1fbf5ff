package org.mictlanx.s3;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.mictlanx.s3.S3Operation.ListParams;
import org.mictlanx.xolo.policy.Caller;
import org.mictlanx.xolo.policy.ConditionKeys;
import org.mictlanx.xolo.policy.ObjectVersion;

/**
 * The condition keys of one S3 request, computed only when a policy asks for them. Keys:
 * {@code aws:SourceIp}, {@code aws:SecureTransport}, {@code aws:CurrentTime}, {@code aws:EpochTime},
 * {@code aws:username} (users only), {@code aws:userid} (the access key id; {@code anonymous}),
 * {@code aws:PrincipalArn}, {@code aws:PrincipalType}, {@code aws:Referer}, {@code aws:UserAgent},
 * {@code s3:prefix}, {@code s3:delimiter}, {@code s3:max-keys} (listings), {@code s3:VersionId},
 * {@code s3:ExistingObjectTag/<k>} (the addressed ball's tags), {@code s3:RequestObjectTag/<k>} and
 * {@code s3:RequestObjectTagKeys} ({@code x-amz-tagging}), {@code s3:x-amz-*} (request headers,
 * {@code s3:x-amz-acl} included), {@code s3:signatureversion} and {@code s3:authType}.
 *
 * @param authType         {@code REST-HEADER}, {@code REST-QUERY-STRING} or {@code POST}; null for anonymous
 * @param signatureVersion {@code AWS4-HMAC-SHA256} (or {@code AWS} for SigV2); null for anonymous
 * @param existingTags     the addressed ball's tags, asked only for {@code s3:ExistingObjectTag/*}
 * @param version          the addressed ball's version ({@link ObjectVersion#NONE}: none), asked only for its ACL
 */
public record RequestConditionKeys(Caller caller, S3Operation op, Map<String, List<String>> headers, String sourceIp,
                                   boolean secure, String authType, String signatureVersion, Instant now,
                                   Supplier<Map<String, String>> existingTags, Supplier<ObjectVersion> version)
        implements ConditionKeys {

    @Override
    public ObjectVersion ballVersion() {
        return version.get();
    }

    @Override
    public List<String> values(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return switch (k) {
            case "aws:sourceip" -> one(sourceIp);
            case "aws:securetransport" -> List.of(Boolean.toString(secure));
            case "aws:currenttime" -> List.of(now.toString());
            case "aws:epochtime" -> List.of(Long.toString(now.getEpochSecond()));
            case "aws:username" -> caller.kind() == Caller.Kind.USER ? one(caller.user()) : null;
            case "aws:userid" -> one(caller.userId());
            case "aws:principalarn" -> caller.anonymous() ? null : one(caller.arn());
            case "aws:principaltype" -> List.of(switch (caller.kind()) {
                case ROOT -> "Account";
                case USER -> "User";
                case ANONYMOUS -> "Anonymous";
            });
            case "aws:referer" -> header("referer");
            case "aws:useragent" -> header("user-agent");
            case "s3:prefix" -> list().map(p -> one(p.prefix().isEmpty() ? null : p.prefix())).orElse(null);
            case "s3:delimiter" -> list().map(p -> one(p.delimiter())).orElse(null);
            case "s3:max-keys" -> list().map(p -> one(Integer.toString(p.maxKeys()))).orElse(null);
            case "s3:versionid" -> one(versionId());
            case "s3:signatureversion" -> one(signatureVersion);
            case "s3:authtype" -> one(authType);
            case "s3:requestobjecttagkeys" -> requestTags() == null ? null : new ArrayList<>(requestTags().keySet());
            default -> other(key, k);
        };
    }

    private List<String> other(String key, String lower) {
        if (lower.startsWith("s3:existingobjecttag/")) {
            Map<String, String> tags = existingTags.get();
            return tags == null ? null : one(tags.get(key.substring("s3:existingobjecttag/".length())));
        }
        if (lower.startsWith("s3:requestobjecttag/")) {
            Map<String, String> tags = requestTags();
            return tags == null ? null : one(tags.get(key.substring("s3:requestobjecttag/".length())));
        }
        if (lower.startsWith("s3:x-amz-")) {
            return header(lower.substring(3));
        }
        return null;
    }

    private Map<String, String> requestTags() {
        List<String> h = headers.get("x-amz-tagging");
        if (h == null || h.isEmpty()) {
            return null;
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pair : h.get(0).split("&")) {
            int eq = pair.indexOf('=');
            try {
                out.put(Uris.decodeQuery(eq < 0 ? pair : pair.substring(0, eq)),
                        eq < 0 ? "" : Uris.decodeQuery(pair.substring(eq + 1)));
            } catch (S3Exception e) {
                return null;
            }
        }
        return out;
    }

    private java.util.Optional<ListParams> list() {
        return java.util.Optional.ofNullable(switch (op) {
            case S3Operation.ListObjects o -> o.params();
            case S3Operation.ListObjectsV2 o -> o.params();
            case S3Operation.ListObjectVersions o -> o.params();
            case S3Operation.ListMultipartUploads o -> o.params();
            default -> null;
        });
    }

    private String versionId() {
        return switch (op) {
            case S3Operation.GetObject o -> o.versionId();
            case S3Operation.HeadObject o -> o.versionId();
            case S3Operation.DeleteObject o -> o.versionId();
            case S3Operation.GetObjectTagging o -> o.versionId();
            case S3Operation.PutObjectTagging o -> o.versionId();
            case S3Operation.DeleteObjectTagging o -> o.versionId();
            default -> null;
        };
    }

    private List<String> header(String lowerName) {
        List<String> v = headers.get(lowerName);
        return v == null || v.isEmpty() ? null : v;
    }

    private static List<String> one(String v) {
        return v == null ? null : List.of(v);
    }

    /** The same request's keys for another operation (a copy's source, one key of DeleteObjects). */
    public RequestConditionKeys forOperation(S3Operation other, java.util.Optional<org.mictlanx.router.BallInfo> ball) {
        return new RequestConditionKeys(caller, other, headers, sourceIp, secure, authType, signatureVersion, now,
                () -> ball.map(org.mictlanx.router.BallInfo::tags).orElse(null),
                () -> ball.map(ObjectVersion::of).orElse(ObjectVersion.NONE));
    }
}
