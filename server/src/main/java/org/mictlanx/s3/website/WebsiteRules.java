package org.mictlanx.s3.website;

import java.util.List;
import java.util.Optional;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;

/**
 * A validated website configuration and its routing, as S3: either {@code RedirectAllRequestsTo}
 * alone, or an {@code IndexDocument} (suffix non-empty, without {@code /}) with an optional
 * {@code ErrorDocument} and up to {@link #MAX_RULES} routing rules, each with a {@code Redirect}
 * naming at least one of its elements, never both ReplaceKeyPrefixWith and ReplaceKeyWith, a
 * protocol of http/https and a 3xx code. Violations are InvalidArgument / InvalidRequest with S3's
 * messages (MalformedXML for a document of the wrong shape).
 */
public record WebsiteRules(WebsiteConfiguration config) {

    /** S3's limit on routing rules. */
    public static final int MAX_RULES = 50;

    /** Validates a parsed document. */
    public static WebsiteRules of(WebsiteConfiguration c) {
        if (c.redirectAll() != null) {
            if (c.indexDocument() != null || c.errorDocument() != null || c.routingRules() != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "RedirectAllRequestsTo cannot be provided in"
                        + " conjunction with other Routing Rules.");
            }
            if (blank(c.redirectAll().hostName())) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            protocol(c.redirectAll().protocol());
            return new WebsiteRules(c);
        }
        if (c.indexDocument() == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "A value for IndexDocument Suffix must be provided if"
                    + " RedirectAllRequestsTo is empty");
        }
        String suffix = c.indexDocument().suffix();
        if (blank(suffix) || suffix.contains("/")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The IndexDocument Suffix is not well formed");
        }
        if (c.errorDocument() != null && blank(c.errorDocument().key())) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The ErrorDocument Key is not well formed");
        }
        List<WebsiteConfiguration.RoutingRule> rules = c.routingRules() == null || c.routingRules().rules() == null
                ? List.of() : c.routingRules().rules();
        if (rules.size() > MAX_RULES) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The number of routing rules must not exceed the allowed"
                    + " limit of " + MAX_RULES + " rules");
        }
        for (WebsiteConfiguration.RoutingRule r : rules) {
            WebsiteConfiguration.Redirect d = r == null ? null : r.redirect();
            if (d == null || blank(d.hostName()) && blank(d.httpRedirectCode()) && blank(d.protocol())
                    && d.replaceKeyPrefixWith() == null && d.replaceKeyWith() == null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Invalid Request: a Redirect must contain at least"
                        + " one of HostName, HttpRedirectCode, Protocol, ReplaceKeyPrefixWith or ReplaceKeyWith");
            }
            if (d.replaceKeyPrefixWith() != null && d.replaceKeyWith() != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "You can only define ReplaceKeyPrefix or ReplaceKey but not both.");
            }
            protocol(d.protocol());
            if (!blank(d.httpRedirectCode()) && !d.httpRedirectCode().strip().matches("3\\d\\d")) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The provided HTTP redirect code ("
                        + d.httpRedirectCode() + ") is not valid. Valid codes are 3XX except 300.");
            }
            if (r.condition() != null && !blank(r.condition().httpErrorCodeReturnedEquals())
                    && !r.condition().httpErrorCodeReturnedEquals().strip().matches("[45]\\d\\d")) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The provided HTTP error code ("
                        + r.condition().httpErrorCodeReturnedEquals() + ") is not valid. Valid codes are 4XX or 5XX.");
            }
        }
        return new WebsiteRules(c);
    }

    /** The first rule whose condition matches {@code key} and (when it names one) {@code errorCode} (0: no error yet). */
    Optional<WebsiteConfiguration.RoutingRule> route(String key, int errorCode) {
        if (config.routingRules() == null || config.routingRules().rules() == null) {
            return Optional.empty();
        }
        for (WebsiteConfiguration.RoutingRule r : config.routingRules().rules()) {
            WebsiteConfiguration.Condition c = r.condition();
            String prefix = c == null ? null : c.keyPrefixEquals();
            String code = c == null ? null : c.httpErrorCodeReturnedEquals();
            boolean prefixOk = prefix == null || key.startsWith(prefix);
            boolean codeOk = blank(code) ? errorCode == 0 : Integer.toString(errorCode).equals(code.strip());
            if (prefixOk && codeOk) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private static void protocol(String p) {
        if (p != null && !p.equals("http") && !p.equals("https")) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Invalid protocol, protocol can be http or https. If not"
                    + " defined the protocol will be selected automatically.");
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
