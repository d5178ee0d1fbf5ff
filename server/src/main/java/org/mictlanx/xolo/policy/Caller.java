package org.mictlanx.xolo.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who makes a request, as policies see it: root, a store user (with the access key it signed with),
 * or anonymous (an unsigned request, or a form a plug-in authenticator could not tie to a user).
 *
 * <p>Names in policies: a user is {@code arn:aws:iam::000000000000:user/NAME} (see {@link #ACCOUNT}),
 * its access key id, or its {@link #canonicalId canonical user id}; root is
 * {@code arn:aws:iam::000000000000:root}; the account id {@value #ACCOUNT} or its root ARN name every
 * authenticated principal of the store (as an account principal does in AWS).
 */
public record Caller(Kind kind, String user, String accessKeyId) {

    /** The store's one account id, as ARNs show it. */
    public static final String ACCOUNT = "000000000000";
    public static final String ROOT_ARN = "arn:aws:iam::" + ACCOUNT + ":root";
    private static final String USER_ARN = "arn:aws:iam::" + ACCOUNT + ":user/";
    public static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, null, null);
    /**
     * The owner id of balls written by anonymous callers where the writer owns what it writes
     * (ObjectWriter), as S3 records the anonymous user; never a user name ({@code *} is not allowed in one).
     */
    public static final String ANONYMOUS_OWNER = "*anonymous";
    /** S3's canonical user id of the anonymous user, shown as the owner of anonymously written objects. */
    public static final String ANONYMOUS_CANONICAL_ID = "65a011a29cdf8ec533ec3d1ccaae921c";

    public enum Kind { ROOT, USER, ANONYMOUS }

    public static Caller root(String accessKeyId) {
        return new Caller(Kind.ROOT, "root", accessKeyId);
    }

    public static Caller user(String name, String accessKeyId) {
        return new Caller(Kind.USER, name, accessKeyId);
    }

    public boolean anonymous() {
        return kind == Kind.ANONYMOUS;
    }

    public boolean isRoot() {
        return kind == Kind.ROOT;
    }

    /** The owner id of what this caller writes: the user name, {@code root}, or {@link #ANONYMOUS_OWNER}. */
    public String ownerId() {
        return anonymous() ? ANONYMOUS_OWNER : user;
    }

    /** The display name of an owner id ({@code anonymous} for {@link #ANONYMOUS_OWNER}). */
    public static String displayName(String owner) {
        return ANONYMOUS_OWNER.equals(owner) ? "anonymous" : owner;
    }

    /** The ARN policies name this caller by; {@code *} stands for anonymous. */
    public String arn() {
        return switch (kind) {
            case ROOT -> ROOT_ARN;
            case USER -> USER_ARN + user;
            case ANONYMOUS -> "*";
        };
    }

    /** The IAM ARN of a user name. */
    public static String userArn(String name) {
        return USER_ARN + name;
    }

    /** {@code aws:userid}: the access key id for a user and root, {@code anonymous} for anonymous (as S3). */
    public String userId() {
        return anonymous() ? "anonymous" : accessKeyId;
    }

    /**
     * The stable canonical user id of an owner id (a user name, or {@code root}): 64 hex digits,
     * SHA-256 of a fixed prefix and the name, so it is the same on every router, survives key
     * rotation, and is not the display name. {@link #ANONYMOUS_OWNER}'s is S3's anonymous user id.
     */
    public static String canonicalId(String owner) {
        if (ANONYMOUS_OWNER.equals(owner)) {
            return ANONYMOUS_CANONICAL_ID;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("mictlanx-canonical-user:" + owner).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
