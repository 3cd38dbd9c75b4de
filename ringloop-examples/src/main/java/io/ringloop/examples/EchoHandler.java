package io.ringloop.examples;

import io.ringloop.io.AsyncSocket;
import io.ringloop.io.ReceiveHandler;
import io.ringloop.io.RingIoException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Echo, the per-connection logic of a TCP echo server: every arrival is written back in order, and the connection is
 * closed when the peer's side ends. Use it as {@code server.accept(s -> s.receive(EchoHandler.INSTANCE))}.
 *
 * <p>The bytes are copied out of the provided buffer, which goes back to the kernel when {@link #onData} returns,
 * into memory the write keeps alive until its completion. A socket's writes leave in the order they were called, so
 * the peer reads back exactly what it sent. The handler keeps no state: one instance serves every connection of
 * every loop.
 */
public final class EchoHandler implements ReceiveHandler {
    /** The one instance. */
    public static final EchoHandler INSTANCE = new EchoHandler();

    private EchoHandler() {
    }

    @Override
    public void onData(AsyncSocket socket, MemorySegment data) {
        MemorySegment copy = Arena.ofAuto().allocate(data.byteSize());
        MemorySegment.copy(data, 0, copy, 0, data.byteSize());
        socket.writeAll(copy);
    }

    @Override
    public void onEnd(AsyncSocket socket, RingIoException error) {
        socket.close();
    }
}
