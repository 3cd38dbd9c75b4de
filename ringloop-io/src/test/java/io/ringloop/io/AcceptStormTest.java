package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.LoopGroup;
import io.ringloop.LoopOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 000 on the I/O side: a loop with an 8-entry ring (a 16-entry CQ), kept busy so that completions pile up,
 * while 1000 clients connect. The multishot accept's CQEs overflow the CQ, the kernel ends the accept, and it must be
 * re-armed, as must the doorbell: every connection is accepted.
 *
 * <p>An accept that is never re-armed never completes, so closing its server would wait for it forever, after the
 * assertion has already failed. The time limit (on a thread of its own: {@code join} ignores interrupts) makes that
 * a failure in two minutes instead of a hang.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AcceptStormTest {
    @Test
    void shouldShareConnectionsAmongReusePortServersOfAGroup() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            List<AsyncServerSocket> servers = AsyncServerSocket.bindEach(group,
                    new InetSocketAddress("127.0.0.1", 0), SocketOptions.defaults());
            assertThat(servers).hasSize(2);
            assertThat(servers.get(1).localAddress()).isEqualTo(servers.get(0).localAddress());
            int clients = 200;
            CountDownLatch all = new CountDownLatch(clients);
            AtomicInteger[] perLoop = {new AtomicInteger(), new AtomicInteger()};
            for (int i = 0; i < 2; i++) {
                int index = i;
                servers.get(i).accept(s -> {
                    assertThat(s.loop()).isSameAs(group.loop(index));
                    perLoop[index].incrementAndGet();
                    all.countDown();
                    s.close();
                });
            }
            List<Socket> cs = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    cs.add(new Socket(servers.get(0).localAddress().getAddress(),
                            servers.get(0).localAddress().getPort()));
                }
                assertThat(all.await(30, TimeUnit.SECONDS)).as("all %d accepted: %d + %d", clients,
                        perLoop[0].get(), perLoop[1].get()).isTrue();
                // The kernel hashes connections over the sockets: with 200, each loop gets some.
                assertThat(perLoop[0].get()).isPositive();
                assertThat(perLoop[1].get()).isPositive();
            } finally {
                for (Socket c : cs) {
                    c.close();
                }
                for (AsyncServerSocket s : servers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void shouldAcceptEveryConnectionWithATinyBusyRing() throws Exception {
        int clients = 1000;
        try (EventLoop loop = EventLoop.open(LoopOptions.builder().ringEntries(8).threadName("storm").build());
                AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0))) {
            AtomicInteger accepted = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(clients);
            ConcurrentLinkedQueue<AsyncSocket> sockets = new ConcurrentLinkedQueue<>();
            AtomicBoolean busy = new AtomicBoolean(true);
            server.accept(s -> {
                accepted.incrementAndGet();
                sockets.add(s);
                all.countDown();
            });
            // Keep the loop busy: a task that spins ~20 µs and re-queues itself, so CQEs pile up between reaps.
            Runnable spinner = new Runnable() {
                @Override
                public void run() {
                    long end = System.nanoTime() + 20_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    if (busy.get()) {
                        loop.execute(this);
                    }
                }
            };
            loop.execute(spinner);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            ConcurrentLinkedQueue<Socket> clientSockets = new ConcurrentLinkedQueue<>();
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < clients / 4; i++) {
                            Socket c = new Socket();
                            c.connect(server.localAddress(), 10_000);
                            clientSockets.add(c);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
                all.await(30, TimeUnit.SECONDS);
                busy.set(false);
                assertThat(accepted.get()).as("connections accepted of %d; loop stats %s, accept re-arms %d",
                        clients, loop.stats(), server.acceptRearms()).isEqualTo(clients);
                System.out.printf(
                        "accept storm: %d accepted, %d accept re-arms, %d CQ overflows, %d doorbell re-arms%n",
                        accepted.get(), server.acceptRearms(), loop.stats().cqOverflows(),
                        loop.stats().doorbellRearms());
            } finally {
                busy.set(false);
                pool.shutdownNow();
                for (Socket c : clientSockets) {
                    c.close();
                }
                for (AsyncSocket s : sockets) {
                    s.close();
                }
            }
        }
    }
}
