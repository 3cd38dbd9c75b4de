package io.ringloop.io.blocking;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.util.Objects;

/** A {@link BlockingSocket}'s input stream: its reads, with an interrupt reported as streams report one. */
final class SocketInputStream extends InputStream {
    private final BlockingSocket socket;

    SocketInputStream(BlockingSocket socket) {
        this.socket = socket;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        try {
            return socket.read(ByteBuffer.wrap(b, off, len));
        } catch (ClosedByInterruptException e) {
            throw interrupted(e);
        }
    }

    /** The bytes a read would return without blocking, as a {@link java.net.Socket}'s stream answers. */
    @Override
    public int available() throws IOException {
        return socket.available();
    }

    @Override
    public void close() {
        socket.close();
    }

    static InterruptedIOException interrupted(ClosedByInterruptException e) {
        InterruptedIOException x = new InterruptedIOException("interrupted: the socket is closed");
        x.initCause(e);
        return x;
    }
}
