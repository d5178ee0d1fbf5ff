package org.mictlanx.sdk;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Small S3 XML answers, read with the JDK's DOM parser with DOCTYPEs (hence DTDs and external
 * entities) refused. Namespaces are ignored: elements are matched by local name.
 */
final class Xml {

    private Xml() {
    }

    static Element parse(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setXIncludeAware(false);
            f.setNamespaceAware(true);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            Document d = b.parse(new ByteArrayInputStream(body));
            return d.getDocumentElement();
        } catch (Exception e) {
            throw new MictlanXException("malformed XML answer from the server: " + e.getMessage(), e);
        }
    }

    /** The text of the first direct child named {@code name}, or null. */
    static @Nullable String text(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(local(e))) {
                return e.getTextContent();
            }
        }
        return null;
    }

    /**
     * The text of the first direct child named {@code name}, which the answer must have: without it the
     * answer is malformed ({@link MictlanXException}).
     */
    static String requiredText(Element parent, String name) {
        String t = text(parent, name);
        if (t == null) {
            throw new MictlanXException("malformed XML answer from the server: " + local(parent) + " without " + name, null);
        }
        return t;
    }

    /** The direct children named {@code name}, in order. */
    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList all = parent.getChildNodes();
        for (int i = 0; i < all.getLength(); i++) {
            if (all.item(i) instanceof Element e && name.equals(local(e))) {
                out.add(e);
            }
        }
        return out;
    }

    static String local(Element e) {
        return e.getLocalName() == null ? e.getTagName() : e.getLocalName();
    }

    /** The {@code Code} of an {@code <Error>} body, or null when the body is not one. */
    static @Nullable String errorCode(byte[] body) {
        return errorField(body, "Code");
    }

    static @Nullable String errorMessage(byte[] body) {
        return errorField(body, "Message");
    }

    private static @Nullable String errorField(byte[] body, String field) {
        if (body == null || body.length == 0 || body.length > 64 * 1024) {
            return null;
        }
        try {
            Element root = parse(body);
            return "Error".equals(local(root)) ? text(root, field) : null;
        } catch (MictlanXException e) {
            return null;
        }
    }
}
