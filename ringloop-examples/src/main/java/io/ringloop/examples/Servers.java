package io.ringloop.examples;

import io.ringloop.EventLoop;
import io.ringloop.LoopGroup;
import io.ringloop.io.AcceptHandler;
import io.ringloop.io.AsyncServerSocket;
import io.ringloop.io.RingIoException;
import io.ringloop.io.SocketOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Starts a server on a group of N loops, one listening socket per loop sharing the port with SO_REUSEPORT. */
final class Servers implements AutoCloseable {
    final LoopGroup group;
    final List<AsyncServerSocket> servers;
    private final CountDownLatch stopped = new CountDownLatch(1);

    Servers(String name, String host, int port, int loopCount, AcceptHandler handler) throws RingIoException {
        if (loopCount < 1) {
            throw new IllegalArgumentException("--loops must be >= 1, was " + loopCount);
        }
        group = LoopGroup.builder().loops(loopCount).threadNamePrefix(name).open();
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
        Thread.ofPlatform().daemon().name("stats-on-request").start(this::answerStatsRequests);
        stopped.await();
    }

    /**
     * For a harness that runs this server in a process of its own: each line {@code stats} on standard input is
     * answered with one line {@code ringloop-stats name=value ...}, every {@code LoopStats} counter summed over the
     * group's loops, so that the harness can take the difference across a measured run.
     */
    private void answerStatsRequests() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.trim().equals("stats")) {
                    System.out.println(statsLine());
                }
            }
        } catch (IOException e) {
            // No standard input (or it closed): nobody asks.
        }
    }

    String statsLine() {
        Map<String, Long> sum = new LinkedHashMap<>();
        for (EventLoop loop : group.loops()) {
            loop.stats().asMap().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        StringBuilder line = new StringBuilder("ringloop-stats");
        sum.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        return line.toString();
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
