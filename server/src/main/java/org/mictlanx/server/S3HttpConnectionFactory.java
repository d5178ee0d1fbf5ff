package org.mictlanx.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import java.util.Locale;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 connections with a request-head deadline: once the first byte of a request arrives, its
 * whole head (request line and headers) must arrive within {@code deadline}, or the connection is
 * closed without an answer. Jetty's idle timeout alone cannot do this, since a client dripping one
 * byte at a time never lets the connection go idle.
 *
 * <p>Each connection carries one timer while it is open: at each expiry it looks at the parser; while
 * the parser waits for a new request (idle keep-alive, governed by the idle timeout) or a request is
 * past its head (body and handling, governed by the idle timeout), the timer is simply re-armed; while
 * a head is in progress it closes the connection once {@code deadline} has passed since the head's
 * first byte, else re-arms for the rest.
 *
 * <p>Second change from Jetty's factory: an {@code Expect} header other than {@code 100-continue}
 * reaches the S3 front door as an ordinary header, which answers it with S3's {@code ExpectationFailed}
 * (417) XML error. Jetty 12.0 would raise its own 417 and then fail on its own state and close the
 * connection without any answer (an NPE on "onRequest"), which clients see as a reset.
 * {@code Expect: 100-continue} is left to Jetty, which sends {@code 100 Continue} when the front door
 * first reads the body, that is, only after the request was authenticated, authorized and its bucket
 * found. Both rely on Jetty's internal {@code HttpConnection}: review them on a Jetty upgrade.
 */
final class S3HttpConnectionFactory extends HttpConnectionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(S3HttpConnectionFactory.class);

    private final long deadlineNanos;

    S3HttpConnectionFactory(HttpConfiguration config, Duration deadline) {
        super(config);
        if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("the header deadline must be positive");
        this.deadlineNanos = deadline.toNanos();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        DeadlineConnection connection = new DeadlineConnection(getHttpConfiguration(), connector, endPoint,
                isRecordHttpComplianceViolations(), connector.getScheduler(), deadlineNanos);
        connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
        connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
        return configure(connection, connector, endPoint);
    }

    private static final class DeadlineConnection extends HttpConnection {

        private final Scheduler scheduler;
        private final long deadlineNanos;
        private Scheduler.Task timer;
        private boolean closed;

        DeadlineConnection(HttpConfiguration config, Connector connector, EndPoint endPoint, boolean recordViolations,
                           Scheduler scheduler, long deadlineNanos) {
            super(config, connector, endPoint, recordViolations);
            this.scheduler = scheduler;
            this.deadlineNanos = deadlineNanos;
        }

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

        private static boolean isContinue(String value) {
            return value != null && value.strip().toLowerCase(Locale.ROOT).equals("100-continue");
        }

        @Override
        public void onOpen() {
            super.onOpen();
            arm(deadlineNanos);
        }

        @Override
        public void onClose(Throwable cause) {
            synchronized (this) {
                closed = true;
                if (timer != null) timer.cancel();
                timer = null;
            }
            super.onClose(cause);
        }

        private synchronized void arm(long nanos) {
            if (!closed) timer = scheduler.schedule(this::check, Math.max(nanos, 1_000_000L), TimeUnit.NANOSECONDS);
        }

        private void check() {
            HttpParser parser = getParser();
            HttpParser.State state = parser.getState(); // volatile: read before the head's start time
            boolean inHead = state != HttpParser.State.START && state.ordinal() < HttpParser.State.CONTENT.ordinal();
            if (!inHead) {
                arm(deadlineNanos);
                return;
            }
            long elapsed = NanoTime.since(parser.getBeginNanoTime());
            if (elapsed < deadlineNanos) {
                arm(deadlineNanos - elapsed);
                return;
            }
            LOG.debug("closing {}: request head not complete within {} ms", getEndPoint().getRemoteSocketAddress(),
                    TimeUnit.NANOSECONDS.toMillis(deadlineNanos));
            getEndPoint().close();
        }
    }
}
