package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.binding.FeatureMask;
import io.ringloop.binding.KernelFeature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * File and socket I/O under each kernel profile: multishot accept and receive where the release has them, the
 * single-shot fallbacks where it does not, and {@code shutdownOutput} refused by name before 5.11.
 */
class KernelProfileIoTest {
    @BeforeAll
    static void onIoUringOnly() {
        // Each profile is a kernel ring's; the epoll backend's run (the IO_URING mask) has one release of its own.
        assumeFalse(FeatureMask.fromSystemProperty().hidesIoUring(), "io_uring hidden by the mask");
    }

    private static final long WAIT = 30;

    private static boolean atLeast(String release, String version) {
        return KernelFeature.release(release) >= KernelFeature.release(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "5.15", "5.19", "6.1", "6.6"})
    void shouldDoFileAndSocketIoUnderEveryProfile(String release, @TempDir Path dir) throws Exception {
        LoopOptions options = LoopOptions.builder().kernelProfile(release).threadName("io-" + release).build();
        try (EventLoop loop = EventLoop.open(options); Arena arena = Arena.ofShared()) {
            assertThat(KernelSupport.multishotAccept(loop)).isEqualTo(atLeast(release, "5.19"));
            assertThat(KernelSupport.multishotReceive(loop)).isEqualTo(atLeast(release, "6.0"));

            AsyncFile file = AsyncFile.open(loop, dir.resolve("f"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            MemorySegment out = arena.allocateFrom("kernel " + release);
            assertThat(file.writeAll(out, 0).get(WAIT, TimeUnit.SECONDS)).isEqualTo(out.byteSize());
            MemorySegment in = arena.allocate(out.byteSize());
            assertThat(file.read(in, 0).get(WAIT, TimeUnit.SECONDS)).isEqualTo((int) out.byteSize());
            assertThat(in.getString(0)).isEqualTo("kernel " + release);
            file.close();

            AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0));
            int clients = 3;
            int messages = 5;
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CountDownLatch ends = new CountDownLatch(clients);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            server.accept(s -> s.receive(new ReceiveHandler() {
                @Override
                public void onData(AsyncSocket socket, MemorySegment data) {
                    received.writeBytes(data.toArray(JAVA_BYTE));
                }

                @Override
                public void onEnd(AsyncSocket socket, RingIoException error) {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    socket.close();
                    ends.countDown();
                }
            }));
            List<AsyncSocket> sockets = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                AsyncSocket s = AsyncSocket.connect(loop, server.localAddress()).get(WAIT, TimeUnit.SECONDS);
                sockets.add(s);
                for (int m = 0; m < messages; m++) {
                    MemorySegment msg = arena.allocateFrom("0123456789", StandardCharsets.US_ASCII);
                    s.writeAll(msg.asSlice(0, 10)).get(WAIT, TimeUnit.SECONDS);
                }
            }
            for (AsyncSocket s : sockets) {
                CompletableFuture<Void> shut = s.shutdownOutput();
                if (atLeast(release, "5.11")) {
                    shut.get(WAIT, TimeUnit.SECONDS);
                } else {
                    assertThat(shut).failsWithin(WAIT, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                            .havingCause().isInstanceOf(UnsupportedOperationException.class)
                            .withMessageContaining("IORING_OP_SHUTDOWN (Linux 5.11+)");
                    s.close();
                }
            }
            assertThat(ends.await(WAIT, TimeUnit.SECONDS)).as("every receive saw its peer's end").isTrue();
            assertThat(failure.get()).isNull();
            assertThat(loop.submit(received::size).get(WAIT, TimeUnit.SECONDS)).as("bytes received")
                    .isEqualTo(clients * messages * 10);
            assertThat(server.acceptRearms()).as("no multishot accept ended under this light load").isZero();
            for (AsyncSocket s : sockets) {
                s.close();
            }
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "5.15", "5.19", "6.1", "6.6"})
    void shouldBatchQueuedWritesEverywhereAndSendZeroCopyFrom60(String release) throws Exception {
        LoopOptions options = LoopOptions.builder().kernelProfile(release).threadName("writes-" + release).build();
        try (EventLoop loop = EventLoop.open(options); Arena arena = Arena.ofShared();
             ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = AsyncSocket.connect(loop, ss.getLocalSocketAddress(),
                    SocketOptions.defaults().withZeroCopySendThreshold(64 << 10), 0, TimeUnit.NANOSECONDS)
                    .get(WAIT, TimeUnit.SECONDS);
            try (Socket peer = ss.accept()) {
                int big = 128 << 10;
                CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> {
                    try {
                        return peer.getInputStream().readNBytes(4 * 10 + big);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                List<CompletableFuture<Long>> writes = loop.submit(() -> {
                    List<CompletableFuture<Long>> w = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        w.add(s.writeAll(arena.allocateFrom("0123456789", StandardCharsets.US_ASCII).asSlice(0, 10)));
                    }
                    w.add(s.writeAll(arena.allocate(big)));
                    return w;
                }).get(WAIT, TimeUnit.SECONDS);
                for (CompletableFuture<Long> w : writes) {
                    w.get(WAIT, TimeUnit.SECONDS);
                }
                assertThat(got.get(WAIT, TimeUnit.SECONDS)).hasSize(4 * 10 + big);
                assertThat(loop.stats().writeBatches()).as("queued writes left together (SENDMSG, 5.3)").isPositive();
                assertThat(loop.stats().zeroCopySends() > 0).as("SEND_ZC (6.0) used under %s", release)
                        .isEqualTo(atLeast(release, "6.0"));
            }
            s.close();
        }
    }
}
