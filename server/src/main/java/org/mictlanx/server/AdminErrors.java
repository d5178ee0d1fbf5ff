package org.mictlanx.server;

import java.util.Map;
import org.mictlanx.router.RouterException;
import org.mictlanx.router.crypto.KeyServiceException;
import org.mictlanx.s3.notify.TargetRegistry;
import org.mictlanx.server.AdminHandler.Reply;
import org.mictlanx.xolo.identity.IdentityException;
import org.mictlanx.xolo.policy.PolicyAdminException;
import org.mictlanx.xolo.policy.PolicyException;

/**
 * The admin API's one error table: what an admin action's refusal answers, as HTTP status and
 * {@code {"error": CODE, "message": TEXT}}. Identity refusals keep their kind's name as the code;
 * key service refusals are named as AWS KMS names them ({@code NotFoundException},
 * {@code DisabledException}, {@code KMSInvalidStateException}); policy refusals as IAM does
 * ({@code MalformedPolicy}, {@code NoSuchEntity}, {@code DeleteConflict}, {@code EntityAlreadyExists});
 * a bad or missing parameter is 400 {@code InvalidArgument}; a router failure other than a missing
 * bucket or a bad request is 503 {@code ServiceUnavailable}.
 */
final class AdminErrors {

    private AdminErrors() {
    }

    /**
     * The answer to {@code e}, thrown by an admin action; an exception that is none of the admin
     * actions' refusals (a bug, not a refusal) is rethrown as it is.
     */
    static Reply reply(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        return switch (e) {
            case IdentityException x -> new Reply(switch (x.kind()) {
                case USER_EXISTS, LIMIT_EXCEEDED, ROOT_FROM_SETTINGS -> 409;
                case NO_SUCH_USER, NO_SUCH_KEY -> 404;
                case INVALID_NAME -> 400;
            }, body(x.kind().name(), message));
            case KeyServiceException x -> new Reply(x.kind() == KeyServiceException.Kind.NOT_FOUND ? 404 : 409,
                    body(switch (x.kind()) {
                        case NOT_FOUND -> "NotFoundException";
                        case DISABLED -> "DisabledException";
                        case PENDING_DELETION -> "KMSInvalidStateException";
                    }, message));
            case TargetRegistry.Refused x -> new Reply(x.code().equals("NoSuchTarget") ? 404 : 409, body(x.code(), message));
            case PolicyException x -> new Reply(400, body("MalformedPolicy", message));
            case PolicyAdminException x -> policyAdmin(x.kind(), message);
            case IllegalArgumentException x -> new Reply(400, body("InvalidArgument", message));
            case RouterException x -> switch (x.kind()) {
                case NO_SUCH_BUCKET -> new Reply(404, body("NoSuchBucket", message));
                case BAD_REQUEST -> new Reply(400, body("InvalidArgument", message));
                default -> new Reply(503, body("ServiceUnavailable", message));
            };
            default -> throw e;
        };
    }

    private static Reply policyAdmin(PolicyAdminException.Kind kind, String message) {
        return switch (kind) {
            case NO_SUCH_POLICY, NO_SUCH_GROUP -> new Reply(404, body("NoSuchEntity", message));
            case IN_USE -> new Reply(409, body("DeleteConflict", message));
            case BUILT_IN -> new Reply(409, body("BuiltInPolicy", message));
            case GROUP_EXISTS -> new Reply(409, body("EntityAlreadyExists", message));
        };
    }

    private static Map<String, String> body(String code, String message) {
        return Map.of("error", code, "message", message);
    }
}
