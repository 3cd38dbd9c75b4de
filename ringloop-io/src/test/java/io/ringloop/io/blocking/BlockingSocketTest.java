package io.ringloop.io.blocking;

import io.ringloop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Blocking sockets on a real ring over loopback, each case beside what the JDK's own {@link SocketChannel} or
 * {@link Socket} does in it.
 */
// Many cases hold a peer open in a try-with-resources without touching it: lint's "try" would flag each one.
@SuppressWarnings("try")
class BlockingSocketTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    private EventLoop loop;
    private BlockingServerSocket server;
    private int fdsBefore;

    @BeforeEach
    void open() throws IOException {
        fdsBefore = Blocked.openFds();
        loop = EventLoop.open();
        server = BlockingServerSocket.bind(loop, ANY);
    }

    @AfterEach
    void close() {
        server.close();
        loop.close();
    }

    /** A connected pair: [client, the server's side]. */
    private BlockingSocket[] pair() throws IOException {
        BlockingSocket c = BlockingSocket.connect(loop, server.localAddress());
        return new BlockingSocket[] {c, server.accept()};
    }

    @Test
    void echoesThroughHeapAndDirectBuffersAndStreams() throws Exception {
        BlockingSocket[] p = pair();
        try (BlockingSocket c = p[0]; BlockingSocket s = p[1]) {
            assertThat(c.write(ByteBuffer.wrap("heap".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(4);
            ByteBuffer direct = ByteBuffer.allocateDirect(16);
            assertThat(s.read(direct)).isEqualTo(4);
            direct.flip();
            assertThat(s.write(direct)).isEqualTo(4);
            assertThat(direct.hasRemaining()).isFalse();
            ByteBuffer heap = ByteBuffer.allocate(16);
            assertThat(c.read(heap)).isEqualTo(4);
            assertThat(new String(heap.array(), 0, heap.position(), StandardCharsets.US_ASCII)).isEqualTo("heap");
            c.getOutputStream().write('x');
            assertThat(s.getInputStream().read()).isEqualTo('x');
            assertThat(c.remoteAddress()).isEqualTo(server.localAddress());
            assertThat(s.remoteAddress()).isEqualTo(c.localAddress());
        }
    }

    @Test
    void readReturnsMinusOneAtEndOfStreamLikeSocketChannel() throws Exception {
        BlockingSocket[] p = pair();
        try (BlockingSocket c = p[0]; BlockingSocket s = p[1]) {
            c.write(ByteBuffer.wrap(new byte[] {7}));
            c.shutdownOutput();
            ByteBuffer b = ByteBuffer.allocate(8);
            assertThat(s.read(b)).isEqualTo(1);
            assertThat(s.read(b)).isEqualTo(-1);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(s.read(ByteBuffer.allocate(0))).as("no room: 0, as SocketChannel").isZero();
        }
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(ANY);
                SocketChannel c = SocketChannel.open(ss.getLocalAddress());
                SocketChannel s = ss.accept()) {
            c.shutdownOutput();
            assertThat(s.read(ByteBuffer.allocate(8))).as("the JDK in the same case").isEqualTo(-1);
        }
    }

    @Test
    void theStreamsAvailableCountsWhatAReadReturnsWithoutWaitingLikeASocketsStream() throws Exception {
        BlockingSocket[] p = pair();
        try (BlockingSocket c = p[0]; BlockingSocket s = p[1]) {
            InputStream in = s.getInputStream();
            assertThat(in.available()).as("nothing has arrived").isZero();
            c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertThat(in.read()).isEqualTo(1);
            assertThat(in.available()).as("the rest of the same arrival").isEqualTo(2);
            assertThat(in.readNBytes(2)).containsExactly(2, 3);
            assertThat(in.available()).isZero();
            s.close();
            assertThatThrownBy(in::available).isInstanceOf(ClosedChannelException.class);
        }
        try (ServerSocket ss = new ServerSocket(0, 1, ANY.getAddress());
                Socket c = new Socket(ANY.getAddress(), ss.getLocalPort());
                Socket s = ss.accept()) {
            InputStream in = s.getInputStream();
            c.getOutputStream().write(new byte[] {1, 2, 3});
            assertThat(in.read()).isEqualTo(1);
            assertThat(in.available()).as("the JDK in the same case").isEqualTo(2);
            s.close();
            assertThatThrownBy(in::available).as("the JDK in the same case").isInstanceOf(IOException.class);
        }
    }

    @Test
    void readTimesOutLikeSocketSoTimeoutAndTheSocketStaysUsable() throws Exception {
        BlockingSocket[] p = pair();
        try (BlockingSocket c = p[0]; BlockingSocket s = p[1]) {
            s.setSoTimeout(100);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> s.read(ByteBuffer.allocate(8))).isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("read timed out");
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(90));
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(s.isOpen()).isTrue();
            c.write(ByteBuffer.wrap(new byte[] {1, 2}));
            assertThat(s.read(ByteBuffer.allocate(8))).as("no byte lost to the timeout").isEqualTo(2);
        }
        try (ServerSocket ss = new ServerSocket(0, 1, ANY.getAddress());
                Socket c = new Socket(ANY.getAddress(), ss.getLocalPort());
                Socket s = ss.accept()) {
            s.setSoTimeout(100);
            assertThatThrownBy(() -> s.getInputStream().read()).as("the JDK in the same case")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(s.isClosed()).isFalse();
        }
        assertThatThrownBy(() -> server.setSoTimeout(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void acceptTimesOut() throws Exception {
        server.setSoTimeout(50);
        assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        assertThat(server.isOpen()).isTrue();
        server.setSoTimeout(0);
        try (BlockingSocket c = BlockingSocket.connect(loop, server.localAddress());
                BlockingSocket s = server.accept()) {
            assertThat(s.isOpen()).isTrue();
        }
    }

    @Test
    void interruptedReadClosesTheSocketAndThrowsClosedByInterruptLikeSocketChannel() throws Exception {
        BlockingSocket[] p = pair();
        BlockingSocket c = p[0];
        try (BlockingSocket s = p[1]) {
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Blocked.Running r = Blocked.start(() -> {
                try {
                    return s.read(ByteBuffer.allocateDirect(64));
                } finally {
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            r.thread().interrupt();
            assertThat(r.failure()).isInstanceOf(ClosedByInterruptException.class);
            assertThat(stillInterrupted).as("the interrupt status is set again, as the JDK's").isTrue();
            assertThat(s.isOpen()).isFalse();
            assertThat(c.read(ByteBuffer.allocate(8))).as("the peer sees the close").isEqualTo(-1);
            assertThatThrownBy(() -> s.read(ByteBuffer.allocate(8))).isInstanceOf(ClosedChannelException.class);
        }
        c.close();
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(ANY);
                SocketChannel jc = SocketChannel.open(ss.getLocalAddress());
                SocketChannel js = ss.accept()) {
            Blocked.Running r = Blocked.start(() -> js.read(ByteBuffer.allocate(64)));
            r.thread().interrupt();
            assertThat(r.failure()).as("the JDK in the same case").isInstanceOf(ClosedByInterruptException.class);
            assertThat(js.isOpen()).isFalse();
        }
        server.close();
        loop.close();
        assertThat(Blocked.openFds()).as("no fd left behind").isLessThanOrEqualTo(fdsBefore);
    }

    @Test
    void aStreamReadInterruptedThrowsInterruptedIoException() throws Exception {
        BlockingSocket[] p = pair();
        try (BlockingSocket c = p[0]; BlockingSocket s = p[1]) {
            Blocked.Running r = Blocked.start(() -> s.getInputStream().read(new byte[8]));
            r.thread().interrupt();
            Throwable t = r.failure();
            assertThat(t).isInstanceOf(InterruptedIOException.class).isNotInstanceOf(SocketTimeoutException.class)
                    .hasCauseInstanceOf(ClosedByInterruptException.class);
            assertThat(s.isOpen()).isFalse();
        }
    }

    @Test
    void aCallWithTheInterruptStatusAlreadySetClosesTheSocket() throws Exception {
        BlockingSocket[] p = pair();
        try (BlockingSocket c = p[0]; BlockingSocket s = p[1]) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> s.write(ByteBuffer.allocate(4)))
                        .isInstanceOf(ClosedByInterruptException.class);
            } finally {
                assertThat(Thread.interrupted()).isTrue();
            }
            assertThat(s.isOpen()).isFalse();
        }
    }

    @Test
    void closeFromAnotherThreadWakesBlockedReaderAndAcceptorWithAsynchronousClose() throws Exception {
        BlockingSocket[] p = pair();
        BlockingSocket s = p[1];
        try (BlockingSocket c = p[0]) {
            Blocked.Running reader = Blocked.start(() -> s.read(ByteBuffer.allocate(64)));
            Blocked.Running acceptor = Blocked.start(server::accept);
            s.close();
            server.close();
            assertThat(reader.failure()).isInstanceOf(AsynchronousCloseException.class);
            assertThat(acceptor.failure()).isInstanceOf(AsynchronousCloseException.class);
            assertThatThrownBy(server::accept).isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(() -> s.write(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        }
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(ANY);
                SocketChannel jc = SocketChannel.open(ss.getLocalAddress())) {
            SocketChannel js = ss.accept();
            Blocked.Running r = Blocked.start(() -> js.read(ByteBuffer.allocate(64)));
            js.close();
            assertThat(r.failure()).as("the JDK in the same case").isInstanceOf(AsynchronousCloseException.class);
        }
    }

    @Test
    void aReaderThatFallsBehindHoldsABoundedAmountAndLosesNoByte() throws Exception {
        byte[] data = new byte[16 << 20];
        new Random(5).nextBytes(data);
        BlockingSocket[] p = pair();
        try (BlockingSocket c = p[0]; BlockingSocket s = p[1]) {
            s.setSoTimeout(10_000);   // a read that never gets its bytes fails the test instead of hanging it
            c.write(ByteBuffer.wrap(data, 0, 1));
            ByteBuffer first = ByteBuffer.allocate(1);
            assertThat(s.read(first)).as("the first read starts the receive").isEqualTo(1);
            Blocked.Running writer = Blocked.start(() -> c.write(ByteBuffer.wrap(data, 1, data.length - 1)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Inbound in = s.inbound();
            while (in.receive() != Inbound.Receive.IDLE) {
                assertThat(System.nanoTime()).as("the receive never paused for room; held %d bytes", in.held())
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            assertThat(in.held()).as("held bytes once paused: above the mark by at most what was in flight")
                    .isGreaterThan(Inbound.HIGH).isLessThanOrEqualTo(Inbound.HIGH + (4 << 20));
            CompletableFuture<byte[]> reading = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    reading.complete(s.getInputStream().readNBytes(data.length - 1));
                } catch (Throwable e) {
                    reading.completeExceptionally(e);
                }
            });
            byte[] rest = reading.get(30, TimeUnit.SECONDS);
            assertThat(writer.value()).isEqualTo(data.length - 1);
            assertThat(Arrays.equals(rest, 0, rest.length, data, 1, data.length))
                    .as("every byte, in order, across the pauses").isTrue();
        }
    }

    @Test
    void peerResetFailsTheReadWithSocketExceptionLikeSocketChannel() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, ANY.getAddress());
                BlockingSocket c = BlockingSocket.connect(loop, peer.getLocalSocketAddress())) {
            resetBy(peer.accept());
            assertThatThrownBy(() -> c.read(ByteBuffer.allocate(8))).isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset").hasMessageContaining("ECONNRESET");
        }
        try (ServerSocket peer = new ServerSocket(0, 1, ANY.getAddress());
                SocketChannel c = SocketChannel.open(peer.getLocalSocketAddress())) {
            resetBy(peer.accept());
            assertThatThrownBy(() -> c.read(ByteBuffer.allocate(8))).as("the JDK in the same case")
                    .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
        }
    }

    @Test
    void writesToAResetPeerFailWithSocketException() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, ANY.getAddress());
                BlockingSocket c = BlockingSocket.connect(loop, peer.getLocalSocketAddress())) {
            resetBy(peer.accept());
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    c.write(ByteBuffer.allocate(64 * 1024));
                }
            }).isInstanceOf(SocketException.class).hasMessageMatching("(?s).*(ECONNRESET|EPIPE).*");
        }
    }

    private static void resetBy(Socket accepted) throws IOException {
        accepted.setSoLinger(true, 0);
        accepted.close();
    }

    @Test
    void writeSendsEveryByteLikeABlockingSocketChannel() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(3).nextBytes(data);
        BlockingSocket[] p = pair();
        try (BlockingSocket c = p[0]; BlockingSocket s = p[1]) {
            Blocked.Running reader = Blocked.start(() -> s.getInputStream().readNBytes(data.length));
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
            ByteBuffer heap = ByteBuffer.wrap(data);
            assertThat(c.write(direct)).as("all of a direct buffer").isEqualTo(data.length);
            assertThat(reader.value()).isEqualTo(data);
            reader = Blocked.start(() -> s.getInputStream().readNBytes(data.length));
            assertThat(c.write(heap)).as("all of a heap buffer").isEqualTo(data.length);
            assertThat(heap.hasRemaining()).isFalse();
            assertThat(reader.value()).isEqualTo(data);
        }
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(ANY);
                SocketChannel jc = SocketChannel.open(ss.getLocalAddress());
                SocketChannel js = ss.accept()) {
            Blocked.Running reader = Blocked.start(() -> js.socket().getInputStream().readNBytes(data.length));
            assertThat(jc.write(ByteBuffer.wrap(data))).as("the JDK in the same case").isEqualTo(data.length);
            assertThat(reader.value()).isEqualTo(data);
        }
    }

    @Test
    void aWriteInterruptedPartWayLeavesThePeerAPrefixAndClosesTheSocket() throws Exception {
        byte[] data = new byte[32 << 20];
        new Random(4).nextBytes(data);
        BlockingSocket[] p = pair();
        try (BlockingSocket c = p[0]; BlockingSocket s = p[1]) {
            // Nobody reads yet: the write fills the socket buffers and parks.
            ByteBuffer src = ByteBuffer.allocateDirect(data.length).put(data).flip();
            Blocked.Running writer = Blocked.start(() -> c.write(src));
            writer.thread().interrupt();
            assertThat(writer.failure()).isInstanceOf(ClosedByInterruptException.class);
            assertThat(c.isOpen()).isFalse();
            byte[] got = s.getInputStream().readAllBytes();
            assertThat(got.length).isGreaterThan(0).isLessThan(data.length);
            assertThat(got).isEqualTo(Arrays.copyOf(data, got.length));
        }
    }

    @Test
    void connectRefusedIsAConnectExceptionLikeTheJdks() throws Exception {
        InetSocketAddress closed = server.localAddress();
        server.close();
        assertThatThrownBy(() -> BlockingSocket.connect(loop, closed)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("ECONNREFUSED");
        assertThatThrownBy(() -> SocketChannel.open(closed)).as("the JDK in the same case")
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aBlockingCallOnTheLoopThreadIsRefused() throws Exception {
        BlockingSocket[] p = pair();
        try (BlockingSocket c = p[0]; BlockingSocket s = p[1]) {
            Throwable t = loop.submit(() -> s.read(ByteBuffer.allocate(8))).handle((v, e) -> e)
                    .get(10, TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("would wait for itself");
            assertThat(s.isOpen()).isTrue();
        }
    }
}
