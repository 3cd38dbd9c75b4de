package io.ringloop.examples;

import io.ringloop.EventLoop;
import io.ringloop.LoopGroup;
import io.ringloop.LoopOptions;
import io.ringloop.io.SocketOptions;
import io.ringloop.io.blocking.BlockingServerSocket;
import io.ringloop.io.blocking.BlockingSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A virtual-thread server on a group of N loops: one blocking listening socket per loop sharing the port
 * (SO_REUSEPORT), one virtual thread accepting on each, and one virtual thread per connection running the handler.
 */
final class VtServers implements VtServer {
    /** The largest CQ: completions of this many connections at once fit without overflowing to the kernel's list. */
    static final int CQ_ENTRIES = 65_536;

    private final LoopGroup group;
    private final List<BlockingServerSocket> servers = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    VtServers(String name, String host, int port, int loopCount, LoopOptions.Builder loopOptions,
            Consumer<? super BlockingSocket> handler) throws IOException {
        if (loopCount < 1) {
            throw new IllegalArgumentException("--loops must be >= 1, was " + loopCount);
        }
        // Waiting socket reads hold no CQ room; a large CQ only keeps bursts out of the kernel's overflow list (see
        // io.ringloop.io.blocking, "Sizing a loop").
        group = LoopGroup.builder().loops(loopCount).threadNamePrefix(name)
                .options(loopOptions.cqEntries(CQ_ENTRIES).build()).open();
        try {
            SocketOptions options = SocketOptions.defaults().withBacklog(4096).withReusePort(true);
            int p = port;
            for (EventLoop loop : group.loops()) {
                BlockingServerSocket s = BlockingServerSocket.bind(loop, new InetSocketAddress(host, p), options);
                servers.add(s);
                p = s.localAddress().getPort();   // port 0: the rest share the port the first one got
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        for (BlockingServerSocket s : servers) {
            Thread.ofVirtual().name(name + "-acceptor").start(() -> VtServer.acceptLoop(s::accept, s::isOpen, handler));
        }
    }

    @Override
    public int port() {
        return servers.get(0).localAddress().getPort();
    }

    @Override
    public void awaitShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        StatsOnRequest.answer(group);
        stopped.await();
    }

    @Override
    public void close() {
        for (BlockingServerSocket s : servers) {
            s.close();
        }
        group.close();
        stopped.countDown();
    }
}
