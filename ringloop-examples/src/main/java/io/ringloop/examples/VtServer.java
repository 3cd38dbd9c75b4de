package io.ringloop.examples;

/**
 * A running virtual-thread server: on ringloop's blocking sockets ({@link VtServers}) or on the JDK's
 * ({@link JdkVtServer}).
 */
interface VtServer extends AutoCloseable {
    /** The port it listens on. */
    int port();

    /** Blocks until the server is closed, by {@link #close()} or a shutdown hook. */
    void awaitShutdown() throws InterruptedException;

    @Override
    void close();
}
