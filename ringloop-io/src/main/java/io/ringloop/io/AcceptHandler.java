package io.ringloop.io;

/** Takes the connections a server accepts with a multishot accept ({@link AsyncServerSocket#accept(AcceptHandler)}). */
public interface AcceptHandler {
    /**
     * A connection was accepted; the socket belongs to the server's loop. Called on the loop thread.
     *
     * @param socket the new connection
     */
    void onAccept(AsyncSocket socket);

    /**
     * An accept failed (EMFILE, ENFILE, ENOMEM, ...). Accepting goes on unless the server was closed; after a
     * failure the accept is re-armed after a short pause, so that a lack of fds does not spin.
     *
     * @param error what failed
     */
    default void onError(RingIoException error) {
    }
}
