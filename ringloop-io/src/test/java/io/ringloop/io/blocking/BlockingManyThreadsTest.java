package io.ringloop.io.blocking;

import io.ringloop.LoopGroup;
import io.ringloop.io.SocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many virtual threads at once on two loops with default options (a 512-entry CQ, far fewer slots than waiting
 * reads): a server that runs one virtual thread per connection, and clients that each do a small exchange. Every wait
 * is bounded and a stall names who stalled.
 */
class BlockingManyThreadsTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    @TempDir
    Path dir;

    /** A server whose acceptor and connections are virtual threads that echo until end of stream. */
    private static BlockingServerSocket echoServer(LoopGroup group, Queue<Throwable> errors) throws IOException {
        BlockingServerSocket server = BlockingServerSocket.bind(group, ANY, SocketOptions.defaults().withBacklog(4096));
        Thread.ofVirtual().name("acceptor").start(() -> {
            while (true) {
                BlockingSocket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    if (!server.isOpen()) {
                        return;   // closed at the end of the test
                    }
                    errors.add(e);
                    continue;
                }
                Thread.ofVirtual().start(() -> {
                    try (s;
                            InputStream in = s.getInputStream();
                            OutputStream out = s.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        errors.add(e);
                    }
                });
            }
        });
        return server;
    }

    @Test
    void tenThousandVirtualThreadsEachEchoAMessage() throws Exception {
        int threads = 10_000;
        int fdsBefore = Blocked.openFds();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        HandOffStats before = HandOffStats.snapshot();
        try (LoopGroup group = LoopGroup.open(2)) {
            BlockingServerSocket server = echoServer(group, errors);
            // At most 1000 connections open at once: 2 fds each, within the process's limit.
            Semaphore open = new Semaphore(1000);
            AtomicIntegerArray phase = new AtomicIntegerArray(threads);
            CountDownLatch done = new CountDownLatch(threads);
            AtomicInteger ok = new AtomicInteger();
            for (int i = 0; i < threads; i++) {
                int id = i;
                Thread.ofVirtual().start(() -> {
                    try {
                        open.acquire();
                        phase.set(id, 1);
                        try (BlockingSocket c = BlockingSocket.connect(group, server.localAddress())) {
                            phase.set(id, 2);
                            c.setSoTimeout(30_000);
                            byte[] msg = new byte[100];
                            Arrays.fill(msg, (byte) id);
                            ByteBuffer b = ByteBuffer.allocate(100).putInt(id).put(msg, 4, 96).flip();
                            c.write(b);
                            phase.set(id, 3);
                            byte[] back = c.getInputStream().readNBytes(100);
                            phase.set(id, 4);
                            assertThat(ByteBuffer.wrap(back).getInt()).isEqualTo(id);
                            assertThat(Arrays.copyOfRange(back, 4, 100)).isEqualTo(Arrays.copyOfRange(msg, 4, 100));
                            ok.incrementAndGet();
                        } finally {
                            open.release();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    } finally {
                        phase.set(id, 5);
                        done.countDown();
                    }
                });
            }
            boolean finished = done.await(60, TimeUnit.SECONDS);
            assertThat(finished).as("%d of %d clients had not finished after 60 s; clients by phase (waiting, "
                    + "connecting, writing, reading, closing, done): %s; errors: %s; loops: %s", done.getCount(),
                    threads, Arrays.toString(histogram(phase, 6)), errors.stream().limit(5).toList(),
                    group.loops().stream().map(l -> l.stats()).toList())
                    .isTrue();
            server.close();
            assertThat(errors).isEmpty();
            assertThat(ok.get()).isEqualTo(threads);
        }
        HandOffStats d = HandOffStats.snapshot().minus(before);
        assertThat(d.calls()).as("connect, write, read, accept, server read and write per client")
                .isGreaterThanOrEqualTo(5L * threads);
        assertThat(Blocked.openFds()).as("no fd left behind").isLessThanOrEqualTo(fdsBefore);
    }

    private static int[] histogram(AtomicIntegerArray a, int values) {
        int[] h = new int[values];
        for (int i = 0; i < a.length(); i++) {
            h[a.get(i)]++;
        }
        return h;
    }

    @Test
    void everyThreadWithExactlyOneOperationOutstandingFinishes() throws Exception {
        int threads = 500;
        int rounds = 100;
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicIntegerArray progress = new AtomicIntegerArray(threads);
        try (LoopGroup group = LoopGroup.open(2)) {
            BlockingServerSocket server = echoServer(group, errors);
            CountDownLatch done = new CountDownLatch(threads);
            for (int i = 0; i < threads; i++) {
                int id = i;
                Thread.ofVirtual().start(() -> {
                    // Ping-pong of one byte: at any moment this thread, and its server thread, wait on exactly one
                    // operation and nothing follows it, so a lost completion stalls the thread for good.
                    try (BlockingSocket c = BlockingSocket.connect(group, server.localAddress())) {
                        ByteBuffer out = ByteBuffer.allocateDirect(1);
                        ByteBuffer in = ByteBuffer.allocateDirect(1);
                        for (int r = 0; r < rounds; r++) {
                            out.clear().put((byte) r).flip();
                            c.write(out);
                            in.clear();
                            assertThat(c.read(in)).isEqualTo(1);
                            assertThat(in.get(0)).isEqualTo((byte) r);
                            progress.incrementAndGet(id);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            boolean finished = done.await(60, TimeUnit.SECONDS);
            List<String> stalled = IntStream.range(0, threads).filter(i -> progress.get(i) < rounds)
                    .mapToObj(i -> "client " + i + " at round " + progress.get(i)).limit(10).toList();
            assertThat(finished).as("stalled (a lost completion?): %s", stalled).isTrue();
            server.close();
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void manyThreadsReadingAFileAtRandomOffsetsGetTheRightBlocks() throws Exception {
        int blocks = 2048;
        int threads = 256;
        int reads = 100;
        Path p = dir.resolve("blocks");
        ByteBuffer all = ByteBuffer.allocate(blocks * 4096);
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < 1024; i++) {
                all.putInt(b);
            }
        }
        Files.write(p, all.array());
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        try (LoopGroup group = LoopGroup.open(2)) {
            CountDownLatch done = new CountDownLatch(threads);
            AtomicInteger checked = new AtomicInteger();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                Thread.ofVirtual().start(() -> {
                    try (BlockingFile f = BlockingFile.open(group, p)) {
                        Random rnd = new Random(seed);
                        ByteBuffer buf = ByteBuffer.allocateDirect(4096);
                        for (int r = 0; r < reads; r++) {
                            int b = rnd.nextInt(blocks);
                            buf.clear();
                            assertThat(f.read(buf, b * 4096L)).isEqualTo(4096);
                            assertThat(buf.getInt(0)).isEqualTo(b);
                            assertThat(buf.getInt(4092)).isEqualTo(b);
                            checked.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(60, TimeUnit.SECONDS))
                    .as("%d of %d readers had not finished after 60 s", done.getCount(), threads).isTrue();
            assertThat(errors).isEmpty();
            assertThat(checked.get()).isEqualTo(threads * reads);
        }
    }
}
