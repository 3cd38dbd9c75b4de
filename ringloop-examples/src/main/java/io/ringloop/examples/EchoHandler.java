package io.ringloop.examples;

import io.ringloop.io.AsyncSocket;
import io.ringloop.io.IoHandler;
import io.ringloop.io.ReceiveHandler;
import io.ringloop.io.RingIoException;

import java.lang.foreign.MemorySegment;

/**
 * Echo, the per-connection logic of a TCP echo server: every arrival is written back in order, and when the peer's
 * side ends, the connection is shut down after the last echo and closed. Use it as
 * {@code server.accept(s -> s.receive(EchoHandler.INSTANCE))}.
 *
 * <p>The bytes are sent from the provided buffer they arrived in, without a copy
 * ({@link AsyncSocket#writeAllReceived}): the buffer stays out of the kernel's pool until the write has ended. A
 * socket's writes leave in the order they were called, so the peer reads back exactly what it sent; writes that queue
 * behind each other leave together in one {@code sendmsg}. The handler keeps no state: one instance serves every
 * connection of every loop, and the callback form of the write allocates nothing per arrival.
 */
public final class EchoHandler implements ReceiveHandler {
    /** The one instance. */
    public static final EchoHandler INSTANCE = new EchoHandler();

    /** A failed echo needs nothing here: the socket is closing or broken, its receive ends too, and onEnd closes it. */
    private static final IoHandler<Object> IGNORE = new IoHandler<>() {
        @Override
        public void completed(long result, Object attachment) {
        }

        @Override
        public void failed(RingIoException error, Object attachment) {
        }
    };

    private EchoHandler() {
    }

    @Override
    public void onData(AsyncSocket socket, MemorySegment data) {
        socket.writeAllReceived(data, null, IGNORE);
    }

    /**
     * The peer finished sending: the echo of everything it sent goes first, then end of stream (the shutdown follows
     * the writes called before it), then the close. An error (a reset, a close) closes at once.
     */
    @Override
    public void onEnd(AsyncSocket socket, RingIoException error) {
        if (error != null) {
            socket.close();
            return;
        }
        socket.shutdownOutput().whenComplete((v, t) -> socket.close());
    }
}
