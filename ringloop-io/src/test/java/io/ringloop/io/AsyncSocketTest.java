package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.LoopStats;
import io.ringloop.QueueFullPolicy;
import io.ringloop.binding.Errno;
import io.ringloop.binding.RegisterOp;
import io.ringloop.binding.SyscallLayer;
import io.ringloop.internal.LoopInternals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.ringloop.io.Futures.await;
import static io.ringloop.io.Futures.failureOf;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AsyncSocketTest {
    private static final long WAIT = 60;
    private EventLoop serverLoop;
    private EventLoop clientLoop;

    @BeforeEach
    void open() {
        serverLoop = EventLoop.open();
        clientLoop = EventLoop.open();
    }

    @AfterEach
    void close() {
        clientLoop.close();
        serverLoop.close();
    }

    @Test
    void shouldNameAddressAndErrnoForARefusedConnect() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Throwable t = failureOf(AsyncSocket.connect(clientLoop, new InetSocketAddress("127.0.0.1", port)));
        assertThat(t).isInstanceOf(RingIoException.class).hasMessageContaining("connect")
                .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("ECONNREFUSED");
    }

    @Test
    void shouldNameEconnresetWhenThePeerResets() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept()) {
                peer.setSoLinger(true, 0); // close sends RST
            }
            try (Arena arena = Arena.ofShared()) {
                Throwable t = failureOf(s.read(arena.allocate(16)));
                assertThat(t).isInstanceOf(RingIoException.class).hasMessageContaining("ECONNRESET")
                        .hasMessageContaining("read");
                // Writing on after the reset fails too, with EPIPE or ECONNRESET, never a signal.
                Throwable w = failureOf(s.writeAll(arena.allocate(1 << 20)));
                assertThat(((RingIoException) w).errnoName()).isIn("EPIPE", "ECONNRESET");
            }
            s.close();
        }
    }

    @Test
    void shouldTimeOutAReadAndLeaveTheSocketUsableAfterACancel() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                MemorySegment buf = arena.allocate(16);
                Throwable t = failureOf(s.read(buf, 50, TimeUnit.MILLISECONDS));
                assertThat(t).isInstanceOf(IoTimeoutException.class).hasMessageContaining("50 ms")
                        .hasMessageContaining("ETIME");

                CompletableFuture<Integer> pending = s.read(buf);
                // From another thread the cancel is only requested: the loop and then the kernel have the last word.
                assertThat(pending.cancel(true)).isFalse();
                assertThat(failureOf(pending)).isInstanceOf(CancellationException.class);
                assertThat(pending.isCancelled()).isTrue();
                // Reported cancelled only once the kernel let go of the read: nothing of the socket is left there.
                assertThat(await(clientLoop.submit(s::live))).isZero();

                peer.getOutputStream().write("after".getBytes());
                peer.getOutputStream().flush();
                int n = await(s.read(buf));
                assertThat(buf.asSlice(0, n).toArray(JAVA_BYTE)).isEqualTo("after".getBytes());
                assertThat(s.remoteAddress()).isEqualTo(peer.getLocalSocketAddress());
            }
            s.close();
        }
    }

    @Test
    void shouldNotReportACancelledReadBeforeTheKernelLetGoOfIt() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                MemorySegment buf = arena.allocate(16);
                CompletableFuture<CompletableFuture<Integer>> read = new CompletableFuture<>();
                boolean[] onLoop = await(clientLoop.submit(() -> {
                    CompletableFuture<Integer> f = s.read(buf);
                    read.complete(f);
                    boolean cancelled = f.cancel(true);
                    return new boolean[] {cancelled, f.isDone()};
                }));
                assertThat(onLoop).as("cancel() of a read the kernel has, and isDone() right after it")
                        .containsExactly(false, false);
                assertThat(failureOf(await(read))).isInstanceOf(CancellationException.class);
                assertThat(await(clientLoop.submit(s::live))).as("requests of the socket in the kernel").isZero();
                peer.getOutputStream().write("next".getBytes());
                int n = await(s.read(buf));
                assertThat(buf.asSlice(0, n).toArray(JAVA_BYTE)).isEqualTo("next".getBytes());
            }
            s.close();
        }
    }

    @Test
    void shouldCancelAtOnceAReadThatHasNotReachedTheKernel() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                MemorySegment buf = arena.allocate(16);
                CompletableFuture<CompletableFuture<Integer>> started = new CompletableFuture<>();
                // The loop is held in this task while the read's hop waits behind it, so the read is cancelled
                // before it reaches the loop, let alone the kernel.
                CompletableFuture<boolean[]> onLoop = clientLoop.submit(() -> {
                    CompletableFuture<Integer> f = started.get(WAIT, TimeUnit.SECONDS);
                    boolean cancelled = f.cancel(true);
                    return new boolean[] {cancelled, f.isCancelled()};
                });
                CompletableFuture<Integer> read = s.read(buf);
                started.complete(read);
                assertThat(await(onLoop)).as("cancel() and isCancelled() of a read still on its way to the loop")
                        .containsExactly(true, true);
                assertThat(await(clientLoop.submit(s::live))).as("requests of the socket in the kernel").isZero();
                peer.getOutputStream().write("kept".getBytes());
                int n = await(s.read(buf));
                assertThat(buf.asSlice(0, n).toArray(JAVA_BYTE)).isEqualTo("kept".getBytes());
            }
            s.close();
        }
    }

    @Test
    void shouldNeverSendAWriteCancelledWhileItWaitedBehindAnother() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT));
                // More than loopback's socket buffers hold while the peer does not read: the kernel keeps this one.
                int big = 32 << 20;
                CompletableFuture<Long> first = s.writeAll(arena.allocate(big));
                boolean[] onLoop = await(clientLoop.submit(() -> {
                    CompletableFuture<Integer> f = s.write(ByteBuffer.wrap("X".getBytes()));
                    boolean cancelled = f.cancel(true);
                    return new boolean[] {cancelled, f.isCancelled()};
                }));
                assertThat(onLoop).as("cancel() and isCancelled() of a queued write, on the loop thread")
                        .containsExactly(true, true);
                CompletableFuture<Integer> second = s.write(ByteBuffer.wrap("Y".getBytes()));
                second.cancel(true);
                assertThat(failureOf(second)).isInstanceOf(CancellationException.class);
                CompletableFuture<Long> third = s.writeAll(ByteBuffer.wrap("Z".getBytes()));

                byte[] got = peer.getInputStream().readNBytes(big + 1);
                assertThat(await(first)).isEqualTo(big);
                assertThat(await(third)).isEqualTo(1);
                await(s.shutdownOutput());
                assertThat(got).hasSize(big + 1);
                assertThat(got[big]).as("the byte after the first write").isEqualTo((byte) 'Z');
                for (int i = 0; i < big; i++) {
                    if (got[i] != 0) {
                        throw new AssertionError("byte " + i + " of the first write is " + (char) got[i]);
                    }
                }
                assertThat(peer.getInputStream().read()).as("nothing after the last write").isEqualTo(-1);
            }
            s.close();
        }
    }

    @Test
    void shouldFailLaterWritesOnceAWriteAllTimedOutPartWay() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket _ = ss.accept(); Arena arena = Arena.ofShared()) {
                // The peer does not read: the kernel takes a few MiB of this, then the rest waits until the timeout.
                CompletableFuture<Long> truncated = s.writeAll(arena.allocate(64 << 20), 300, TimeUnit.MILLISECONDS);
                CompletableFuture<Integer> queued = s.write(ByteBuffer.wrap("queued".getBytes()));
                assertThat(failureOf(truncated)).isInstanceOf(IoTimeoutException.class);
                Throwable q = failureOf(queued);
                assertThat(q).as("a write queued behind the truncated writeAll").isInstanceOf(RingIoException.class)
                        .hasMessageContaining("writeAll stopped after").hasCauseInstanceOf(IoTimeoutException.class);
                assertThat(((RingIoException) q).errnoName()).isEqualTo("ETIME");
                Throwable later = failureOf(s.writeAll(ByteBuffer.wrap("later".getBytes())));
                assertThat(later).as("a write started after it").hasMessageContaining("writeAll stopped after")
                        .hasCauseInstanceOf(IoTimeoutException.class);
            }
            s.close();
        }
    }

    @Test
    void shouldSendWritesInCallOrderWhenTheLoopThreadCallsAfterAnotherThread() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept()) {
                peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT));
                CountDownLatch firstCalled = new CountDownLatch(1);
                // The loop thread is busy in this task while another thread calls the first write (its hop waits in
                // the loop's queue); then, strictly after that call, the loop thread calls the second.
                CompletableFuture<CompletableFuture<Long>> second = clientLoop.submit(() -> {
                    firstCalled.await();
                    return s.writeAll(ByteBuffer.wrap("B".getBytes()));
                });
                CompletableFuture<Long> first = s.writeAll(ByteBuffer.wrap("A".getBytes()));
                firstCalled.countDown();
                await(first);
                await(await(second));
                byte[] got = peer.getInputStream().readNBytes(2);
                assertThat(new String(got)).as("bytes in the order the writes were called").isEqualTo("AB");
            }
            s.close();
        }
    }

    @Test
    void shouldNotReportCancelledAWriteAllCancelledAfterPartOfItWasSent() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT));
                // More than the socket buffers hold while the peer reads one byte: part of it leaves, the rest waits.
                CompletableFuture<Long> all = s.writeAll(arena.allocate(64 << 20));
                assertThat(peer.getInputStream().read()).as("a first byte of the writeAll arrived").isZero();
                all.cancel(true);
                Throwable t = failureOf(all);
                assertThat(all.isCancelled()).as("a writeAll of which bytes arrived is not cancelled").isFalse();
                assertThat(t).isInstanceOf(RingIoException.class).isNotInstanceOf(IoCancelledException.class)
                        .hasMessageContaining("cancelled after").hasCauseInstanceOf(IoCancelledException.class);
                Throwable later = failureOf(s.writeAll(ByteBuffer.wrap("later".getBytes())));
                assertThat(later).as("a write after the truncated one").hasMessageContaining("writeAll stopped after");
            }
            s.close();
        }
    }

    @Test
    void shouldNeverCompleteAWriteAllWithFewerBytesWhenTheLoopClosesPartWay() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT));
                int size = 64 << 20;
                CompletableFuture<Long> all = s.writeAll(arena.allocate(size));
                InputStream in = peer.getInputStream();
                assertThat(in.read()).as("the first byte: the kernel has the writeAll").isZero();
                CountDownLatch peerRead = new CountDownLatch(1);
                // Holds the loop while the peer makes room, so that the kernel's next partial send is answered
                // after the loop began to close.
                CompletableFuture<Void> closing = clientLoop.submit(() -> {
                    assertThat(peerRead.await(WAIT, TimeUnit.SECONDS)).as("the peer read").isTrue();
                    clientLoop.close();
                    return null;
                });
                byte[] b = new byte[1 << 20];
                do {
                    assertThat(in.read(b)).isPositive();
                } while (in.available() > 0);
                peerRead.countDown();
                await(closing);
                assertThat(failureOf(all)).isInstanceOf(IoClosedException.class);
            }
            s.close();
        }
    }

    @Test
    void shouldCloseTheFdWhenAHandlerStartsAnotherReadAndThenCloses() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT));
                MemorySegment buf = arena.allocate(16);
                CompletableFuture<Long> first = new CompletableFuture<>();
                CompletableFuture<RingIoException> second = new CompletableFuture<>();
                IoHandler<Void> secondRead = new IoHandler<>() {
                    @Override
                    public void completed(long result, Void a) {
                        second.completeExceptionally(new AssertionError("the second read got " + result));
                    }

                    @Override
                    public void failed(RingIoException error, Void a) {
                        second.complete(error);
                    }
                };
                IoHandler<Void> firstRead = new IoHandler<>() {
                    @Override
                    public void completed(long result, Void a) {
                        first.complete(result);
                        // On the loop thread: this read takes the operation the first one just finished with.
                        s.read(buf, 0, TimeUnit.NANOSECONDS, null, secondRead);
                        s.close();
                    }

                    @Override
                    public void failed(RingIoException error, Void a) {
                        first.completeExceptionally(error);
                    }
                };
                clientLoop.execute(() -> s.read(buf, 0, TimeUnit.NANOSECONDS, null, firstRead));
                peer.getOutputStream().write(1);
                assertThat(await(first)).isEqualTo(1);
                assertThat(await(second)).as("the second read, cancelled by the close")
                        .isInstanceOf(IoClosedException.class);
                await(s.closeAsync());
                assertThat(peer.getInputStream().read()).as("the peer sees the fd closed").isEqualTo(-1);
            }
        }
    }

    @Test
    void shouldRefuseASecondReceiveToItsCallerOnAnyThread() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept()) {
                CompletableFuture<String> got = new CompletableFuture<>();
                CompletableFuture<RingIoException> ended = new CompletableFuture<>();
                s.receive(receiver(got, ended));
                CompletableFuture<String> secondGot = new CompletableFuture<>();
                ReceiveHandler second = receiver(secondGot, new CompletableFuture<>());
                assertThatThrownBy(() -> s.receive(second)).as("from another thread")
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
                Throwable onLoop = await(clientLoop.submit(() -> {
                    try {
                        s.receive(second);
                        return null;
                    } catch (IllegalStateException e) {
                        return e;
                    }
                }));
                assertThat(onLoop).as("on the loop thread").isInstanceOf(IllegalStateException.class);
                peer.getOutputStream().write("hi".getBytes());
                assertThat(await(got)).isEqualTo("hi");
                LoopStats stats = clientLoop.stats();
                assertThat(stats.receives()).as("receive CQEs with data, counted before the handler ran")
                        .isPositive();
                assertThat(stats.receiveNoBuffers()).as("ENOBUFS re-arms are re-arms")
                        .isLessThanOrEqualTo(stats.receiveRearms());
                assertThat(secondGot).isNotDone();
                s.stopReceiving();
                assertThat(await(ended)).isInstanceOf(IoCancelledException.class);

                CompletableFuture<String> again = new CompletableFuture<>();
                s.receive(receiver(again, new CompletableFuture<>()));
                peer.getOutputStream().write("again".getBytes());
                assertThat(await(again)).as("a receive started after the first ended").isEqualTo("again");
            }
            s.close();
        }
    }

    @Test
    void shouldRefuseASecondMultishotAcceptToItsCaller() throws Exception {
        try (AsyncServerSocket server = AsyncServerSocket.bind(serverLoop, new InetSocketAddress("127.0.0.1", 0))) {
            CompletableFuture<AsyncSocket> accepted = new CompletableFuture<>();
            server.accept(accepted::complete);
            assertThatThrownBy(() -> server.accept(s -> { })).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already accepting");
            AsyncSocket c = await(AsyncSocket.connect(clientLoop, server.localAddress()));
            await(accepted).close();
            c.close();
        }
    }

    @Test
    void shouldEndAReceiveWhoseBuffersCannotBeRegisteredAndLetTheNextOneTry() throws Exception {
        SyscallLayer noBufferRing = new SyscallLayer() {
            @Override
            public long ioUringRegister(int ringFd, int opcode, long arg, int count) {
                return opcode == RegisterOp.REGISTER_PBUF_RING ? -Errno.ENOMEM
                        : SyscallLayer.NATIVE.ioUringRegister(ringFd, opcode, arg, count);
            }
        };
        try (EventLoop loop = EventLoop.open(LoopInternals.syscalls(LoopOptions.builder(), noBufferRing).build());
                ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assumeTrue(KernelSupport.multishotReceive(loop),
                    "before 6.0 (or under such a kernel profile) receive() registers no buffer ring: nothing to fail");
            AsyncSocket s = await(AsyncSocket.connect(loop, ss.getLocalSocketAddress()));
            try (Socket _ = ss.accept()) {
                for (int attempt = 1; attempt <= 2; attempt++) {
                    CompletableFuture<RingIoException> ended = new CompletableFuture<>();
                    s.receive(receiver(new CompletableFuture<>(), ended));
                    assertThat(await(ended)).as("attempt %d", attempt).isNotNull()
                            .hasMessageContaining("ENOMEM").hasMessageContaining("receive buffers");
                }
            }
            s.close();
        }
    }

    private static ReceiveHandler receiver(CompletableFuture<String> got, CompletableFuture<RingIoException> ended) {
        return new ReceiveHandler() {
            @Override
            public void onData(AsyncSocket socket, MemorySegment data) {
                got.complete(new String(data.toArray(JAVA_BYTE)));
            }

            @Override
            public void onEnd(AsyncSocket socket, RingIoException error) {
                ended.complete(error);
            }
        };
    }

    @Test
    void shouldRejectAnEmptyOrReadOnlyReadBufferAtTheCall() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                assertThatThrownBy(() -> s.read(arena.allocate(0)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty")
                        .hasMessageContaining("end of stream");
                assertThatThrownBy(() -> s.read(ByteBuffer.allocate(8).position(8)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no room");
                MemorySegment readOnly = arena.allocate(8).asReadOnly();
                assertThatThrownBy(() -> s.read(readOnly))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
                assertThatThrownBy(() -> s.read(readOnly, 0, TimeUnit.NANOSECONDS, null, new IoHandler<Object>() {
                    @Override
                    public void completed(long result, Object attachment) {
                    }

                    @Override
                    public void failed(RingIoException error, Object attachment) {
                    }
                })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
                peer.getOutputStream().write("ok".getBytes());
                MemorySegment dst = arena.allocate(8);
                int n = await(s.read(dst));
                assertThat(dst.asSlice(0, n).toArray(JAVA_BYTE)).isEqualTo("ok".getBytes());
            }
            s.close();
        }
    }

    @Test
    void shouldCompleteInFlightOperationsWithClosedExceptionOnClose() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                CompletableFuture<Integer> r1 = s.read(arena.allocate(16));
                CompletableFuture<Void> closed = s.closeAsync();
                assertThat(failureOf(r1)).isInstanceOf(IoClosedException.class).hasMessageContaining("closed");
                await(closed);
                assertThat(s.isOpen()).isFalse();
                assertThat(failureOf(s.read(ByteBuffer.allocateDirect(4)))).isInstanceOf(IoClosedException.class);
                // the peer sees end of stream
                assertThat(peer.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void shouldGiveThePeerEndOfStreamOnShutdownOutputAndKeepReading() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                await(s.writeAll(ByteBuffer.wrap("bye".getBytes())));
                await(s.shutdownOutput());
                assertThat(peer.getInputStream().readAllBytes()).isEqualTo("bye".getBytes());
                peer.getOutputStream().write(1);
                peer.shutdownOutput();
                MemorySegment b = arena.allocate(4);
                assertThat(await(s.read(b))).isEqualTo(1);
                assertThat(await(s.read(b))).isZero();
            }
            s.close();
        }
    }

    @Test
    void shouldNameEaddrinuseWhenBindingABusyPort() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress taken = new InetSocketAddress("127.0.0.1", ss.getLocalPort());
            assertThatThrownBy(() -> AsyncServerSocket.bind(serverLoop, taken,
                    SocketOptions.defaults().withReuseAddress(false)))
                    .isInstanceOf(RingIoException.class).hasMessageContaining("EADDRINUSE")
                    .hasMessageContaining("127.0.0.1:" + ss.getLocalPort());
        }
        assertThatThrownBy(() -> AsyncServerSocket.bind(serverLoop, InetSocketAddress.createUnresolved("x", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
    }

    @Test
    void shouldTimeOutAConnect() throws Exception {
        // A listener whose backlog is full and never accepts leaves SYNs unanswered.
        try (AsyncServerSocket server = AsyncServerSocket.bind(serverLoop, new InetSocketAddress("127.0.0.1", 0),
                SocketOptions.defaults().withBacklog(1))) {
            // The first connects fill the accept queue (they are closed by the loop's termination sweep).
            for (int i = 0; i < 8; i++) {
                CompletableFuture<AsyncSocket> c = AsyncSocket.connect(clientLoop, server.localAddress(),
                        SocketOptions.defaults(), 200, TimeUnit.MILLISECONDS);
                try {
                    await(c);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(IoTimeoutException.class).hasMessageContaining("connect");
                    return;
                }
            }
            throw new AssertionError("no connect timed out against a full backlog");
        }
    }

    @Test
    void shouldCancelAndCloseThroughAFullBoundedQueueAndSayFullWhenAnOperationCannotHop() throws Exception {
        try (EventLoop loop = EventLoop.open(LoopOptions.builder().boundedQueue(2)
                .queueFullPolicy(QueueFullPolicy.REJECT).build());
                ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(loop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept()) {
                CompletableFuture<Integer> pending = s.read(ByteBuffer.allocateDirect(16));
                await(loop.submit(() -> null));
                CountDownLatch release = new CountDownLatch(1);
                CountDownLatch blocked = new CountDownLatch(1);
                loop.execute(() -> {
                    blocked.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertThat(blocked.await(WAIT, TimeUnit.SECONDS)).isTrue();
                loop.execute(() -> { });
                loop.execute(() -> { });
                // The queue is full: a new operation cannot hop, and says so (not "closed").
                CompletableFuture<Integer> refused = s.read(ByteBuffer.allocateDirect(16));
                assertThatThrownBy(() -> refused.get(WAIT, TimeUnit.SECONDS)).cause()
                        .isInstanceOf(RingIoException.class).isNotInstanceOf(IoClosedException.class)
                        .hasMessageContaining("EAGAIN").hasMessageContaining("full");
                // A cancel and a close still get through.
                assertThat(pending.cancel(true)).as("in the kernel: completes later").isFalse();
                CompletableFuture<Void> closed = s.closeAsync();
                release.countDown();
                assertThatThrownBy(() -> pending.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
                closed.get(WAIT, TimeUnit.SECONDS);
                assertThat(loop.isClosed()).as("the close did not wait for the loop's end").isFalse();
                assertThat(peer.getInputStream().read()).as("the peer sees the close").isEqualTo(-1);
            }
        }
    }
}
