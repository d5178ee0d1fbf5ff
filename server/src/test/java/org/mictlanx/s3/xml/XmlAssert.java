package org.mictlanx.s3.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Compares XML documents as trees: element names, namespaces, order and trimmed text; whitespace between elements ignored. */
final class XmlAssert {

    private XmlAssert() {
    }

    static byte[] golden(String name) throws IOException {
        try (InputStream in = XmlAssert.class.getResourceAsStream("/s3/golden/" + name)) {
            if (in == null) {
                throw new IOException("missing golden file " + name);
            }
            return in.readAllBytes();
        }
    }

    static void assertSameXml(byte[] expected, byte[] actual) {
        assertEquals(render(parse(expected)), render(parse(actual)), () -> "actual: " + new String(actual));
    }

    private static Element parse(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("not XML: " + new String(xml), e);
        }
    }

    /** A canonical one-line form: {ns}Name[text](children...). */
    private static String render(Element e) {
        StringBuilder sb = new StringBuilder();
        sb.append('{').append(e.getNamespaceURI() == null ? "" : e.getNamespaceURI()).append('}')
                .append(e.getLocalName());
        List<Element> children = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                children.add(c);
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(n.getNodeValue());
            }
        }
        if (children.isEmpty()) {
            sb.append('[').append(text.toString().trim()).append(']');
        } else {
            sb.append('(');
            for (Element c : children) {
                sb.append(render(c)).append(';');
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
