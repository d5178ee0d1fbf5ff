package org.mictlanx.s3.xml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;

import org.mictlanx.s3.S3ErrorCode;
import org.mictlanx.s3.S3Exception;

/**
 * The one XML codec of the front door. Reading never resolves DTDs or entities: a document with a
 * DOCTYPE is rejected outright, and the StAX factory has DTD support and external entities off, so
 * XXE and entity-expansion ("billion laughs") bodies fail as MalformedXML. A document whose root
 * element is not the one the operation expects (e.g. {@code <Evil>} for DeleteObjects, whose root is
 * {@code <Delete>}) is MalformedXML too, as S3 answers. Callers bound the body size before calling
 * {@link #read}.
 */
public final class S3Xml {

    /** The S3 response namespace. */
    public static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final XmlMapper mapper;
    private final XMLInputFactory input;

    public S3Xml() {
        XMLInputFactory in = XMLInputFactory.newFactory();
        in.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        in.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        in.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        this.input = in;
        XmlFactory factory = XmlFactory.builder()
                .xmlInputFactory(in)
                .xmlOutputFactory(XMLOutputFactory.newFactory())
                .build();
        this.mapper = XmlMapper.builder(factory)
                .enable(ToXmlGenerator.Feature.WRITE_XML_DECLARATION)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }

    /** Parses a request body; any malformed, hostile or mistyped document is MalformedXML. */
    public <T> T read(byte[] body, Class<T> type) {
        String head = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.ISO_8859_1)
                .toUpperCase(Locale.ROOT);
        if (head.contains("<!DOCTYPE") || head.contains("<!ENTITY")) {
            throw malformed();
        }
        if (!rootElement(body).equals(rootName(type))) {
            throw malformed();
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw malformed();
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof S3Exception s3) {
                throw s3;
            }
            throw malformed();
        }
    }

    /** The local name of the document's first element; MalformedXML when there is none. */
    private String rootElement(byte[] body) {
        try {
            javax.xml.stream.XMLStreamReader reader = input.createXMLStreamReader(new java.io.ByteArrayInputStream(body));
            try {
                while (reader.hasNext()) {
                    if (reader.next() == javax.xml.stream.XMLStreamConstants.START_ELEMENT) {
                        return reader.getLocalName();
                    }
                }
            } finally {
                reader.close();
            }
        } catch (javax.xml.stream.XMLStreamException | RuntimeException e) {
            throw malformed();
        }
        throw malformed();
    }

    /** The root element a request type is read from: its {@code @JacksonXmlRootElement} name, else its simple name. */
    private static String rootName(Class<?> type) {
        com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement root =
                type.getAnnotation(com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement.class);
        return root == null || root.localName().isEmpty() ? type.getSimpleName() : root.localName();
    }

    /**
     * Serializes a response record as UTF-8 with an XML declaration. A ListObjectsV2 page whose text
     * needs no escaping is rendered by {@link ListingXmlWriter}, byte for byte as the mapper would.
     */
    public byte[] write(Object value) {
        if (value instanceof ListBucketResultV2 listing) {
            byte[] fast = ListingXmlWriter.write(listing); // the same bytes, without data binding (issue 21)
            if (fast != null) {
                return fast;
            }
        }
        return jackson(value);
    }

    /** The mapper's rendering of {@code value} (what {@link #write} answers, however it gets there). */
    byte[] jackson(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    private static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_XML);
    }
}
