package org.mictlanx.s3.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One event in S3's notification JSON ({@code {"Records":[{...}]}}, eventVersion 2.1, eventSource
 * {@code aws:s3}). {@code eventName} is without the {@code s3:} prefix, as S3 sends it
 * ({@code ObjectCreated:Put}); the key is URL-encoded (form encoding, as S3); size and eTag are
 * left out of removal events, as S3 does.
 */
public record S3Event(String eventName, Instant time, String region, String principal, String sourceIp,
                      String requestId, String configurationId, String bucket, String bucketOwner,
                      String key, Long size, String eTag, String versionId, long sequence) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON document delivered to targets. */
    public byte[] toJson() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", URLEncoder.encode(key, StandardCharsets.UTF_8));
        if (size != null) object.put("size", size);
        if (eTag != null) object.put("eTag", eTag);
        if (versionId != null) object.put("versionId", versionId);
        object.put("sequencer", "%016X".formatted(sequence));
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        s3.put("bucket", Map.of("name", bucket, "ownerIdentity", Map.of("principalId", bucketOwner),
                "arn", "arn:aws:s3:::" + bucket));
        s3.put("object", object);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", time.toString());
        record.put("eventName", eventName.startsWith("s3:") ? eventName.substring(3) : eventName);
        record.put("userIdentity", Map.of("principalId", principal));
        record.put("requestParameters", Map.of("sourceIPAddress", sourceIp));
        record.put("responseElements", Map.of("x-amz-request-id", requestId));
        record.put("s3", s3);
        try {
            return JSON.writeValueAsBytes(Map.of("Records", List.of(record)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
