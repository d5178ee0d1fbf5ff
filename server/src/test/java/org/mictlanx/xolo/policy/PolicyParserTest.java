package org.mictlanx.xolo.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Policies are validated on write with S3's MalformedPolicy messages. */
class PolicyParserTest {

    private final PolicyParser parser = new PolicyParser();

    private String refusal(String json) {
        return assertThrows(PolicyException.class, () -> parser.parse(json.getBytes(StandardCharsets.UTF_8),
                new PolicyParser.Kind.Bucket("b"))).getMessage();
    }

    private static String statement(String body) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{" + body + "}]}";
    }

    @Test
    void refusalsCarryS3Messages() {
        assertEquals("Policies must be valid JSON and the first byte must be '{'", refusal("[1]"));
        assertEquals("This policy contains invalid Json", refusal("{\"Version\":"));
        assertEquals("Missing required field Statement", refusal("{\"Version\":\"2012-10-17\"}"));
        assertEquals("Unknown field Effects", refusal(statement("\"Effects\":\"Allow\"")));
        assertEquals("Invalid effect: Permit", refusal(statement(
                "\"Effect\":\"Permit\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"")));
        assertEquals("Missing required field Principal", refusal(statement(
                "\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"")));
        assertEquals("Invalid principal in policy", refusal(statement(
                "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"alice\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"")));
        assertEquals("Policy has invalid action", refusal(statement(
                "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObjects\",\"Resource\":\"arn:aws:s3:::b/*\"")));
        assertEquals("Policy has invalid action", refusal(statement(
                "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ec2:RunInstances\",\"Resource\":\"arn:aws:s3:::b/*\"")));
        assertEquals("Policy has invalid resource", refusal(statement(
                "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::other/*\"")));
        assertEquals("Action does not apply to any resource(s) in statement", refusal(statement(
                "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b\"")));
        assertEquals("Action does not apply to any resource(s) in statement", refusal(statement(
                "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b/x/*\"")));
        assertEquals("Invalid Condition type : StringEqualz", refusal(statement(
                "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\","
                        + "\"Condition\":{\"StringEqualz\":{\"aws:username\":\"a\"}}")));
        assertEquals("Policy has an invalid condition key", refusal(statement(
                "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\","
                        + "\"Condition\":{\"StringEquals\":{\"s3:nosuchkey\":\"a\"}}")));
        assertEquals("Invalid Condition value: ten for NumericLessThanEquals", refusal(statement(
                "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b\","
                        + "\"Condition\":{\"NumericLessThanEquals\":{\"s3:max-keys\":\"ten\"}}")));
        assertEquals("Policy document should not specify a principal.", assertThrows(PolicyException.class,
                () -> parser.parse(statement("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"")
                        .getBytes(StandardCharsets.UTF_8), new PolicyParser.Kind.Identity())).getMessage());
    }

    @Test
    void acceptsTheDocumentedForms() {
        Policy p = parser.parse(("{\"Version\":\"2012-10-17\",\"Id\":\"x\",\"Statement\":{\"Sid\":\"one\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":[\"*\"]},\"Action\":\"s3:Get*\",\"Resource\":[\"arn:aws:s3:::b/*\",\"arn:aws:s3:::b\"],"
                + "\"Condition\":{\"ForAnyValue:StringLike\":{\"s3:prefix\":[\"home/*\"]},\"IpAddressIfExists\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}}")
                .getBytes(StandardCharsets.UTF_8), new PolicyParser.Kind.Bucket("b"));
        assertEquals(1, p.statements().size());
        assertEquals(2, p.statements().get(0).conditions().size());
    }
}
