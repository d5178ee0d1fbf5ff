package org.mictlanx.s3.xml;

import java.util.List;

import java.io.IOException;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.util.NameTransformer;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * ListObjectVersions response; null fields are omitted. Versions and delete markers are one sequence
 * ({@link Entries}) rendered in the order given, so they interleave as S3 lists them (key ascending,
 * each key's versions and markers newest first).
 */
@JacksonXmlRootElement(localName = "ListVersionsResult")
@JsonPropertyOrder({"xmlns", "Name", "Prefix", "KeyMarker", "VersionIdMarker", "NextKeyMarker",
        "NextVersionIdMarker", "MaxKeys", "Delimiter", "IsTruncated", "Entries", "CommonPrefixes",
        "EncodingType"})
public record ListVersionsResult(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                 @JacksonXmlProperty(localName = "Name") String name,
                                 @JacksonXmlProperty(localName = "Prefix") String prefix,
                                 @JacksonXmlProperty(localName = "KeyMarker") String keyMarker,
                                 @JacksonXmlProperty(localName = "VersionIdMarker") String versionIdMarker,
                                 @JacksonXmlProperty(localName = "NextKeyMarker") String nextKeyMarker,
                                 @JacksonXmlProperty(localName = "NextVersionIdMarker") String nextVersionIdMarker,
                                 @JacksonXmlProperty(localName = "MaxKeys") int maxKeys,
                                 @JacksonXmlProperty(localName = "Delimiter") String delimiter,
                                 @JacksonXmlProperty(localName = "IsTruncated") boolean isTruncated,
                                 @JsonUnwrapped @JsonProperty("Entries") Entries entries,
                                 @JacksonXmlElementWrapper(useWrapping = false)
                                 @JacksonXmlProperty(localName = "CommonPrefixes") List<CommonPrefix> commonPrefixes,
                                 @JacksonXmlProperty(localName = "EncodingType") String encodingType) {

    /** One version; while versioning is off the id is the literal {@code null} and it is the latest. */
    @JsonPropertyOrder({"Key", "VersionId", "IsLatest", "LastModified", "ETag", "Size", "StorageClass", "Owner"})
    public record Version(@JacksonXmlProperty(localName = "Key") String key,
                          @JacksonXmlProperty(localName = "VersionId") String versionId,
                          @JacksonXmlProperty(localName = "IsLatest") boolean isLatest,
                          @JacksonXmlProperty(localName = "LastModified") String lastModified,
                          @JacksonXmlProperty(localName = "ETag") String etag,
                          @JacksonXmlProperty(localName = "Size") long size,
                          @JacksonXmlProperty(localName = "StorageClass") String storageClass,
                          @JacksonXmlProperty(localName = "Owner") Owner owner) implements Entry {
    }

    /** One delete marker. */
    @JsonPropertyOrder({"Key", "VersionId", "IsLatest", "LastModified", "Owner"})
    public record DeleteMarker(@JacksonXmlProperty(localName = "Key") String key,
                               @JacksonXmlProperty(localName = "VersionId") String versionId,
                               @JacksonXmlProperty(localName = "IsLatest") boolean isLatest,
                               @JacksonXmlProperty(localName = "LastModified") String lastModified,
                               @JacksonXmlProperty(localName = "Owner") Owner owner) implements Entry {
    }

    /** A listed version or delete marker. */
    public sealed interface Entry permits Version, DeleteMarker {
    }

    /**
     * Versions and delete markers in listing order, each rendered as a {@code <Version>} or
     * {@code <DeleteMarker>} element directly inside the result (no wrapper).
     */
    @JsonSerialize(using = EntriesSerializer.class)
    public record Entries(List<Entry> items) {
        public Entries {
            items = List.copyOf(items);
        }
    }

    /** Writes {@link Entries} unwrapped: one element per entry, named by its kind. */
    static final class EntriesSerializer extends JsonSerializer<Entries> {
        @Override
        public void serialize(Entries value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            for (Entry e : value.items()) {
                gen.writeFieldName(e instanceof Version ? "Version" : "DeleteMarker");
                provider.defaultSerializeValue(e, gen);
            }
        }

        @Override
        public boolean isUnwrappingSerializer() {
            return true;
        }

        @Override
        public JsonSerializer<Entries> unwrappingSerializer(NameTransformer unwrapper) {
            return this;
        }
    }
}
