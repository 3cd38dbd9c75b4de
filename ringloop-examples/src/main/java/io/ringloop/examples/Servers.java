package io.ringloop.examples;

import io.ringloop.LoopGroup;
import io.ringloop.LoopOptions;
import io.ringloop.io.AcceptHandler;
import io.ringloop.io.AsyncServerSocket;
import io.ringloop.io.RingIoException;
import io.ringloop.io.SocketOptions;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Starts a server on a group of N loops, one listening socket per loop sharing the port with SO_REUSEPORT. */
final class Servers implements AutoCloseable {
    final LoopGroup group;
    final List<AsyncServerSocket> servers;
    private final CountDownLatch stopped = new CountDownLatch(1);

    Servers(String name, String host, int port, int loopCount, LoopOptions.Builder loop, AcceptHandler handler)
            throws RingIoException {
        if (loopCount < 1) {
            throw new IllegalArgumentException("--loops must be >= 1, was " + loopCount);
        }
        group = LoopGroup.builder().loops(loopCount).threadNamePrefix(name)
                .options(loop.build()).open();
        try {
            servers = AsyncServerSocket.bindEach(group, new InetSocketAddress(host, port),
                    SocketOptions.defaults().withBacklog(4096));
        } catch (RingIoException | RuntimeException e) {
            group.close();
            throw e;
        }
        for (AsyncServerSocket s : servers) {
            s.accept(handler);
        }
    }

    int port() {
        return servers.get(0).localAddress().getPort();
    }

    void awaitShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        StatsOnRequest.answer(group);
        stopped.await();
    }

    @Override
    public void close() {
        for (AsyncServerSocket s : servers) {
            s.close();
        }
        group.close();
        stopped.countDown();
    }
}
