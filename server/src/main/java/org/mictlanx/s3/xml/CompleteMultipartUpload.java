package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CompleteMultipartUpload request body: the parts in the order the client wants them. */
@JacksonXmlRootElement(localName = "CompleteMultipartUpload")
public record CompleteMultipartUpload(@JacksonXmlElementWrapper(useWrapping = false)
                                      @JacksonXmlProperty(localName = "Part") List<Part> parts) {

    /** One part: its number, its ETag (quoted or not) and optionally the checksums the client computed. */
    public record Part(@JacksonXmlProperty(localName = "PartNumber") Integer partNumber,
                       @JacksonXmlProperty(localName = "ETag") String etag,
                       @JacksonXmlProperty(localName = "ChecksumCRC32") String crc32,
                       @JacksonXmlProperty(localName = "ChecksumCRC32C") String crc32c,
                       @JacksonXmlProperty(localName = "ChecksumCRC64NVME") String crc64nvme,
                       @JacksonXmlProperty(localName = "ChecksumSHA1") String sha1,
                       @JacksonXmlProperty(localName = "ChecksumSHA256") String sha256) {
    }
}
