package io.ringloop.io.blocking;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.util.Objects;

/** A {@link BlockingSocket}'s output stream: every write sends all its bytes before it returns. */
final class SocketOutputStream extends OutputStream {
    private final BlockingSocket socket;

    SocketOutputStream(BlockingSocket socket) {
        this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        try {
            socket.write(ByteBuffer.wrap(b, off, len));
        } catch (ClosedByInterruptException e) {
            throw SocketInputStream.interrupted(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
