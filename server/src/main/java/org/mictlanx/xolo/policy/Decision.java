package org.mictlanx.xolo.policy;

/** The outcome of evaluating policies for one request: an explicit Deny beats an Allow, which beats none. */
public enum Decision {
    /** No statement applies: the request is denied unless something else (ownership, an ACL) allows it. */
    IMPLICIT_DENY,
    ALLOW,
    /** A Deny statement applies: nothing can allow the request any more. */
    EXPLICIT_DENY;

    /** Combines two decisions: Deny over Allow over none. */
    public Decision and(Decision other) {
        return this.ordinal() >= other.ordinal() ? this : other;
    }
}
