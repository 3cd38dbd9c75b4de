package io.ringloop.io;

import io.ringloop.Backend;
import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.binding.FeatureMask;
import io.ringloop.kernel.IoUringUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.ringloop.io.Futures.await;
import static io.ringloop.io.Futures.failureOf;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The epoll backend on its own terms, on this kernel (which has io_uring): which backend a loop picks, and what only
 * the emulated ring can get wrong. The whole I/O suite also runs on epoll (the {@code epoll} surefire run).
 */
class EpollBackendTest {
    private static LoopOptions.Builder epoll() {
        return LoopOptions.builder().backend(Backend.EPOLL).threadName("epoll-test");
    }

    /** A loop's socket connected to a plain server socket's peer, whose reads give up after 10 s. */
    private record Connection(AsyncSocket socket, Socket peer) implements AutoCloseable {
        static Connection open(EventLoop loop, ServerSocket server) throws Exception {
            CompletableFuture<AsyncSocket> connecting = AsyncSocket.connect(loop, server.getLocalSocketAddress());
            Socket peer = server.accept();
            peer.setSoTimeout(10_000);
            return new Connection(await(connecting), peer);
        }

        @Override
        public void close() throws IOException {
            peer.close();
        }
    }

    @Test
    void shouldFallBackToEpollWhereIoUringIsRefusedAndSayWhichBackendRuns() {
        try (EventLoop loop = EventLoop.open(LoopOptions.builder().featureMask("IO_URING").build())) {
            assertThat(loop.backend()).isEqualTo(Backend.EPOLL);
            assertThat(loop.stats().backend()).isEqualTo(Backend.EPOLL);
        }
        try (EventLoop loop = EventLoop.open(LoopOptions.builder().backend(Backend.AUTO).build())) {
            // This kernel has io_uring; the suite's epoll run hides it for every loop (the IO_URING mask).
            Backend expected = FeatureMask.fromSystemProperty().hidesIoUring() ? Backend.EPOLL : Backend.IO_URING;
            assertThat(loop.backend()).as("AUTO").isEqualTo(expected);
        }
        assertThatThrownBy(() -> EventLoop.open(LoopOptions.builder().backend(Backend.IO_URING)
                .featureMask("IO_URING").build()))
                .isInstanceOf(IoUringUnavailableException.class).hasMessageContaining("EPERM");
        assertThatThrownBy(() -> Backend.parse("kqueue")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kqueue").hasMessageContaining("epoll");
    }

    /**
     * The emulated ring keeps a registration per fd number. A socket closed and another opened at once usually get
     * the same number: the second must be registered afresh, or its reads wait for edges that never come.
     */
    @Test
    void shouldServeANewSocketUnderTheNumberOfOneJustClosed() throws Exception {
        try (EventLoop loop = EventLoop.open(epoll().build());
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Arena arena = Arena.ofShared()) {
            for (int round = 0; round < 20; round++) {
                CompletableFuture<AsyncSocket> connecting = AsyncSocket.connect(loop,
                        server.getLocalSocketAddress());
                try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream();
                        InputStream in = peer.getInputStream()) {
                    AsyncSocket s = await(connecting);
                    MemorySegment buf = arena.allocate(8);
                    // The read waits first (EAGAIN, parked), then the peer's bytes must wake it.
                    CompletableFuture<Integer> read = s.read(buf, 10, TimeUnit.SECONDS);
                    out.write(round);
                    out.flush();
                    assertThat(await(read)).as("round " + round).isEqualTo(1);
                    assertThat(buf.get(JAVA_BYTE, 0)).isEqualTo((byte) round);
                    MemorySegment reply = arena.allocate(1);
                    reply.set(JAVA_BYTE, 0, (byte) (round + 1));
                    assertThat(await(s.writeAll(reply))).isEqualTo(1L);
                    assertThat(in.read()).isEqualTo(round + 1);
                    await(s.closeAsync());
                }
            }
        }
    }

