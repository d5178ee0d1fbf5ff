package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * PutBucketVersioning request body and GetBucketVersioning response: {@code Status} is
 * {@code Enabled} or {@code Suspended} (absent for a bucket that was never versioned);
 * {@code MfaDelete} is {@code Enabled} or {@code Disabled} (absent in answers: MFA delete is not built).
 */
@JacksonXmlRootElement(localName = "VersioningConfiguration")
@JsonPropertyOrder({"xmlns", "Status", "MfaDelete"})
public record VersioningConfiguration(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                      @JacksonXmlProperty(localName = "Status") String status,
                                      @JacksonXmlProperty(localName = "MfaDelete") String mfaDelete) {
}
