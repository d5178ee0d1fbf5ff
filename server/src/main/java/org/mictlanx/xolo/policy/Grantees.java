package org.mictlanx.xolo.policy;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import org.mictlanx.xolo.identity.Principal;

/**
 * Who a canonical user id or an e-mail address names, for ACL grants ({@code id=}, {@code emailAddress=},
 * {@code CanonicalUser} / {@code AmazonCustomerByEmail} grantees) and for {@code CanonicalUser}
 * principals of bucket policies: root or an existing user. Canonical ids are one-way digests of owner
 * names ({@link Caller#canonicalId}), so a look-up digests every user name (one metadata scan): it is
 * done on ACL and policy writes only, never on reads.
 *
 * <p>E-mail addresses: the store keeps none, so an address resolves to the user whose name is that
 * address (compared case-insensitively, as addresses are), else S3's {@code UnresolvableGrantByEmailAddress}.
 */
public final class Grantees {

    /** Knows root only (front doors without a user registry). */
    public static final Grantees ROOT_ONLY = new Grantees(List::of);

    private final Supplier<? extends Collection<String>> userNames;

    /** @param userNames every user's name (disabled ones included), read on each look-up */
    public Grantees(Supplier<? extends Collection<String>> userNames) {
        this.userNames = userNames;
    }

    /** The owner id (a user name or {@code root}) whose canonical user id is {@code canonicalId}. */
    public Optional<String> ownerOf(String canonicalId) {
        if (canonicalId.equals(Caller.canonicalId(Principal.ROOT_USER))) {
            return Optional.of(Principal.ROOT_USER);
        }
        for (String name : userNames.get()) {
            if (canonicalId.equals(Caller.canonicalId(name))) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** The user an e-mail address names: the one whose name is that address. */
    public Optional<String> userOfEmail(String address) {
        String a = address.strip().toLowerCase(Locale.ROOT);
        if (a.indexOf('@') <= 0) {
            return Optional.empty();
        }
        for (String name : userNames.get()) {
            if (name.toLowerCase(Locale.ROOT).equals(a)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
