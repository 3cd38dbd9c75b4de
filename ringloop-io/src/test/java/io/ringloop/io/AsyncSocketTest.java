package io.ringloop.io;

import io.ringloop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<?> f) throws Exception {
        try {
            f.get(WAIT, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        }
        throw new AssertionError("expected a failure, got success");
    }

    @Test
    void refusedConnectNamesAddressAndErrno() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Throwable t = failureOf(AsyncSocket.connect(clientLoop, new InetSocketAddress("127.0.0.1", port)));
        assertThat(t).isInstanceOf(RingIoException.class).hasMessageContaining("connect")
                .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("ECONNREFUSED");
    }

    @Test
    void peerResetNamesEconnreset() throws Exception {
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
    void readTimesOutAndCancelLeavesTheSocketUsable() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(clientLoop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                MemorySegment buf = arena.allocate(16);
                Throwable t = failureOf(s.read(buf, 50, TimeUnit.MILLISECONDS));
                assertThat(t).isInstanceOf(IoTimeoutException.class).hasMessageContaining("50 ms")
                        .hasMessageContaining("ETIME");

                CompletableFuture<Integer> pending = s.read(buf);
                assertThat(pending.cancel(true)).isTrue();
                assertThat(failureOf(pending)).isInstanceOf(CancellationException.class);
                // The future is cancelled at once; the kernel's cancel follows on the loop. Bytes sent before it took
                // effect would go to the cancelled read, so wait until the socket has nothing in the kernel.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (await(clientLoop.submit(s::live)) > 0) {
                    assertThat(System.nanoTime()).as("the cancelled read left the kernel").isLessThan(deadline);
                }

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
    void closeCompletesInFlightOperationsWithClosedException() throws Exception {
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
    void shutdownOutputGivesThePeerEndOfStreamAndReadingGoesOn() throws Exception {
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
    void bindingABusyPortNamesEaddrinuse() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress taken = new InetSocketAddress("127.0.0.1", ss.getLocalPort());
            assertThatThrownBy(() -> AsyncServerSocket.bind(serverLoop, taken,
                    SocketOptions.DEFAULTS.withReuseAddress(false)))
                    .isInstanceOf(RingIoException.class).hasMessageContaining("EADDRINUSE")
                    .hasMessageContaining("127.0.0.1:" + ss.getLocalPort());
        }
        assertThatThrownBy(() -> AsyncServerSocket.bind(serverLoop, InetSocketAddress.createUnresolved("x", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
    }

    @Test
    void connectTimesOut() throws Exception {
        // A listener whose backlog is full and never accepts leaves SYNs unanswered.
        try (AsyncServerSocket server = AsyncServerSocket.bind(serverLoop, new InetSocketAddress("127.0.0.1", 0),
                SocketOptions.DEFAULTS.withBacklog(1))) {
            // The first connects fill the accept queue (they are closed by the loop's termination sweep).
            for (int i = 0; i < 8; i++) {
                CompletableFuture<AsyncSocket> c = AsyncSocket.connect(clientLoop, server.localAddress(),
                        SocketOptions.DEFAULTS, 200, TimeUnit.MILLISECONDS);
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
}
