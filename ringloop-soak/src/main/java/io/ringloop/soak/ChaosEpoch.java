package io.ringloop.soak;

import io.ringloop.Doorbell;
import io.ringloop.EventLoop;
import io.ringloop.LoopGroup;
import io.ringloop.LoopOptions;
import io.ringloop.io.AsyncServerSocket;
import io.ringloop.io.AsyncSocket;
import io.ringloop.io.RingIoException;
import io.ringloop.io.SocketOptions;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One epoch of the chaos: a {@link LoopGroup} of two loops with a server on each ({@code bindEach}, multishot
 * accept) and a lone loop with a server of one-shot accepts; connections from any loop to either server, each made of
 * two {@link ChaosEnd}s; and its end, which closes the loops with operations in flight (or first the channels).
 */
final class ChaosEpoch {
    /** A connection: both ends, and the two streams between them. */
    record Connection(ChaosEnd client, ChaosEnd server, ChaosStream up, ChaosStream down) {
        boolean open() {
            return client.isOpen() || server.isOpen();
        }
    }

    private static final AtomicInteger STREAMS = new AtomicInteger();
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    final int number;
    private final ChaosOps ops;
    private final ScheduledExecutorService elsewhere;
    private final SplittableRandom random;
    final LoopGroup group;
    final EventLoop solo;
    private final List<AsyncServerSocket> servers;
    private final AsyncServerSocket soloServer;
    private final List<Connection> connections = new ArrayList<>();
    private final List<AsyncSocket> sockets = new ArrayList<>();
    private final Map<Integer, AsyncSocket> unpaired = new HashMap<>();
    private volatile boolean ending;

    ChaosEpoch(int number, ChaosOps ops, ScheduledExecutorService elsewhere, long seed, List<Doorbell> doorbells)
            throws RingIoException {
        this.number = number;
        this.ops = ops;
        this.elsewhere = elsewhere;
        this.random = new SplittableRandom(seed);
        LoopOptions options = LoopOptions.builder().doorbell(doorbells.get(random.nextInt(doorbells.size())))
                .ringEntries(random.nextBoolean() ? 8 : 256).threadName("chaos-e" + number)
                .errorHandler((task, error) -> ops.fail("epoch " + number + ": the loop's error handler got " + error
                        + " from " + task))
                .build();
        group = LoopGroup.open(2, options);
        solo = EventLoop.open(options.toBuilder().threadName("chaos-e" + number + "-solo").build());
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        // Small socket buffers in some epochs and for some connections: sends go short and wait part-way.
        SocketOptions serverOptions = random.nextBoolean() ? SocketOptions.defaults() : small(random);
        servers = AsyncServerSocket.bindEach(group, any, serverOptions);
        for (AsyncServerSocket s : servers) {
            s.accept(this::accepted);
        }
        soloServer = bindSolo(serverOptions);
        acceptNext();
    }

    /** The lone loop's server: on ::1 in some epochs, where this host has IPv6 loopback. */
    private AsyncServerSocket bindSolo(SocketOptions options) throws RingIoException {
        if (random.nextBoolean()) {
            try {
                AsyncServerSocket s = AsyncServerSocket.bind(solo, new InetSocketAddress("::1", 0), options);
                ops.count("epoch with an IPv6 server");
                return s;
            } catch (RingIoException e) {
                ops.count("no IPv6 loopback");
            }
        }
        return AsyncServerSocket.bind(solo, new InetSocketAddress("127.0.0.1", 0), options);
    }

    List<EventLoop> loops() {
        List<EventLoop> all = new ArrayList<>(group.loops());
        all.add(solo);
        return all;
    }

    EventLoop randomLoop(SplittableRandom r) {
        List<EventLoop> all = loops();
        return all.get(r.nextInt(all.size()));
    }

    /** A random loop not closed yet (a group loop if all are). */
    EventLoop openLoop(SplittableRandom r) {
        List<EventLoop> open = loops().stream().filter(l -> !l.isClosed()).toList();
        return open.isEmpty() ? group.loop(0) : open.get(r.nextInt(open.size()));
    }

    private void acceptNext() {
        if (ending) {
            return;
        }
        long timeout;
        synchronized (this) {
            timeout = random.nextBoolean() ? 0 : 1 + random.nextInt(500);
        }
        String kind = timeout > 0 ? "accept-timeout" : "accept";
        CompletableFuture<AsyncSocket> f = timeout > 0 ? soloServer.accept(timeout, TimeUnit.MILLISECONDS)
                : soloServer.accept();
        ops.track(kind, soloServer.toString(), f).whenComplete((s, t) -> {
            if (s != null) {
                accepted(s);
            }
            if (t == null || !soloServer.loop().isClosed() && soloServer.isOpen()) {
                acceptNext();
            }
        });
    }

