package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/** One {@code <Contents>} entry of a listing; {@code etag} includes its quotes, owner may be null. */
@JsonPropertyOrder({"Key", "LastModified", "ETag", "Size", "StorageClass", "Owner"})
public record ObjectEntry(@JacksonXmlProperty(localName = "Key") String key,
                          @JacksonXmlProperty(localName = "LastModified") String lastModified,
                          @JacksonXmlProperty(localName = "ETag") String etag,
                          @JacksonXmlProperty(localName = "Size") long size,
                          @JacksonXmlProperty(localName = "StorageClass") String storageClass,
                          @JacksonXmlProperty(localName = "Owner") Owner owner) {
}
