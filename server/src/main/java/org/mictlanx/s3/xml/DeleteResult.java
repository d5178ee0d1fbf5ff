package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** DeleteObjects response: one {@code Deleted} per removed key (none in quiet mode), one {@code Error} per failure. */
@JacksonXmlRootElement(localName = "DeleteResult")
@JsonPropertyOrder({"xmlns", "Deleted", "Error"})
public record DeleteResult(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                           @JacksonXmlElementWrapper(useWrapping = false)
                           @JacksonXmlProperty(localName = "Deleted") List<Deleted> deleted,
                           @JacksonXmlElementWrapper(useWrapping = false)
                           @JacksonXmlProperty(localName = "Error") List<DeleteError> errors) {

    /** A removed version or an added delete marker; the marker fields are null when not about a marker. */
    @JsonPropertyOrder({"Key", "VersionId", "DeleteMarker", "DeleteMarkerVersionId"})
    public record Deleted(@JacksonXmlProperty(localName = "Key") String key,
                          @JacksonXmlProperty(localName = "VersionId") String versionId,
                          @JacksonXmlProperty(localName = "DeleteMarker") Boolean deleteMarker,
                          @JacksonXmlProperty(localName = "DeleteMarkerVersionId") String deleteMarkerVersionId) {

        public Deleted(String key, String versionId) {
            this(key, versionId, null, null);
        }
    }

    @JsonPropertyOrder({"Key", "VersionId", "Code", "Message"})
    public record DeleteError(@JacksonXmlProperty(localName = "Key") String key,
                              @JacksonXmlProperty(localName = "VersionId") String versionId,
                              @JacksonXmlProperty(localName = "Code") String code,
                              @JacksonXmlProperty(localName = "Message") String message) {
    }
}
