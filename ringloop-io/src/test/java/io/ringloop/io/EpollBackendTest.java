package io.ringloop.io;

import io.ringloop.Backend;
import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.binding.FeatureMask;
import io.ringloop.kernel.IoUringUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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
     * Without a buffer ring a receive reads into the socket's own buffer. An echo of a few bytes is copied into a
     * small spare and the receive keeps its buffer; a large one is sent from the buffer itself, which the write gives
     * to the loop's pool when it ends, while the receive goes on in another.
     */
    @Test
    void shouldCopySmallEchoesAndLendTheReceiveBufferToLargeOnes() throws Exception {
        try (EventLoop loop = EventLoop.open(epoll().build());
                AsyncServerSocket server = AsyncServerSocket.bind(loop,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CopyBuffers copies = LoopResources.of(loop).copies();
            // After each write: bytes echoed so far, spares of 512 bytes and of 8 KiB (read on the loop).
            BlockingQueue<long[]> afterWrites = new LinkedBlockingQueue<>();
            long[] echoed = new long[1];
            server.accept(s -> s.receive(new ReceiveHandler() {
                @Override
                public void onData(AsyncSocket socket, MemorySegment data) {
                    socket.writeAllReceived(data, null, new IoHandler<Object>() {
                        @Override
                        public void completed(long result, Object attachment) {
                            echoed[0] += result;
                            afterWrites.add(new long[] {echoed[0], copies.spare(512), copies.spare(8192)});
                        }

                        @Override
                        public void failed(RingIoException error, Object attachment) {
                            afterWrites.add(new long[] {-1, 0, 0});
                        }
                    });
                }

                @Override
                public void onEnd(AsyncSocket socket, RingIoException error) {
                    socket.close();
                }
            }));
            try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
                peer.setSoTimeout(10_000);
                long[] small = echo(peer, 512, afterWrites, 512);
                assertThat(small[1]).as("the small echo's copy, back in the pool").isEqualTo(1);
                assertThat(small[2]).as("no receive buffer was lent to a small echo").isZero();
                long[] large = echo(peer, LoopResources.LEND_MIN_BYTES * 2, afterWrites, 512 + 2048 * 2);
                assertThat(large[2]).as("the lent receive buffer, back in the pool").isGreaterThanOrEqualTo(1);
                assertThat(large[1]).as("no copy for the large echo").isEqualTo(1);
            }
        }
    }

    /** Writes {@code bytes}, reads their echo, and waits for the server's write that brought the total to it. */
    private static long[] echo(Socket peer, int bytes, BlockingQueue<long[]> afterWrites, long total)
            throws Exception {
        byte[] sent = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            sent[i] = (byte) (i * 31 + bytes);
        }
        peer.getOutputStream().write(sent);
        byte[] back = peer.getInputStream().readNBytes(bytes);
        assertThat(back).isEqualTo(sent);
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
