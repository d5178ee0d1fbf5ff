package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/**
 * The base64 checksum elements S3 puts in results ({@code ChecksumCRC32} .. {@code ChecksumSHA256});
 * absent ones are null and omitted. Embedded with {@code @JsonUnwrapped} in the result records.
 * A COMPOSITE multipart checksum carries its {@code -N} suffix in the value.
 */
@JsonPropertyOrder({"ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumSHA1", "ChecksumSHA256"})
public record ChecksumValues(@JacksonXmlProperty(localName = "ChecksumCRC32") String crc32,
                             @JacksonXmlProperty(localName = "ChecksumCRC32C") String crc32c,
                             @JacksonXmlProperty(localName = "ChecksumCRC64NVME") String crc64nvme,
                             @JacksonXmlProperty(localName = "ChecksumSHA1") String sha1,
                             @JacksonXmlProperty(localName = "ChecksumSHA256") String sha256) {

    public static final ChecksumValues NONE = new ChecksumValues(null, null, null, null, null);
}
