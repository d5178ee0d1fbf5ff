package org.mictlanx.s3.sse;

import org.mictlanx.s3.S3Exception;
import org.mictlanx.s3.S3Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of SSE-KMS key use, one line per use on the logger {@value #LOGGER} (route it to
 * its own file in the logging configuration): which key version was used for what, by whom, on which
 * ball, and whether the key service allowed it. {@code GenerateDataKey} is a write wrapping new data
 * keys under the key (PutObject, CopyObject destination, CreateMultipartUpload, POST object),
 * {@code Decrypt} a read unwrapping them (GetObject, HeadObject, GetObjectAttributes, a copy source,
 * UploadPart and UploadPartCopy into an SSE-KMS upload), as AWS KMS names the calls S3 makes. Refusals
 * (a disabled key, one pending deletion, an unknown one) are logged with their KMS error code. Never
 * holds key material, only key ids and versions.
 */
public final class KmsAudit {

    public static final String LOGGER = "mictlanx.audit.kms";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private KmsAudit() {
    }

    /** A use of {@code keyRef} ({@code keyId/version}, or the key id asked for when it was refused). */
    static void used(S3Request req, String action, String keyRef, String outcome) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        LOG.info("kms action={} key={} operation={} resource={} user={} requestId={} outcome={}", action, keyRef,
                req.operation() == null ? "-" : req.operation().action(), req.resource(),
                req.ownerId() == null ? "anonymous" : req.ownerId(), req.requestId(), outcome);
    }

    /** Runs a key service call, logging its refusal (S3's KMS error code) before rethrowing it. */
    static <T> T refusalsLogged(S3Request req, String action, String keyRef, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (S3Exception e) {
            used(req, action, keyRef, e.code().code());
            throw e;
        }
    }
}
