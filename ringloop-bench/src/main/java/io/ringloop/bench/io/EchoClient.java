package io.ringloop.bench.io;

import io.ringloop.bench.measure.Tally;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/**
 * The echo benchmark's client, the same for every server: one blocking TCP connection over loopback
 * ({@code TCP_NODELAY}), one message at a time; each round trip is timed from just before the write until the last
 * byte of the echo has been read. Every message differs (a counter in its first bytes) and every echo is compared
 * with what was sent.
 */
public final class EchoClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] message;
    private final byte[] echo;
    private long sequence;

    /**
     * Connects.
     *
     * @param port the server's port on 127.0.0.1
     * @param messageBytes the message size, at least 8
     * @throws IOException if it cannot connect
     */
    public EchoClient(int port, int messageBytes) throws IOException {
        if (messageBytes < 8) {
            throw new IllegalArgumentException("messages carry an 8-byte counter: at least 8 bytes, was "
                    + messageBytes);
        }
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        message = new byte[messageBytes];
        Arrays.fill(message, (byte) 'x');
        echo = new byte[messageBytes];
    }

    /**
     * One round trip, untimed by the caller.
     *
     * @return nanoseconds from before the write until the echo was read whole
     * @throws IOException if the connection fails, times out (5 s) or the echo differs from the message
     */
    public long roundTrip() throws IOException {
        long s = ++sequence;
        for (int i = 0; i < 8; i++) {
            message[i] = (byte) (s >>> (8 * i));
        }
        long start = System.nanoTime();
        out.write(message);
        int n = in.readNBytes(echo, 0, echo.length);
        long took = System.nanoTime() - start;
        if (n != echo.length) {
            throw new IOException("the server closed the connection after " + n + " of " + echo.length
                    + " bytes of echo " + s);
        }
        if (!Arrays.equals(message, echo)) {
            throw new IOException("echo " + s + " differs from the message sent");
        }
        return took;
    }

    /**
     * Round trips for a while, each recorded.
     *
     * @param nanos how long
     * @param maxSamples stop earlier after this many
     * @param tally where the samples go
     * @return how many round trips were made
     * @throws IOException as {@link #roundTrip()}
     */
    public long measure(long nanos, int maxSamples, Tally tally) throws IOException {
        long end = System.nanoTime() + nanos;
        long n = 0;
        while (n < maxSamples && System.nanoTime() < end) {
            tally.record(roundTrip());
            n++;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