    /** Opens a connection from a random loop to a random server. */
    void connect(SplittableRandom r) {
        synchronized (this) {
            if (ending || connections.stream().filter(Connection::open).count() >= 8) {
                return;
            }
        }
        InetSocketAddress to = r.nextInt(3) == 0 ? soloServer.localAddress() : servers.get(0).localAddress();
        EventLoop loop = randomLoop(r);
        SocketOptions options = r.nextInt(3) == 0 ? small(r) : SocketOptions.defaults();
        ops.track("connect", "to " + to, AsyncSocket.connect(loop, to, options, 2, TimeUnit.SECONDS))
                .whenComplete((s, t) -> {
                    if (s != null) {
                        InetSocketAddress local = s.localAddress();
                        pair(local == null ? -1 : local.getPort(), s, true);
                    }
                });
    }

    private static SocketOptions small(SplittableRandom r) {
        return SocketOptions.defaults().withBufferSizes(4096 << r.nextInt(5), 4096 << r.nextInt(5));
    }

    private void accepted(AsyncSocket s) {
        InetSocketAddress remote = s.remoteAddress();
        pair(remote == null ? -1 : remote.getPort(), s, false);
    }

    private void pair(int port, AsyncSocket s, boolean client) {
        AsyncSocket other;
        synchronized (this) {
            sockets.add(s);
            if (port < 0 || ending) {
                s.closeAsync();
                return;
            }
            other = unpaired.remove(port);
            if (other == null) {
                unpaired.put(port, s);
                return;
            }
        }
        AsyncSocket c = client ? s : other;
        AsyncSocket v = client ? other : s;
        int n = CONNECTIONS.incrementAndGet();
        ChaosStream up = new ChaosStream(STREAMS.incrementAndGet(), "c" + n + " up", ops);
        ChaosStream down = new ChaosStream(STREAMS.incrementAndGet(), "c" + n + " down", ops);
        long seed;
        synchronized (this) {
            seed = random.nextLong();
        }
        Connection conn = new Connection(new ChaosEnd("c" + n + ".client", c, up, down, ops, elsewhere, seed),
                new ChaosEnd("c" + n + ".server", v, down, up, ops, elsewhere, ~seed), up, down);
        synchronized (this) {
            connections.add(conn);
        }
        ops.count("connections");
        conn.client().startReading();
        conn.server().startReading();
    }

    /** A random open connection's random end, or null. */
    ChaosEnd randomEnd(SplittableRandom r) {
        synchronized (this) {
            List<Connection> open = connections.stream().filter(Connection::open).toList();
            if (open.isEmpty()) {
                return null;
            }
            Connection c = open.get(r.nextInt(open.size()));
            return r.nextBoolean() ? c.client() : c.server();
        }
    }

    /** Closes the lone loop mid-epoch, with its operations in flight, from this thread or another loop's. */
    void closeSoloLoop(SplittableRandom r) {
        if (solo.isClosed()) {
            return;
        }
        ops.count("loop closed mid-epoch");
        if (r.nextBoolean()) {
            try {
                group.next().execute(solo::close);
                return;
            } catch (RejectedExecutionException e) {
                // the group is closing: close it from here
            }
        }
        CompletableFuture.runAsync(solo::close, elsewhere);
    }

    /**
     * Ends the epoch: no new connections; closes every channel first (graceful) or not; then closes the loops with
     * whatever is in flight. Returns whether the loops terminated within the bound.
     */
    boolean end(boolean graceful, long boundNanos) {
        List<AsyncSocket> all;
        synchronized (this) {
            ending = true;
            all = new ArrayList<>(sockets);
        }
        if (graceful) {
            for (Connection c : connections()) {
                c.client().closeNow();
                c.server().closeNow();
            }
            for (AsyncSocket s : all) {
                ops.track("close", s.toString(), s.closeAsync());
            }
            for (AsyncServerSocket s : servers) {
                ops.track("server-close", s.toString(), s.closeAsync());
            }
            ops.track("server-close", soloServer.toString(), soloServer.closeAsync());
        }
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
            group.close();
            solo.close();
        }, r -> Thread.ofPlatform().name("chaos-closer-e" + number).daemon().start(r));
        try {
            closed.get(boundNanos, TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            ops.fail("epoch " + number + ": closing the loops took more than " + boundNanos / 1_000_000_000
                    + " s: " + stats());
            return false;
        }
        for (EventLoop l : loops()) {
            if (l.failure() != null) {
                ops.fail("epoch " + number + ": " + l + " died: " + l.failure());
            }
        }
        return true;
    }

    synchronized List<Connection> connections() {
        return List.copyOf(connections);
    }

    String stats() {
        StringBuilder b = new StringBuilder();
        for (EventLoop l : loops()) {
            b.append(l).append(' ').append(l.stats()).append("; ");
        }
        return b.toString();
    }
}
