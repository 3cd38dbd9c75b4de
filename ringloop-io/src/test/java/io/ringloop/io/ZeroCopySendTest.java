package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.LoopStats;
import io.ringloop.binding.FeatureMask;
import io.ringloop.binding.KernelFeature;
import io.ringloop.internal.LoopInternals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.ringloop.io.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Writes at or above SocketOptions.zeroCopySendThreshold go out with SEND_ZC and end at the kernel's notification. */
class ZeroCopySendTest {
    private static final int THRESHOLD = 64 << 10;
    private EventLoop loop;

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
    }

    /** Reads everything on a thread of its own, 1 KiB at a time (slowly, so that sends wait in the socket buffers). */
    private static CompletableFuture<byte[]> slowDrain(Socket peer, int expected) {
        CompletableFuture<byte[]> all = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            byte[] got = new byte[expected];
            int at = 0;
            try {
                InputStream in = peer.getInputStream();
                for (int n; at < expected && (n = in.read(got, at, Math.min(1024, expected - at))) >= 0; ) {
                    at += n;
                }
                all.complete(at == expected ? got : Arrays.copyOf(got, at));
            } catch (IOException e) {
                all.completeExceptionally(e);
            }
        });
        return all;
    }

    private AsyncSocket connect(ServerSocket ss) throws Exception {
        return await(AsyncSocket.connect(loop, ss.getLocalSocketAddress(),
                SocketOptions.defaults().withZeroCopySendThreshold(THRESHOLD), 0, TimeUnit.NANOSECONDS));
    }

    @Test
    void shouldEndAZeroCopyWriteOnlyWhenTheKernelNoLongerReadsItsBuffer() throws Exception {
        loop = EventLoop.open();
        assumeTrue(LoopInternals.supports(loop, KernelFeature.SEND_ZC), "SEND_ZC needs 6.0");
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Arena arena = Arena.ofShared()) {
            AsyncSocket s = connect(ss);
            try (Socket peer = ss.accept()) {
                int size = 8 << 20;
                MemorySegment buf = arena.allocate(size);
                buf.fill((byte) 'A');
                CompletableFuture<byte[]> got = slowDrain(peer, size);
                CompletableFuture<long[]> ended = new CompletableFuture<>();
                s.writeAll(buf, 0, TimeUnit.NANOSECONDS, null, new IoHandler<Object>() {
                    @Override
                    public void completed(long result, Object attachment) {
                        // on the loop thread, as the write ends: every send it made has had its notification
                        LoopStats st = loop.stats();
                        ended.complete(new long[] {result, st.zeroCopySends(), st.zeroCopyNotifications()});
                    }

                    @Override
                    public void failed(RingIoException error, Object attachment) {
                        ended.completeExceptionally(error);
                    }
                });
                long[] atEnd = await(ended);
                assertThat(atEnd[0]).isEqualTo(size);
                assertThat(atEnd[1]).as("SEND_ZC requests").isPositive();
                assertThat(atEnd[2]).as("their notifications when the write ended").isEqualTo(atEnd[1]);
                // Ended: the buffer is the caller's again, and whatever it writes now must not reach the peer.
                buf.fill((byte) 'B');
                byte[] stream = await(got);
                assertThat(stream.length).isEqualTo(size);
                for (int i = 0; i < size; i++) {
                    if (stream[i] != 'A') {
                        throw new AssertionError("byte " + i + " reached the peer as '" + (char) stream[i]
                                + "', written into the buffer after its write had ended");
                    }
                }
                assertThat(loop.stats().zeroCopySends()).as("SEND_ZC requests").isPositive();
            }
            s.close();
        }
    }

    @Test
    void shouldCopyWritesBelowTheThresholdAndAllWritesWhenSendZcIsMasked() throws Exception {
        for (String mask : new String[] {"", "SEND_ZC"}) {
            LoopOptions.Builder b = LoopOptions.builder();
            LoopInternals.featureMask(b, FeatureMask.parse(mask));
            loop = EventLoop.open(b.build());
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 Arena arena = Arena.ofShared()) {
                AsyncSocket s = connect(ss);
                try (Socket peer = ss.accept()) {
                    int size = mask.isEmpty() ? THRESHOLD - 1 : 4 * THRESHOLD;
                    MemorySegment buf = arena.allocate(size);
                    buf.fill((byte) 'C');
                    CompletableFuture<byte[]> got = slowDrain(peer, size);
                    assertThat(await(s.writeAll(buf))).isEqualTo(size);
                    assertThat(await(got)).hasSize(size).containsOnly((byte) 'C');
                    assertThat(loop.stats().zeroCopySends()).as("SEND_ZC requests, mask '%s', %d bytes", mask, size)
                            .isZero();
                }
                s.close();
            }
            loop.close();
        }
        loop = null;
    }
}
