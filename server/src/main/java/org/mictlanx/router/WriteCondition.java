package org.mictlanx.router;

import org.jspecify.annotations.Nullable;

/**
 * A precondition on the ball currently under the key, checked atomically with the write that
 * commits a new ball there (put, complete of a multipart upload, copy).
 *
 * <ul>
 *   <li>{@link Kind#NONE}: unconditional (last writer wins).
 *   <li>{@link Kind#IF_ABSENT}: only if no ball is under the key (S3 {@code If-None-Match: *}).
 *   <li>{@link Kind#IF_MATCH}: only if the ball under the key has ETag {@link #etag()} (S3
 *       {@code If-Match}; no quotes).
 * </ul>
 * A condition that does not hold throws {@link RouterException.Kind#PRECONDITION_FAILED} (If-Match with no
 * ball under the key: {@link RouterException.Kind#NO_SUCH_BALL}); a
 * conditional write that lost a race with another write of the same key (the condition held when
 * it started but another writer committed first) throws {@link RouterException.Kind#CONFLICT}.
 * Among conditional writers racing on one key, through any routers over the same peers, at most
 * one succeeds per observed state.
 */
public record WriteCondition(Kind kind, @Nullable String etag) {

    public enum Kind { NONE, IF_ABSENT, IF_MATCH }

    public static final WriteCondition NONE = new WriteCondition(Kind.NONE, null);
    public static final WriteCondition IF_ABSENT = new WriteCondition(Kind.IF_ABSENT, null);

    public WriteCondition {
        if (kind == null) throw new IllegalArgumentException("kind is required");
        if (kind == Kind.IF_MATCH && (etag == null || etag.isEmpty())) throw new IllegalArgumentException("IF_MATCH needs an etag");
        if (kind != Kind.IF_MATCH) etag = null;
    }

    /** Replace only the ball whose ETag is {@code etag} (surrounding quotes are stripped). */
    public static WriteCondition ifMatch(String etag) {
        String e = etag == null ? null : etag.strip();
        if (e != null && e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) e = e.substring(1, e.length() - 1);
        return new WriteCondition(Kind.IF_MATCH, e);
    }

    public boolean conditional() {
        return kind != Kind.NONE;
    }
}
