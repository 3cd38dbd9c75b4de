package io.ringloop.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The same virtual-thread server on the JDK's own sockets, for comparison: a blocking {@link ServerSocketChannel}
 * accepting on one virtual thread, and one virtual thread per connection running the same handler over a blocking
 * {@link SocketChannel}. A virtual thread's blocking socket call parks it and registers the socket with the JDK's
 * poller (epoll on Linux), which unparks it when the socket is ready; the call then runs the system call again.
 */
final class JdkVtServer implements VtServer {
    private final ServerSocketChannel server;
    private final CountDownLatch stopped = new CountDownLatch(1);

    JdkVtServer(String name, String host, int port, Consumer<ByteChannel> handler) throws IOException {
        server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(host, port), 4096);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        Thread.ofVirtual().name(name + "-acceptor").start(() -> VtServer.acceptLoop(this::accept, server::isOpen,
                handler));
    }

    /** Accepts one connection, with {@code TCP_NODELAY} as ringloop's sockets have by default. */
    private SocketChannel accept() throws IOException {
        SocketChannel s = server.accept();
        try {
            s.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    @Override
    public int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException("the server socket is closed", e);
        }
    }

    @Override
    public void awaitShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        stopped.await();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            System.err.println("close: " + e.getMessage());
        }
        stopped.countDown();
    }
}
