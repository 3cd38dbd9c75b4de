package io.ringloop.io;

import java.lang.foreign.MemorySegment;

/**
 * Receives a socket's bytes as they arrive, from a multishot receive into the loop's provided buffers
 * ({@link AsyncSocket#receive}). Called on the loop thread.
 */
public interface ReceiveHandler {
    /**
     * Bytes arrived.
     *
     * @param socket the socket
     * @param data the bytes; valid only during this call (the buffer goes back to the kernel afterwards): copy what
     *     must outlive it
     */
    void onData(AsyncSocket socket, MemorySegment data);

    /**
     * Receiving ended: the peer closed its side (error null), or an error, a {@link AsyncSocket#stopReceiving stop}
     * or close ended it.
     *
     * @param socket the socket
     * @param error null at end of stream; otherwise why
     */
    void onEnd(AsyncSocket socket, RingIoException error);
}
