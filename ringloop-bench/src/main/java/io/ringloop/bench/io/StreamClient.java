package io.ringloop.bench.io;

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
 * Echo streams driven by one thread with a JDK {@link Selector}: every connection keeps up to {@link #WINDOW} bytes
 * of messages on their way to the server and back, sending them in large writes and reading the echo in large reads,
 * so that the client spends little per message and the server, which sees a stream of messages arriving in whatever
 * chunks TCP makes of them, is what is measured.
 *
 * <p>The bytes of a stream follow a pattern with period {@link #PERIOD} (a prime, so it never lines up with a chunk);
 * the first and last byte of every read are checked against it, which catches an echo out of order or from another
 * stream without a pass over every byte.
 */
public final class StreamClient implements AutoCloseable {
    /** Bytes each connection keeps in flight. */
    public static final int WINDOW = 256 << 10;
    /** Bytes per write and per read. */
    private static final int CHUNK = 64 << 10;
    private static final int PERIOD = 251;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** One pattern for every connection, sent from an offset into it. */
    private static final ByteBuffer PATTERN = pattern();

    private static ByteBuffer pattern() {
        ByteBuffer b = ByteBuffer.allocateDirect(CHUNK + PERIOD);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) (i % PERIOD));
        }
        return b.asReadOnlyBuffer();
    }

    private static final class Connection {
        final SocketChannel channel;
        final ByteBuffer out = PATTERN.duplicate();
        final ByteBuffer in = ByteBuffer.allocateDirect(CHUNK);
        final SelectionKey key;
        long sent;
        long received;
        /** Sending stops at the first message boundary after this many bytes. */
        long stopAt = Long.MAX_VALUE;

        Connection(SocketChannel channel, Selector selector) throws IOException {
            this.channel = channel;
            this.key = channel.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE, this);
            out.limit(0);
        }

        void send() throws IOException {
            while (sent - received < WINDOW && sent < stopAt) {
                if (!out.hasRemaining()) {
                    int from = (int) (sent % PERIOD);
                    long room = Math.min(WINDOW - (sent - received), stopAt - sent);
                    out.limit(from + (int) Math.min(CHUNK, room)).position(from);
                }
                int n = channel.write(out);
                if (n == 0) {
                    return;
                }
                sent += n;
            }
        }

        /** @return bytes that came back */
        int receive() throws IOException {
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                throw new IOException("the server closed a stream after " + received + " of " + sent + " bytes");
            }
            if (n > 0 && (in.get(0) != (byte) (received % PERIOD) || in.get(n - 1) != (byte) ((received + n - 1)
                    % PERIOD))) {
                throw new IOException("the echo differs from what was sent, at byte " + received + " of the stream");
            }
            received += n;
            return n;
        }
    }

    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private final int messageBytes;

    /**
     * Connects every connection (blocking connects, then non-blocking I/O).
     *
     * @param port the server's port on 127.0.0.1
     * @param count how many connections
     * @param messageBytes the message size: bytes count as messages in these units, and a run ends on a boundary
     * @throws IOException if a connection fails
     */
    public StreamClient(int port, int count, int messageBytes) throws IOException {
        this.messageBytes = messageBytes;
        selector = Selector.open();
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                ch.configureBlocking(false);
                connections.add(new Connection(ch, selector));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Streams on every connection for a while, then waits for every byte sent to come back.
     *
     * @param nanos how long new bytes are sent
     * @return the messages echoed in this run (bytes / message size; each run ends on a message boundary)
     * @throws IOException if a connection fails, an echo differs, or nothing comes back for 10 s
     */
    public long run(long nanos) throws IOException {
        long end = System.nanoTime() + nanos;
        long startBytes = 0;
        for (Connection c : connections) {
            startBytes += c.received;
            c.stopAt = Long.MAX_VALUE;
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
        boolean stopping = false;
        long lastProgress = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (!stopping && now >= end) {
                stopping = true;
                for (Connection c : connections) {
                    // round up to whole messages: the server echoes what it gets, and nothing is left half-sent
                    c.stopAt = (c.sent + messageBytes - 1) / messageBytes * messageBytes;
                }
            }
            if (stopping && connections.stream().allMatch(c -> c.received == c.stopAt)) {
                break;
            }
            if (selector.select(1000) == 0) {
                if (System.nanoTime() - lastProgress > STALL_NANOS) {
                    throw new IOException("stalled: no echo for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS)
                            + " s");
                }
                continue;
            }
            lastProgress = System.nanoTime();
            for (SelectionKey k : selector.selectedKeys()) {
                Connection c = (Connection) k.attachment();
                if (k.isReadable()) {
                    c.receive();
                }
                c.send();
                boolean wantWrite = c.sent - c.received < WINDOW && c.sent < c.stopAt;
                k.interestOps(SelectionKey.OP_READ | (wantWrite ? SelectionKey.OP_WRITE : 0));
            }
            selector.selectedKeys().clear();
        }
        long bytes = -startBytes;
        for (Connection c : connections) {
            bytes += c.received;
        }
        return bytes / messageBytes;
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
