package org.mictlanx.server;

import java.util.Locale;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Jetty's HTTP/1.1 connection factory with one change: an {@code Expect} header other than
 * {@code 100-continue} reaches the S3 front door as an ordinary header, which answers it with S3's
 * {@code ExpectationFailed} (417) XML error. Jetty 12.0 would raise its own 417 and then fail on its
 * own state and close the connection without any answer (an NPE on "onRequest"), which clients see
 * as a reset. {@code Expect: 100-continue} is left to Jetty, which sends {@code 100 Continue} when
 * the front door first reads the body, that is, only after the request was authenticated,
 * authorized and its bucket found.
 */
final class S3HttpConnectionFactory extends HttpConnectionFactory {

    S3HttpConnectionFactory(HttpConfiguration config) {
        super(config);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new HttpConnection(getHttpConfiguration(), connector, endPoint) {
            @Override
            protected HttpStreamOverHTTP1 newHttpStream(String method, String uri, HttpVersion version) {
                return new HttpStreamOverHTTP1(method, uri, version) {
                    @Override
                    public void parsedHeader(HttpField field) {
                        super.parsedHeader(field.getHeader() == HttpHeader.EXPECT && !isContinue(field.getValue())
                                ? new HttpField((HttpHeader) null, field.getName(), field.getValue()) : field);
                    }
                };
            }
        };
        connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
        connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
        return configure(connection, connector, endPoint);
    }

    private static boolean isContinue(String value) {
        return value != null && value.strip().toLowerCase(Locale.ROOT).equals("100-continue");
    }
}
