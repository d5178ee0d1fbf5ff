package org.mictlanx.compat.sdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a real router, for fault injection only: the first
 * {@code failFirst} connections each get one {@code 503 SlowDown} answer (after their request body
 * is read) and are closed; later connections are piped byte for byte. {@link #close()} stops it
 * abruptly, cutting connections in flight, like a router process dying.
 */
final class FaultProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicInteger failuresLeft;
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean corrupt;
    private volatile String dropMarker;
    private final AtomicInteger dropsLeft = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile long cutAfter = -1;
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private final AtomicInteger cut = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    FaultProxy(int targetPort, int failFirst) throws IOException {
        this.targetPort = targetPort;
        this.failuresLeft = new AtomicInteger(failFirst);
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Requests answered with an injected 503. */
    int injected() {
        return failed.get();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                accepted.incrementAndGet();
                Thread.ofVirtual().start(() -> handle(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try {
            if (failuresLeft.getAndDecrement() > 0) {
                fail(client);
                return;
            }
            Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(server);
            Thread.ofVirtual().start(() -> answers(server, client));
            pipe(client, server);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void fail(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        byte[] body = "<Error><Code>SlowDown</Code><Message>injected</Message></Error>".getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        failed.incrementAndGet();
        client.close();
    }

    /**
     * From now on, each connection gets the byte 64 KiB after this point of its answer stream flipped
     * (a bit rot in a body: for a new connection byte 65536, for an idle kept-alive one 64 KiB into the
     * next answer).
     */
    void corruptAnswers() {
        corrupt = true;
    }

    /**
     * From now on, an answer to CompleteMultipartUpload is swallowed and the client connection cut:
     * the server has committed the ball, the client never hears it.
     */
    void dropCompleteAnswers() {
        dropAnswers("CompleteMultipartUploadResult", Integer.MAX_VALUE);
    }

    /**
     * From now on, the next {@code times} answers containing {@code marker} are swallowed and their
     * client connections cut: the server did the work, the client never hears it.
     */
    void dropAnswers(String marker, int times) {
        dropsLeft.set(times);
        dropMarker = marker;
    }

    /**
     * From now on, the next {@code times} connections whose answer stream passes {@code bytes} bytes
     * are cut right there (a router dying, or a connection lost, in the middle of a body).
     */
    void cutAnswersAfter(long bytes, int times) {
        cutsLeft.set(times);
        cutAfter = bytes;
    }

    /** Connections cut by {@link #cutAnswersAfter}. */
    int cut() {
        return cut.get();
    }

    /** Bytes sent back to clients so far (headers and bodies). */
    long answeredBytes() {
        return answered.get();
    }

    /** Answers swallowed by {@link #dropAnswers}. */
    int dropped() {
        return dropped.get();
    }

    /** Server to client, applying the fault modes as they are when each block passes. */
    private void answers(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[8192];
            long pos = 0;
            long flipAt = -1;
            boolean cutChecked = false;
            for (int n; (n = in.read(buf)) > 0; ) {
                long cutAt = cutAfter;
                if (!cutChecked && cutAt >= 0 && pos + n > cutAt) {
                    cutChecked = true;
                    if (cutsLeft.getAndDecrement() > 0) {
                        out.write(buf, 0, (int) Math.max(0, cutAt - pos));
                        out.flush();
                        cut.incrementAndGet();
                        return;
                    }
                }
                String marker = dropMarker;
                if (marker != null && new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains(marker)
                        && dropsLeft.getAndDecrement() > 0) {
                    dropped.incrementAndGet();
                    return;
                }
                if (corrupt && flipAt < 0) {
                    flipAt = pos + 65536;
                }
                if (flipAt >= pos && flipAt < pos + n) {
                    buf[(int) (flipAt - pos)] ^= 0x01;
                }
                pos += n;
                answered.addAndGet(n);
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // the other side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ignored) {
            // the other side closed, or the proxy was stopped
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
