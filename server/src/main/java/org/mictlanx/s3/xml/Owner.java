package org.mictlanx.s3.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/** An owner as S3 shows it: {@code <ID>} and {@code <DisplayName>}. */
@JsonPropertyOrder({"ID", "DisplayName"})
public record Owner(@JacksonXmlProperty(localName = "ID") String id,
                    @JacksonXmlProperty(localName = "DisplayName") String displayName) {

    /** The owner of an owner id (user name, {@code root}, or the anonymous owner): its stable canonical user id, the name as display name. */
    public static Owner of(String ownerId) {
        return new Owner(org.mictlanx.xolo.policy.Caller.canonicalId(ownerId), org.mictlanx.xolo.policy.Caller.displayName(ownerId));
    }
}