    /**
     * Edge-triggered readiness reports an arrival once. Bytes left after a read took part of them bring no second
     * edge, so a later read must try before it waits: one that waited for an edge would wait for ever.
     */
    @Test
    void shouldReadWhatAnEarlierReadLeftWithoutWaitingForAnotherEdge() throws Exception {
        try (EventLoop loop = EventLoop.open(epoll().build());
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Arena arena = Arena.ofShared()) {
            CompletableFuture<AsyncSocket> connecting = AsyncSocket.connect(loop, server.getLocalSocketAddress());
            try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
                AsyncSocket s = await(connecting);
                MemorySegment one = arena.allocate(1);
                CompletableFuture<Integer> first = s.read(one, 10, TimeUnit.SECONDS);
                out.write(new byte[] {1, 2, 3});
                out.flush();
                assertThat(await(first)).isEqualTo(1);
                for (int expected = 2; expected <= 3; expected++) {
                    assertThat(await(s.read(one, 10, TimeUnit.SECONDS))).as("byte " + expected).isEqualTo(1);
                    assertThat(one.get(JAVA_BYTE, 0)).isEqualTo((byte) expected);
                }
                await(s.closeAsync());
            }
        }
    }

    /**
     * epoll reports readiness only to whoever asks. A loop about to sleep asks in its sleep, and so skips the
     * non-blocking look; a loop that never runs out of tasks never sleeps, and must look on its busy passes, or a read
     * waits behind the tasks for ever (its 10 s timeout too: the emulation expires deadlines when asked).
     */
    @Test
    void shouldCompleteAReadWhileTasksKeepTheLoopFromEverSleeping() throws Exception {
        try (EventLoop loop = EventLoop.open(epoll().build());
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Arena arena = Arena.ofShared();
                Connection c = Connection.open(loop, server)) {
            AtomicBoolean stop = new AtomicBoolean();
            Runnable busy = new Runnable() {
                @Override
                public void run() {
                    if (!stop.get()) {
                        loop.execute(this);
                    }
                }
            };
            loop.execute(busy);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (loop.stats().tasksRun() < 10_000) {
                    assertThat(System.nanoTime() - deadline).as("the loop runs its busy task within 10 s: %s",
                            loop.stats()).isNegative();
                    Thread.onSpinWait();
                }
                long parks = loop.stats().parks();
                long submitted = loop.stats().sqesSubmitted();
                MemorySegment buf = arena.allocate(16);
                CompletableFuture<Integer> read = c.socket().read(buf, 10, TimeUnit.SECONDS);
                // The bytes go out only once the read waits in the emulation (its SQE went in, found nothing and
                // parked), so that a look must find them: sent earlier, the read's own first try would take them.
                while (loop.stats().sqesSubmitted() == submitted) {
                    assertThat(System.nanoTime() - deadline).as("the read is submitted: %s", loop.stats())
                            .isNegative();
                    Thread.onSpinWait();
                }
                c.peer().getOutputStream().write(new byte[] {7, 8, 9});
                assertThat(read.get(5, TimeUnit.SECONDS)).as("bytes read while the loop is busy").isEqualTo(3);
                assertThat(buf.get(JAVA_BYTE, 2)).isEqualTo((byte) 9);
                assertThat(loop.stats().parks()).as("the loop never slept meanwhile").isEqualTo(parks);
            } finally {
                // Or close() would wait for ever for the self-re-executing task to stop.
                stop.set(true);
            }
        }
    }

    /**
     * One {@code epoll_wait} can harvest far more events than the emulation handles per entry; the rest wait for the
     * next entry and must neither be lost nor be overwritten by a later harvest. Forty sockets whose bytes nobody
     * waits for become readable first, then eight whose reads wait, all while a timer holds the loop, so that the
     * sleep after it takes every event in one wait and the first ones it handles complete nothing. Each waiting read
     * must end with its byte, and each of the forty must find its byte at once (an edge lost there would leave a
     * later read waiting for ever).
     */
    @Test
    void shouldHandleEveryEventOfAHarvestLargerThanOneEntryTakes() throws Exception {
        int idle = 40;
        int waiting = 8;
        // A sleep no shorter than the reads' timeouts: a wait made with events still unhandled ends only then.
        try (EventLoop loop = EventLoop.open(epoll().maxParkNanos(TimeUnit.SECONDS.toNanos(60)).build());
                ServerSocket server = new ServerSocket(0, idle + waiting, InetAddress.getLoopbackAddress());
                Arena arena = Arena.ofShared()) {
            List<Connection> connections = new ArrayList<>();
            try {
                for (int i = 0; i < idle + waiting; i++) {
                    connections.add(Connection.open(loop, server));
                }
                MemorySegment buf = arena.allocate(idle + waiting);
                for (int i = 0; i < idle; i++) {
                    // Registers the socket with epoll, and leaves it with nothing waiting.
                    CompletableFuture<Integer> read = connections.get(i).socket().read(buf.asSlice(i, 1));
                    connections.get(i).peer().getOutputStream().write(i);
                    assertThat(await(read)).isEqualTo(1);
                }
                long submitted = loop.stats().sqesSubmitted();
                List<CompletableFuture<Integer>> reads = new ArrayList<>();
                for (int i = idle; i < idle + waiting; i++) {
                    reads.add(connections.get(i).socket().read(buf.asSlice(i, 1), 10, TimeUnit.SECONDS));
                }
                awaitSubmitted(loop, submitted, 2L * waiting); // two SQEs per read: the read and its link timeout
                CountDownLatch release = hold(loop);
                for (int i = 0; i < idle + waiting; i++) {
                    connections.get(i).peer().getOutputStream().write(100 + i);
                }
                release.countDown();
                for (int i = 0; i < waiting; i++) {
                    assertThat(reads.get(i).get(5, TimeUnit.SECONDS)).as("waiting read %d", i).isEqualTo(1);
                    assertThat(buf.get(JAVA_BYTE, idle + i)).isEqualTo((byte) (100 + idle + i));
                }
                for (int i = 0; i < idle; i++) {
                    CompletableFuture<Integer> read = connections.get(i).socket().read(buf.asSlice(i, 1));
                    assertThat(read.get(5, TimeUnit.SECONDS)).as("read %d of a byte already there", i).isEqualTo(1);
                    assertThat(buf.get(JAVA_BYTE, i)).isEqualTo((byte) (100 + i));
                }
            } finally {
                for (Connection c : connections) {
                    c.close();
                }
            }
        }
    }

    /**
     * The peer's last bytes and its FIN can come in one edge. The receive that takes the bytes stops short of its
     * buffer's end, which would otherwise say "the socket is empty, wait for the next edge"; after a hangup no edge
     * comes, so the next receive must try at once and find the end of the stream. The loop is held while the peer
     * writes and shuts down, so that one wait harvests both.
     */
    @Test
    void shouldEndTheReadAfterTheLastBytesWhenTheirEdgeAlsoBroughtTheFin() throws Exception {
        try (EventLoop loop = EventLoop.open(epoll().maxParkNanos(TimeUnit.SECONDS.toNanos(60)).build());
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Arena arena = Arena.ofShared();
                Connection c = Connection.open(loop, server)) {
            MemorySegment buf = arena.allocate(64);
            long submitted = loop.stats().sqesSubmitted();
            CompletableFuture<Integer> first = c.socket().read(buf);
            awaitSubmitted(loop, submitted, 1); // submitted: tried, found nothing, waits for an edge
            CountDownLatch release = hold(loop);
            c.peer().getOutputStream().write(pattern(10, 3));
            c.peer().shutdownOutput();
            release.countDown();
            assertThat(await(first, "the read of the last bytes")).isEqualTo(10);
            assertThat(await(c.socket().read(buf), "the read after the last bytes, at the peer's FIN")).isZero();
        }
    }

    /**
     * Without a buffer ring a receive reads into the socket's own buffer. An echo whose direct send takes all of it
     * is sent from that buffer before the handler returns: no copy, no lent buffer.
     */
    @Test
    void shouldSendAnEchoFromTheReceiveBufferWhenTheDirectSendTakesItAll() throws Exception {
        try (EventLoop loop = EventLoop.open(epoll().build());
                AsyncServerSocket server = AsyncServerSocket.bind(loop,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CopyBuffers copies = LoopResources.of(loop).copies();
            BlockingQueue<long[]> afterWrites = new LinkedBlockingQueue<>();
            server.accept(s -> s.receive(echoing(copies, afterWrites, null)));
            try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
                peer.setSoTimeout(10_000);
                long[] small = echo(peer, 512, afterWrites, 512);
                long[] large = echo(peer, LoopResources.LEND_MIN_BYTES * 2, afterWrites, 512 + 2048 * 2);
                assertThat(small[1] + large[1]).as("copies taken for echoes the direct send took whole").isZero();
                assertThat(small[2] + large[2]).as("receive buffers lent to echoes the direct send took whole")
                        .isZero();
                assertThat(loop.stats().inlineSends()).as("direct sends").isGreaterThanOrEqualTo(2);
            }
        }
    }

    /**
     * An echo that must wait behind an earlier write outlives the handler's call: a small one is copied into a small
     * spare and the receive keeps its buffer; a large one is sent from the buffer itself, which the write gives to the
     * loop's pool when it ends, while the receive goes on in another. Either way the bytes that come back are the ones
     * sent, though the receive that follows reads into the socket's buffer meanwhile.
     */
    @Test
    void shouldCopySmallEchoesAndLendTheReceiveBufferToLargeOnesThatWait() throws Exception {
        try (EventLoop loop = EventLoop.open(epoll().build());
                AsyncServerSocket server = AsyncServerSocket.bind(loop,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                Arena arena = Arena.ofShared()) {
            CopyBuffers copies = LoopResources.of(loop).copies();
            int bigBytes = 8 << 20;
            MemorySegment big = arena.allocate(bigBytes);
            for (int i = 0; i < bigBytes; i++) {
                big.set(JAVA_BYTE, i, (byte) (i % 251));
            }
            BlockingQueue<long[]> afterWrites = new LinkedBlockingQueue<>();
            BlockingQueue<Long> received = new LinkedBlockingQueue<>();
            BlockingQueue<long[]> bigWritten = new LinkedBlockingQueue<>();
            server.accept(s -> {
                // The peer reads nothing yet: most of this waits in the ring, and every echo waits behind it.
                s.writeAll(big, 0, TimeUnit.NANOSECONDS, null, recording(bigWritten, copies, new long[1]));
                s.receive(echoing(copies, afterWrites, received));
            });
            try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
                peer.setSoTimeout(10_000);
                byte[] large = pattern(LoopResources.LEND_MIN_BYTES * 2, 7);
                byte[] small = pattern(512, 13);
                peer.getOutputStream().write(large);
                awaitReceived(received, large.length);
                // Read into the socket's buffer where the large echo's bytes lay, unless it was lent away.
                peer.getOutputStream().write(small);
                awaitReceived(received, small.length);
                byte[] bigBack = peer.getInputStream().readNBytes(bigBytes);
                assertThat(bigBack).hasSize(bigBytes);
                for (int i = 0; i < bigBytes; i += 4093) {
                    assertThat(bigBack[i]).as("byte %d of the big write", i).isEqualTo((byte) (i % 251));
                }
                assertThat(peer.getInputStream().readNBytes(large.length)).as("the large echo").isEqualTo(large);
                assertThat(peer.getInputStream().readNBytes(small.length)).as("the small echo").isEqualTo(small);
                assertThat(untilEchoed(bigWritten, bigBytes)[0]).as("the big write").isEqualTo(bigBytes);
                long[] last = untilEchoed(afterWrites, large.length + small.length);
                assertThat(last[1]).as("the small echo's copy, back in the pool").isEqualTo(1);
                assertThat(last[2]).as("the lent receive buffer, back in the pool").isGreaterThanOrEqualTo(1);
            }
        }
    }

    /**
     * An echo whose direct send finds room for only part of it: the rest goes through the ring after the handler has
     * returned, so its bytes are made the write's own first (here the receive buffer is lent, being large) and the
     * next arrival, read meanwhile, does not overwrite them. The peer's small window keeps the server's socket full.
     */
    @Test
    void shouldKeepTheRestOfAnEchoTheDirectSendTookOnlyPartOf() throws Exception {
        SocketOptions smallSendBuffer = new SocketOptions(true, true, false, false, 1024, 0, 4096, 0);
        try (EventLoop loop = EventLoop.open(epoll().build());
                AsyncServerSocket server = AsyncServerSocket.bind(loop,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), smallSendBuffer)) {
            CopyBuffers copies = LoopResources.of(loop).copies();
            BlockingQueue<long[]> afterWrites = new LinkedBlockingQueue<>();
            BlockingQueue<Long> received = new LinkedBlockingQueue<>();
            server.accept(s -> s.receive(echoing(copies, afterWrites, received)));
            try (Socket peer = new Socket()) {
                peer.setReceiveBufferSize(4096);
                peer.connect(server.localAddress());
                peer.setSoTimeout(10_000);
                // Arrivals below the receive buffer's 8 KiB (so it does not grow), above the lending threshold; the
                // peer reads nothing until all have arrived, so some direct send finds the socket's buffer near full.
                byte[][] sent = new byte[4][];
                for (int i = 0; i < sent.length; i++) {
                    sent[i] = pattern(6000, i);
                    peer.getOutputStream().write(sent[i]);
                    awaitReceived(received, sent[i].length);
                }
                for (int i = 0; i < sent.length; i++) {
                    assertThat(peer.getInputStream().readNBytes(sent[i].length)).as("echo %d", i).isEqualTo(sent[i]);
                }
                long[] last = untilEchoed(afterWrites, 6000L * sent.length);
                assertThat(last[2]).as("a receive buffer lent to the rest of an echo, back in the pool")
                        .isGreaterThanOrEqualTo(1);
            }
        }
    }

    /** Waits (at most 10 s) until the loop has submitted {@code sqes} SQEs since {@code before}. */
    private static void awaitSubmitted(EventLoop loop, long before, long sqes) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loop.stats().sqesSubmitted() - before < sqes) {
            assertThat(System.nanoTime() - deadline).as("the reads are submitted: %s", loop.stats()).isNegative();
            Thread.onSpinWait();
        }
    }

    /**
     * Holds the loop in a timer until the returned latch is counted down (10 s at most), so that what peers send
     * meanwhile is harvested by one wait. A timer, not a task: the loop wakes for it by its sleep's timeout, so no
     * doorbell re-arm goes into the next entry, and the harvest happens in the sleep after it, which waits for a
     * completion.
     */
    private static CountDownLatch hold(EventLoop loop) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.schedule(() -> {
            held.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 50, TimeUnit.MILLISECONDS);
        assertThat(held.await(10, TimeUnit.SECONDS)).as("the loop runs the holding timer").isTrue();
        return release;
    }

    private static byte[] pattern(int bytes, int seed) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static void awaitReceived(BlockingQueue<Long> received, long total) throws InterruptedException {
        long got = 0;
        while (got < total) {
            Long n = received.poll(10, TimeUnit.SECONDS);
            assertThat(n).as("the server received %d of %d bytes within 10 s", got, total).isNotNull();
            got += n;
        }
    }

    /** A receive handler that echoes with writeAllReceived and records each write's end (see recording). */
    private static ReceiveHandler echoing(CopyBuffers copies, BlockingQueue<long[]> afterWrites,
            BlockingQueue<Long> received) {
        long[] echoed = new long[1];
        return new ReceiveHandler() {
            @Override
            public void onData(AsyncSocket socket, MemorySegment data) {
                if (received != null) {
                    received.add(data.byteSize());
                }
                socket.writeAllReceived(data, null, recording(afterWrites, copies, echoed));
            }

            @Override
            public void onEnd(AsyncSocket socket, RingIoException error) {
                socket.close();
            }
        };
    }

    /** After each write: bytes echoed so far, spares of 512 bytes and of 8 KiB (read on the loop); -1 on failure. */
    private static IoHandler<Object> recording(BlockingQueue<long[]> afterWrites, CopyBuffers copies, long[] echoed) {
        return new IoHandler<>() {
            @Override
            public void completed(long result, Object attachment) {
                echoed[0] += result;
                afterWrites.add(new long[] {echoed[0], copies.spare(512), copies.spare(8192)});
            }

            @Override
            public void failed(RingIoException error, Object attachment) {
                afterWrites.add(new long[] {-1, 0, 0});
            }
        };
    }

    /** Writes {@code bytes}, reads their echo, and waits for the server's write that brought the total to it. */
    private static long[] echo(Socket peer, int bytes, BlockingQueue<long[]> afterWrites, long total)
            throws Exception {
        byte[] sent = pattern(bytes, bytes);
        peer.getOutputStream().write(sent);
        byte[] back = peer.getInputStream().readNBytes(bytes);
        assertThat(back).isEqualTo(sent);
        return untilEchoed(afterWrites, total);
    }

    /** Waits for the write that brought the total written to {@code total}, and returns its record. */
    private static long[] untilEchoed(BlockingQueue<long[]> afterWrites, long total) throws InterruptedException {
        while (true) {
            long[] w = afterWrites.poll(10, TimeUnit.SECONDS);
            assertThat(w).as("the server's write of the echo ended within 10 s").isNotNull();
            assertThat(w[0]).as("the server's write failed").isNotNegative();
            if (w[0] >= total) {
                assertThat(w[0]).isEqualTo(total);
                return w;
            }
        }
    }

    /**
     * A write started on the loop goes out by a direct send at once, without an SQE, and its handler runs after the
     * call that started it has returned, never inside it.
     */
    @Test
    void shouldSendAWriteAtOnceAndEndItAfterTheCallReturns() throws Exception {
        try (EventLoop loop = EventLoop.open(epoll().build());
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Arena arena = Arena.ofShared()) {
            try (Connection c = Connection.open(loop, server); InputStream in = c.peer().getInputStream()) {
                AsyncSocket s = c.socket();
                MemorySegment hello = arena.allocate(5);
                hello.copyFrom(MemorySegment.ofArray("hello".getBytes(StandardCharsets.US_ASCII)));
                long inlineBefore = loop.stats().inlineSends();
                CompletableFuture<String> order = new CompletableFuture<>();
                long[] sqes = new long[2];
                await(loop.submit(() -> {
                    boolean[] returned = {false};
                    sqes[0] = loop.stats().sqesSubmitted();
                    s.writeAll(hello, 0, TimeUnit.NANOSECONDS, null, new IoHandler<Object>() {
                        @Override
                        public void completed(long result, Object attachment) {
                            sqes[1] = loop.stats().sqesSubmitted();
                            order.complete((returned[0] ? "after the call: " : "inside the call: ") + result);
                        }

                        @Override
                        public void failed(RingIoException error, Object attachment) {
                            order.completeExceptionally(error);
                        }
                    });
                    returned[0] = true;
                    return null;
                }));
                assertThat(await(order)).isEqualTo("after the call: 5");
                assertThat(sqes[1]).as("SQEs submitted while the write went and ended").isEqualTo(sqes[0]);
                assertThat(loop.stats().inlineSends() - inlineBefore).isEqualTo(1);
                assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
                await(s.closeAsync());
            }
        }
    }

    /**
     * A writeAll larger than the socket's send buffer: the direct send takes what fits, the ring sends the rest as the
     * peer reads, and every byte arrives once, in order, before the next write's.
     */
    @Test
    void shouldSendTheRestOfAWriteAllTheSocketBufferCouldNotTakeThroughTheRing() throws Exception {
        int size = 8 << 20;
        try (EventLoop loop = EventLoop.open(epoll().build());
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Arena arena = Arena.ofShared()) {
            try (Connection c = Connection.open(loop, server); InputStream in = c.peer().getInputStream()) {
                AsyncSocket s = c.socket();
                MemorySegment big = arena.allocate(size);
                for (int i = 0; i < size; i += 4096) {
                    big.set(JAVA_BYTE, i, (byte) (i >> 12));
                }
                MemorySegment tail = arena.allocate(1);
                tail.set(JAVA_BYTE, 0, (byte) 0x5a);
                List<CompletableFuture<Long>> writes = await(loop.submit(() -> List.of(s.writeAll(big),
                        s.writeAll(tail))));
                byte[] got = in.readNBytes(size + 1);
                assertThat(await(writes.get(0))).isEqualTo(size);
                assertThat(await(writes.get(1))).isEqualTo(1L);
                for (int i = 0; i < size; i += 4096) {
                    assertThat(got[i]).as("byte %d", i).isEqualTo((byte) (i >> 12));
                }
                assertThat(got[size]).as("the next write's byte, after all of the first").isEqualTo((byte) 0x5a);
                assertThat(loop.stats().inlineSends()).isGreaterThanOrEqualTo(1);
                await(s.closeAsync());
            }
        }
    }

    /**
     * A write with a time limit goes through the ring (its timeout is a linked request); a write started after it,
     * which could go by a direct send, waits its turn instead of overtaking it.
     */
    @Test
    void shouldNotSendAWriteDirectlyAheadOfAnEarlierOneStillInTheRing() throws Exception {
        try (EventLoop loop = EventLoop.open(epoll().build());
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Arena arena = Arena.ofShared()) {
            try (Connection c = Connection.open(loop, server); InputStream in = c.peer().getInputStream()) {
                AsyncSocket s = c.socket();
                MemorySegment first = arena.allocate(1);
                first.set(JAVA_BYTE, 0, (byte) 1);
                MemorySegment second = arena.allocate(1);
                second.set(JAVA_BYTE, 0, (byte) 2);
                List<CompletableFuture<Long>> writes = await(loop.submit(() -> List.of(
                        s.writeAll(first, 10, TimeUnit.SECONDS), s.writeAll(second))));
                assertThat(in.readNBytes(2)).as("the bytes in the order their writes were called")
                        .containsExactly(1, 2);
                assertThat(await(writes.get(0))).isEqualTo(1L);
                assertThat(await(writes.get(1))).isEqualTo(1L);
                await(s.closeAsync());
            }
        }
    }

    /**
     * A cancel or a close right after a direct send took the bytes: they have left, so the write succeeds, once, and
     * the close waits for its end; the write queued behind it never left, and fails as closed.
     */
    @Test
    void shouldEndAWriteTheDirectSendTookAsSentWhenItIsCancelledOrClosedAtOnce() throws Exception {
        try (EventLoop loop = EventLoop.open(epoll().build());
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Arena arena = Arena.ofShared()) {
            try (Connection c = Connection.open(loop, server); InputStream in = c.peer().getInputStream()) {
                AsyncSocket s = c.socket();
                MemorySegment bytes = arena.allocate(3);
                bytes.set(JAVA_BYTE, 0, (byte) 7);
                List<Object> outcome = await(loop.submit(() -> {
                    CompletableFuture<Long> cancelled = s.writeAll(bytes);
                    boolean cancelTookIt = cancelled.cancel(true);
                    CompletableFuture<Long> closed = s.writeAll(bytes);
                    CompletableFuture<Void> closing = s.closeAsync();
                    return List.of(cancelled, cancelTookIt, closed, closing);
                }));
                @SuppressWarnings("unchecked")
                CompletableFuture<Long> cancelled = (CompletableFuture<Long>) outcome.get(0);
                @SuppressWarnings("unchecked")
                CompletableFuture<Long> closed = (CompletableFuture<Long>) outcome.get(2);
                assertThat(outcome.get(1)).as("cancel() reported the write cancelled").isEqualTo(false);
                assertThat(await(cancelled)).isEqualTo(3L);
                // The next write waited behind it (one write in flight per socket), so the close failed it unsent.
                assertThat(failureOf(closed)).isInstanceOf(IoClosedException.class);
                await((CompletableFuture<?>) outcome.get(3));
                assertThat(in.readAllBytes()).as("the first write's bytes, and only those").hasSize(3);
            }
        }
    }

    /**
     * Regular files: writes and syncs go to the worker threads, reads of what the page cache holds are made on the
     * loop ({@code RWF_NOWAIT}); many at once all complete, each with its own bytes, and a read past the end is 0.
     */
    @Test
    void shouldWriteThroughTheWorkersAndReadARegularFileBack(@TempDir Path dir) throws Exception {
        int blocks = 64;
        try (EventLoop loop = EventLoop.open(epoll().build()); Arena arena = Arena.ofShared();
                AsyncFile f = AsyncFile.open(loop, dir.resolve("data"), StandardOpenOption.CREATE,
                        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                MemorySegment b = arena.allocate(4096);
                for (int j = 0; j < 4096; j++) {
                    b.set(JAVA_BYTE, j, (byte) (i * 31 + j));
                }
                writes.add(f.writeAll(b, (long) i * 4096));
            }
            for (CompletableFuture<Long> w : writes) {
                assertThat(await(w)).isEqualTo(4096L);
            }
            await(f.fsync());
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            List<MemorySegment> buffers = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                MemorySegment b = arena.allocate(4096);
                buffers.add(b);
                reads.add(f.read(b, (long) i * 4096));
            }
            for (int i = 0; i < blocks; i++) {
                assertThat(await(reads.get(i))).isEqualTo(4096);
                for (int j = 0; j < 4096; j++) {
                    assertThat(buffers.get(i).get(JAVA_BYTE, j)).as("block %d byte %d", i, j)
                            .isEqualTo((byte) (i * 31 + j));
                }
            }
            assertThat(await(f.read(arena.allocate(16), (long) blocks * 4096))).as("past the end").isZero();
        }
    }

    @Test
    void shouldNameTheErrnoOfARefusedConnectOnEpoll() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (EventLoop loop = EventLoop.open(epoll().build())) {
            Throwable t = failureOf(AsyncSocket.connect(loop,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            assertThat(t).isInstanceOf(RingIoException.class).hasMessageContaining("ECONNREFUSED");
        }
    }
}
