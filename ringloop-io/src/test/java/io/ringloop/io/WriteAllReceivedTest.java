package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.LoopStats;
import io.ringloop.binding.FeatureMask;
import io.ringloop.binding.KernelFeature;
import io.ringloop.internal.LoopInternals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.ringloop.io.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Received bytes sent on from the provided buffer they arrived in, which the kernel gets back only afterwards. */
class WriteAllReceivedTest {
    private static final int PERIOD = 251;
    private EventLoop loop;
    private AsyncServerSocket server;
    private final List<Throwable> handlerErrors = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        loop = EventLoop.open();
        server = AsyncServerSocket.bind(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() {
        server.close();
        loop.close();
    }

    /** An echo server whose handler copies each arrival (its buffers go back to the kernel at once). */
    private void serveCopyingEcho() {
        server.accept(s -> s.receive(new ReceiveHandler() {
            @Override
            public void onData(AsyncSocket socket, MemorySegment data) {
                MemorySegment copy = Arena.ofAuto().allocate(data.byteSize());
                MemorySegment.copy(data, 0, copy, 0, data.byteSize());
                socket.writeAll(copy, 0, TimeUnit.NANOSECONDS, null, failures());
            }

            @Override
            public void onEnd(AsyncSocket socket, RingIoException error) {
                socket.shutdownOutput().whenComplete((v, t) -> socket.close());
            }
        }));
    }

    /** An echo server whose handler sends each arrival from its receive buffer, or a slice of it in two writes. */
    private void serveEcho(boolean inTwoSlices) {
        server.accept(s -> s.receive(new ReceiveHandler() {
            @Override
            public void onData(AsyncSocket socket, MemorySegment data) {
                if (inTwoSlices && data.byteSize() > 1) {
                    long half = data.byteSize() / 2;
                    socket.writeAllReceived(data.asSlice(0, half), null, failures());
                    socket.writeAllReceived(data.asSlice(half), null, failures());
                } else {
                    socket.writeAllReceived(data, null, failures());
                }
            }

            @Override
            public void onEnd(AsyncSocket socket, RingIoException error) {
                // after the echoes still queued: the shutdown follows the writes called before it
                socket.shutdownOutput().whenComplete((v, t) -> socket.close());
            }
        }));
    }

    private IoHandler<Object> failures() {
        return new IoHandler<>() {
            @Override
            public void completed(long result, Object attachment) {
            }

            @Override
            public void failed(RingIoException error, Object attachment) {
                synchronized (handlerErrors) {
                    handlerErrors.add(error);
                }
            }
        };
    }

    /**
     * Streams {@code bytes} of a pattern through the echo on several connections at once, each read back by a reader
     * that takes small reads (so the server's writes wait and hold their buffers while more arrives), and checks every
     * byte.
     */
    private void streamThroughEcho(int connections, int bytes) throws Exception {
        List<CompletableFuture<Long>> checked = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int c = 0; c < connections; c++) {
                Socket sock = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort());
                sock.setSoTimeout((int) TimeUnit.SECONDS.toMillis(60));
                sockets.add(sock);
                int offset = c * 7;
                CompletableFuture<Long> done = new CompletableFuture<>();
                checked.add(done);
                Thread.ofPlatform().start(() -> {
                    try {
                        // Not closed when done: closing a socket's stream closes the socket; the output is shut down.
                        OutputStream out = sock.getOutputStream();
                        byte[] chunk = new byte[16 << 10];
                        for (long sent = 0; sent < bytes; sent += chunk.length) {
                            for (int i = 0; i < chunk.length; i++) {
                                chunk[i] = (byte) ((offset + sent + i) % PERIOD);
                            }
                            out.write(chunk, 0, (int) Math.min(chunk.length, bytes - sent));
                        }
                        sock.shutdownOutput();
                    } catch (IOException e) {
                        done.completeExceptionally(e);
                    }
                });
                Thread.ofPlatform().start(() -> {
                    try {
                        InputStream in = sock.getInputStream();
                        byte[] small = new byte[1024];
                        long at = 0;
                        for (int n; (n = in.read(small)) >= 0; ) {
                            for (int i = 0; i < n; i++, at++) {
                                if (small[i] != (byte) ((offset + at) % PERIOD)) {
                                    throw new IOException("byte " + at + " of the echo is " + small[i] + ", sent "
                                            + (byte) ((offset + at) % PERIOD) + ": a receive wrote over a buffer a "
                                            + "write still held");
                                }
                            }
                        }
                        done.complete(at);
                    } catch (IOException e) {
                        done.completeExceptionally(e);
                    }
                });
            }
            for (CompletableFuture<Long> f : checked) {
                assertThat(await(f, "an echo stream")).as("bytes echoed").isEqualTo(bytes);
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertThat(handlerErrors).as("writes that failed").isEmpty();
        // The streams ended; every write has ended with them, so no buffer may still be out of the kernel's pool.
        // A loop without a buffer ring (the epoll backend, kernels before 5.19) copies instead of holding.
        assertThat(await(loop.submit(() -> {
            HeldBuffers held = LoopResources.of(loop).held();
            return held == null ? 0 : held.held();
        }))).as("buffers still held").isZero();
    }

    @Test
    void shouldEchoEveryByteFromTheBuffersItArrivedInWhileTheirWritesWait() throws Exception {
        serveEcho(false);
        streamThroughEcho(4, 8 << 20);
    }

    @Test
    void shouldEchoEveryByteThroughACopyingHandler() throws Exception {
        // Buffers go back while a bundle's others are handed over, and CQEs of several sockets interleave: the soak
        // found a bundle mapped to the wrong buffers here when they were found by ring position.
        serveCopyingEcho();
        streamThroughEcho(6, 4 << 20);
    }

    @Test
    void shouldHoldOneBufferForTwoWritesOfItsHalves() throws Exception {
        serveEcho(true);
        streamThroughEcho(2, 4 << 20);
    }

    @Test
    void shouldDeliverEveryBufferOfABundleAndTakeOneBufferPerReceiveUnderTheMask() throws Exception {
        for (String mask : new String[] {"", "RECVSEND_BUNDLE"}) {
            close();
            LoopOptions.Builder b = LoopOptions.builder();
            LoopInternals.featureMask(b, FeatureMask.parse(mask));
            loop = EventLoop.open(b.build());
            server = AsyncServerSocket.bind(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            serveEcho(false);
            streamThroughEcho(2, 4 << 20);
            LoopStats st = loop.stats();
            assertThat(st.receiveBuffers()).as("buffers filled, mask '%s'", mask).isPositive();
            if (mask.isEmpty() && LoopInternals.supports(loop, KernelFeature.RECVSEND_BUNDLE)) {
                assertThat(st.receiveBuffers()).as("buffers filled against receive CQEs (bundles)")
                        .isGreaterThan(st.receives());
            } else {
                assertThat(st.receiveBuffers()).as("one buffer per receive CQE").isEqualTo(st.receives());
            }
        }
    }

    @Test
    void shouldCopyBytesThatAreNotAReceiveInProgress() throws Exception {
        serveEcho(false);
        try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort());
             Arena arena = Arena.ofShared()) {
            peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(60));
            peer.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(peer.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
            AsyncSocket client = await(AsyncSocket.connect(loop, server.localAddress()));
            // from the test thread, with memory of its own: copied first, then sent (the caller may free it at once)
            MemorySegment mine = arena.allocateFrom("not received", StandardCharsets.US_ASCII);
            assertThat(await(client.writeAllReceived(mine.asSlice(0, 12)))).isEqualTo(12);
            client.close();
        }
    }
}
