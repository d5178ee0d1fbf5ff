package org.mictlanx.s3.handler;

import java.util.Map;

import org.mictlanx.router.PutBall;
import org.mictlanx.router.WriteCondition;
import org.mictlanx.s3.S3Request;
import org.mictlanx.s3.xml.S3Xml;
import org.mictlanx.s3.xml.Tagging;

/**
 * What a browser form upload (POST object, {@code org.mictlanx.s3.post}) shares with PutObject: the
 * same system headers, user metadata, checksum requests and checks, taken from a request whose
 * "headers" are the form's fields.
 */
public final class FormUploads {

    private FormUploads() {
    }

    /**
     * The put of an upload of unknown length: the form's system headers, {@code x-amz-meta-*}
     * metadata, requested checksums (Content-MD5 and {@code x-amz-checksum-*} checked before the
     * commit, then {@code extra}), and {@code tags}.
     */
    public static PutBall put(S3Request form, String bucket, String key, Map<String, String> tags,
                              PutBall.Verifier extra) {
        var wanted = Checksums.precheck(form);
        PutBall.Verifier checks = Checksums.verifier(form);
        return new PutBall(bucket, key, -1, Metadata.systemHeaders(form), Metadata.userMetadata(form), wanted,
                computed -> {
                    extra.verify(computed);
                    checks.verify(computed);
                }, WriteCondition.NONE, tags);
    }

    /** The tag set of a {@code tagging} form field (a Tagging XML document), validated as PutObjectTagging's. */
    public static Map<String, String> tags(S3Xml xml, String document) {
        if (document == null || document.isBlank()) {
            return Map.of();
        }
        return Tags.fromDocument(xml.read(document.getBytes(java.nio.charset.StandardCharsets.UTF_8), Tagging.class));
    }
}
