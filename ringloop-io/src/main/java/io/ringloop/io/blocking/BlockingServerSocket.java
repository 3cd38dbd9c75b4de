package io.ringloop.io.blocking;

import io.ringloop.EventLoop;
import io.ringloop.LoopGroup;
import io.ringloop.io.AsyncServerSocket;
import io.ringloop.io.AsyncSocket;
import io.ringloop.io.SocketOptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * A listening TCP socket with a blocking {@link #accept()}, whose accepts are an {@link AsyncServerSocket}'s on a
 * loop's ring. Accepted connections run their I/O on the same loop as the server. Several threads may accept at
 * once; each connection goes to one of them.
 *
 * <p>To spread connections over several loops, bind one server per loop with {@link SocketOptions#reusePort()} on
 * the same port and accept from each in its own thread: the kernel shares the connections among the listeners.
 */
public final class BlockingServerSocket implements AutoCloseable {
    private final AsyncServerSocket server;
    private volatile int soTimeoutMillis;
    private volatile boolean closed;

    private BlockingServerSocket(AsyncServerSocket server) {
        this.server = server;
    }

    /**
     * Listens with the default options.
     *
     * @param loop the loop for the accepts and the accepted connections' I/O
     * @param address where to listen (port 0 for any free port)
     * @return the listening server
     * @throws IOException naming the address and errno (EADDRINUSE, EACCES, ...)
     */
    public static BlockingServerSocket bind(EventLoop loop, SocketAddress address) throws IOException {
        return bind(loop, address, SocketOptions.defaults());
    }

    /**
     * Listens, on a loop of the group ({@link LoopGroup#next()}: round robin).
     *
     * @param group the loops
     * @param address where to listen (port 0 for any free port)
     * @param options socket options (the accepted sockets get them too)
     * @return the listening server
     * @throws IOException naming the address and errno (EADDRINUSE, EACCES, ...)
     */
    public static BlockingServerSocket bind(LoopGroup group, SocketAddress address, SocketOptions options)
            throws IOException {
        return bind(group.next(), address, options);
    }

    /**
     * Listens.
     *
     * @param loop the loop for the accepts and the accepted connections' I/O
     * @param address where to listen (IPv4 or IPv6; port 0 for any free port)
     * @param options socket options (the accepted sockets get them too)
     * @return the listening server
     * @throws IOException naming the address and errno (EADDRINUSE, EACCES, ...)
     */
    public static BlockingServerSocket bind(EventLoop loop, SocketAddress address, SocketOptions options)
            throws IOException {
        return new BlockingServerSocket(AsyncServerSocket.bind(loop, address, options));
    }

    /**
     * Waits for a connection.
     *
     * @return the connection, on this server's loop
     * @throws java.net.SocketTimeoutException if none came within the {@linkplain #setSoTimeout timeout}
     * @throws java.nio.channels.ClosedByInterruptException if the thread was interrupted (the server is closed)
     * @throws java.nio.channels.AsynchronousCloseException if another thread closed the server meanwhile
     * @throws IOException for another failure, naming the errno (EMFILE, ...)
     */
    public BlockingSocket accept() throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        Waits.begin(server.loop(), this);
        AsyncSocket s = Waits.await(server.accept(soTimeoutMillis, TimeUnit.MILLISECONDS), this, "accept");
        return new BlockingSocket(s);
    }

    /**
     * Sets how long {@link #accept()} waits, as {@link java.net.ServerSocket#setSoTimeout}.
     *
     * @param millis milliseconds, 0 for no limit
     * @throws IllegalArgumentException if negative
     */
    public void setSoTimeout(int millis) {
        BlockingSocket.requireTimeout(millis);
        soTimeoutMillis = millis;
    }

    /**
     * How long {@link #accept()} waits.
     *
     * @return milliseconds, 0 for no limit
     */
    public int getSoTimeout() {
        return soTimeoutMillis;
    }

    /**
     * The address the server listens on.
     *
     * @return the local address (with the port chosen, if 0 was asked for)
     */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /**
     * The loop the server's accepts, and its connections, run on.
     *
     * @return the loop
     */
    public EventLoop loop() {
        return server.loop();
    }

    /**
     * Whether the server is open.
     *
     * @return true until closed
     */
    public boolean isOpen() {
        return !closed && server.isOpen();
    }

    /**
     * Stops listening: threads blocked in {@link #accept()} wake with
     * {@link java.nio.channels.AsynchronousCloseException}; connections already accepted stay open. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        server.close();
    }

    @Override
    public String toString() {
        return "BlockingServerSocket[" + server + "]";
    }
}
