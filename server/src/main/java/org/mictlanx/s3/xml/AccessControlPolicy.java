package org.mictlanx.s3.xml;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The GetBucketAcl / GetObjectAcl response and the PutBucketAcl / PutObjectAcl request body. A
 * grantee's kind is its {@code xsi:type} attribute: {@code CanonicalUser} (with {@code ID}),
 * {@code Group} (with {@code URI}) or {@code AmazonCustomerByEmail} (with {@code EmailAddress}).
 */
@JacksonXmlRootElement(localName = "AccessControlPolicy")
@JsonPropertyOrder({"xmlns", "Owner", "AccessControlList"})
public record AccessControlPolicy(@JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
                                  @JacksonXmlProperty(localName = "Owner") Owner owner,
                                  @JacksonXmlProperty(localName = "AccessControlList") AccessControlList acl) {

    /** The grants in document order; null or empty for an empty list. */
    public record AccessControlList(@JacksonXmlElementWrapper(useWrapping = false)
                                    @JacksonXmlProperty(localName = "Grant") List<Grant> grants) {
    }

    /** The grants of a request, never null. */
    public List<Grant> grantList() {
        return acl == null || acl.grants() == null ? List.of() : acl.grants();
    }

    @JsonPropertyOrder({"Grantee", "Permission"})
    public record Grant(@JacksonXmlProperty(localName = "Grantee") Grantee grantee,
                        @JacksonXmlProperty(localName = "Permission") String permission) {
    }

    @JsonPropertyOrder({"xmlnsXsi", "type", "ID", "DisplayName", "URI", "EmailAddress"})
    public record Grantee(@JacksonXmlProperty(isAttribute = true, localName = "xmlns:xsi") String xmlnsXsi,
                          @JsonAlias("type") @JacksonXmlProperty(isAttribute = true, localName = "xsi:type") String type,
                          @JacksonXmlProperty(localName = "ID") String id,
                          @JacksonXmlProperty(localName = "DisplayName") String displayName,
                          @JacksonXmlProperty(localName = "URI") String uri,
                          @JacksonXmlProperty(localName = "EmailAddress") String emailAddress) {

        public static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

        public static Grantee user(String id, String displayName) {
            return new Grantee(XSI, "CanonicalUser", id, displayName, null, null);
        }

        public static Grantee group(String uri) {
            return new Grantee(XSI, "Group", null, null, uri, null);
        }
    }
}
