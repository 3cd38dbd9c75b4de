package io.ringloop.examples;

import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.io.AcceptHandler;
import io.ringloop.io.AsyncServerSocket;
import io.ringloop.io.RingIoException;
import io.ringloop.io.SocketOptions;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Starts a server on N loops, one listening socket per loop sharing the port with SO_REUSEPORT when N > 1. */
final class Servers implements AutoCloseable {
    final List<EventLoop> loops = new ArrayList<>();
    final List<AsyncServerSocket> servers = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    Servers(String name, String host, int port, int loopCount, AcceptHandler handler) throws RingIoException {
        if (loopCount < 1) {
            throw new IllegalArgumentException("--loops must be >= 1, was " + loopCount);
        }
        SocketOptions options = SocketOptions.DEFAULTS.withReusePort(loopCount > 1).withBacklog(4096);
        int bound = port;
        for (int i = 0; i < loopCount; i++) {
            EventLoop loop = EventLoop.open(LoopOptions.builder().threadName(name + "-" + i).build());
            loops.add(loop);
            AsyncServerSocket s = AsyncServerSocket.bind(loop, new InetSocketAddress(host, bound), options);
            bound = s.localAddress().getPort();
            servers.add(s);
            s.accept(handler);
        }
    }

    int port() {
        return servers.get(0).localAddress().getPort();
    }

    void awaitShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        stopped.await();
    }

    @Override
    public void close() {
        for (AsyncServerSocket s : servers) {
            s.close();
        }
        for (EventLoop l : loops) {
            l.close();
        }
        stopped.countDown();
    }
}
