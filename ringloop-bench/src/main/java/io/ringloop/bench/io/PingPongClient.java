package io.ringloop.bench.io;

import io.ringloop.bench.measure.Tally;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many echo connections driven by one thread with a JDK {@link Selector}: each connection has one message in flight
 * at a time and sends the next as soon as the whole echo is back (ping-pong), so the server always has as many
 * messages to answer as there are connections. Every echo is checked and timed from its write.
 */
public final class PingPongClient implements PingPongDriver {
    /** A connection that answers nothing for this long stalls the run: a lost completion shows as an error. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final class Connection {
        final SocketChannel channel;
        final ByteBuffer message;
        final ByteBuffer echo;
        long sentAt;
        long sequence;

        Connection(SocketChannel channel, int bytes) {
            this.channel = channel;
            this.message = ByteBuffer.allocateDirect(bytes);
            this.echo = ByteBuffer.allocateDirect(bytes);
        }

        void send() throws IOException {
            message.clear();
            message.putLong(0, ++sequence);
            sentAt = System.nanoTime();
            while (message.hasRemaining()) {
                if (channel.write(message) == 0) {
                    // 512 bytes into an empty loopback socket buffer: never seen; spin rather than juggle OP_WRITE
                    Thread.onSpinWait();
                }
            }
            echo.clear();
        }

        /** @return true once the whole echo arrived (and matched) */
        boolean receive() throws IOException {
            if (channel.read(echo) < 0) {
                throw new IOException("the server closed a connection after " + echo.position() + " of "
                        + echo.capacity() + " bytes of echo " + sequence);
            }
            if (echo.hasRemaining()) {
                return false;
            }
            if (echo.flip().mismatch(message.clear()) != -1) {
                throw new IOException("echo " + sequence + " differs from the message sent");
            }
            return true;
        }
    }

    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();

    /**
     * Connects every connection (blocking connects, then non-blocking I/O).
     *
     * @param port the server's port on 127.0.0.1
     * @param count how many connections
     * @param messageBytes the message size, at least 8
     * @throws IOException if a connection fails
     */
    public PingPongClient(int port, int count, int messageBytes) throws IOException {
        if (messageBytes < 8) {
            throw new IllegalArgumentException("messages carry an 8-byte counter: at least 8 bytes, was "
                    + messageBytes);
        }
        selector = Selector.open();
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel ch = SocketChannel.open();
                Connection c = new Connection(ch, messageBytes);
                connections.add(c);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, c);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Ping-pong on every connection for a while; each echo's round trip goes into the tally.
     *
     * @param nanos how long new messages are sent; the run ends when the last echo is back
     * @param tally where round trips go
     * @return the echoes received
     * @throws IOException if a connection fails, an echo differs, or no echo comes for 10 s
     */
    @Override
    public long run(long nanos, Tally tally) throws IOException {
        long end = System.nanoTime() + nanos;
        for (Connection c : connections) {
            c.send();
        }
        int outstanding = connections.size();
        long echoes = 0;
        long lastProgress = System.nanoTime();
        while (outstanding > 0) {
            if (selector.select(1000) == 0) {
                if (System.nanoTime() - lastProgress > STALL_NANOS) {
                    throw new IOException("stalled: " + outstanding + " of " + connections.size()
                            + " connections got no echo for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s");
                }
                continue;
            }
            long now = System.nanoTime();
            lastProgress = now;
            for (SelectionKey k : selector.selectedKeys()) {
                Connection c = (Connection) k.attachment();
                if (!c.receive()) {
                    continue;
                }
                tally.record(now - c.sentAt);
                echoes++;
                if (now < end) {
                    c.send();
                } else {
                    outstanding--;
                }
            }
            selector.selectedKeys().clear();
        }
        return echoes;
    }

    @Override
    public String describe() {
        return "one JDK Selector thread in the harness";
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Connection c : connections) {
            try {
                c.channel.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        selector.close();
        if (first != null) {
            throw first;
        }
    }
}
