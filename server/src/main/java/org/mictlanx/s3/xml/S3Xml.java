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
 * XXE and entity-expansion ("billion laughs") bodies fail as MalformedXML. Callers bound the body
 * size before calling {@link #read}.
 */
public final class S3Xml {

    /** The S3 response namespace. */
    public static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final XmlMapper mapper;

    public S3Xml() {
        XMLInputFactory in = XMLInputFactory.newFactory();
        in.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        in.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        in.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
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

    /** Serializes a response record as UTF-8 with an XML declaration. */
    public byte[] write(Object value) {
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
