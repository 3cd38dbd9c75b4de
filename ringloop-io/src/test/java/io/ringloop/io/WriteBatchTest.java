package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.LoopStats;
import io.ringloop.binding.FeatureMask;
import io.ringloop.internal.LoopInternals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.ringloop.io.Futures.await;
import static io.ringloop.io.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/** A socket's queued writes leave together as one sendmsg, and each still ends as if it had been sent alone. */
class WriteBatchTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private EventLoop loop;

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
    }

    private static void awaitThat(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** Reads until end of stream on a thread of its own. */
    private static CompletableFuture<byte[]> drain(Socket peer) {
        CompletableFuture<byte[]> all = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try (InputStream in = peer.getInputStream()) {
                all.complete(in.readAllBytes());
            } catch (IOException e) {
                all.completeExceptionally(e);
            }
        });
        return all;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** 200 small writes called in one task: the first goes alone, the rest queue behind it and leave in batches. */
    private void sendsEveryWriteInOrder(boolean masked) throws Exception {
        LoopOptions.Builder b = LoopOptions.builder();
        if (masked) {
            LoopInternals.featureMask(b, FeatureMask.parse("SENDMSG"));
        }
        loop = EventLoop.open(b.build());
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(loop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                CompletableFuture<byte[]> got = drain(peer);
                List<byte[]> sent = new ArrayList<>();
                List<CompletableFuture<? extends Number>> results = await(loop.submit(() -> {
                    List<CompletableFuture<? extends Number>> r = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        byte[] bytes = ("write " + i + ";").getBytes(StandardCharsets.US_ASCII);
                        sent.add(bytes);
                        MemorySegment seg = arena.allocate(bytes.length);
                        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, seg, 0, bytes.length);
                        r.add(switch (i % 4) {
                            case 0 -> s.writeAll(seg);
                            case 1 -> s.write(ByteBuffer.wrap(bytes));
                            // a time limit of its own: this one leaves alone, between two batches
                            case 2 -> i == 102 ? s.writeAll(seg, 10, TimeUnit.SECONDS) : s.write(seg);
                            default -> s.writeAll(ByteBuffer.wrap(bytes));
                        });
                    }
                    return r;
                }));
                for (int i = 0; i < results.size(); i++) {
                    assertThat(await(results.get(i)).longValue()).as("write %d", i).isEqualTo(sent.get(i).length);
                }
                await(s.shutdownOutput());
                assertThat(new String(await(got), StandardCharsets.US_ASCII)).as("what the peer read")
                        .isEqualTo(new String(concat(sent), StandardCharsets.US_ASCII));
            }
            s.close();
        }
    }

    @Test
    void shouldSendQueuedWritesTogetherInCallOrder() throws Exception {
        sendsEveryWriteInOrder(false);
        LoopStats st = loop.stats();
        assertThat(st.writeBatches()).as("sendmsgs that carried queued writes").isGreaterThanOrEqualTo(2);
        assertThat(st.writesCoalesced()).as("writes that left in them (of 199 queued, one with a time limit)")
                .isGreaterThanOrEqualTo(2 * st.writeBatches()).isGreaterThanOrEqualTo(150);
    }

    @Test
    void shouldSendQueuedWritesOneByOneWhenSendmsgIsMasked() throws Exception {
        sendsEveryWriteInOrder(true);
        assertThat(loop.stats().writeBatches()).as("no sendmsg under the SENDMSG mask").isZero();
    }

    @Test
    void shouldShareOutPartialSendsAndResumeAWriteAllCutInTwo() throws Exception {
        loop = EventLoop.open();
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(loop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                // Far more than loopback's socket buffers hold: batches end part-way, in writeAlls and in writes.
                int writes = 80;
                List<byte[]> contents = new ArrayList<>();
                List<CompletableFuture<? extends Number>> results = await(loop.submit(() -> {
                    List<CompletableFuture<? extends Number>> r = new ArrayList<>();
                    for (int i = 0; i < writes; i++) {
                        byte[] bytes = new byte[(i % 2 == 0 ? 96 : 80) << 10];
                        for (int j = 0; j < bytes.length; j++) {
                            bytes[j] = (byte) (i * 31 + j / 4096);
                        }
                        contents.add(bytes);
                        MemorySegment seg = arena.allocate(bytes.length);
                        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, seg, 0, bytes.length);
                        r.add(i % 2 == 0 ? s.writeAll(seg) : s.write(seg));
                    }
                    return r;
                }));
                CompletableFuture<byte[]> got = drain(peer);
                List<byte[]> expected = new ArrayList<>();
                for (int i = 0; i < writes; i++) {
                    long n = await(results.get(i)).longValue();
                    if (i % 2 == 0) {
                        assertThat(n).as("writeAll %d: all or an error", i).isEqualTo(contents.get(i).length);
                    } else {
                        assertThat(n).as("write %d sends a prefix", i).isBetween(1L, (long) contents.get(i).length);
                    }
                    expected.add(Arrays.copyOf(contents.get(i), (int) n));
                }
                await(s.shutdownOutput());
                byte[] stream = await(got);
                byte[] want = concat(expected);
                assertThat(stream.length).as("bytes the peer read").isEqualTo(want.length);
                assertThat(Arrays.mismatch(stream, want)).as("first byte that differs").isEqualTo(-1);
                assertThat(loop.stats().writeBatches()).isPositive();
            }
            s.close();
        }
    }

    @Test
    void shouldReportAWriteCancelledInsideABatchOnlyOnceTheKernelLetGoAndNeverSendIt() throws Exception {
        loop = EventLoop.open();
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(loop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                int each = 1 << 20;
                List<CompletableFuture<Long>> queued = new ArrayList<>();
                // A plain write fills the socket buffers and returns at once (the peer does not read); the writeAlls
                // queued behind it then leave as one sendmsg, which waits in the kernel for room.
                CompletableFuture<Integer> filler = await(loop.submit(() -> {
                    CompletableFuture<Integer> f = s.write(arena.allocate(64 << 20));
                    for (int i = 0; i < 10; i++) {
                        MemorySegment seg = arena.allocate(each);
                        seg.fill((byte) (i + 1));
                        queued.add(s.writeAll(seg));
                    }
                    return f;
                }));
                int first = await(filler);
                CompletableFuture<Long> victim = queued.get(5);
                Op op = ((IoFuture<Long>) victim).op();
                // On the loop thread, at a moment the victim is inside the batch the kernel has: from there its cancel
                // must wait for the kernel's answer (false now), whether or not the kernel already sent the batch.
                Boolean cancelledAtOnce = null;
                long deadline = System.nanoTime() + WAIT_NANOS;
                while (cancelledAtOnce == null) {
                    assertThat(System.nanoTime() - deadline).as("the victim never rode in a batch").isNegative();
                    cancelledAtOnce = await(loop.submit(() -> s.batchInFlightHolds(op) ? victim.cancel(true) : null));
                }
                assertThat(cancelledAtOnce).as("cancel() of a write inside a batch in flight").isFalse();
                Throwable end = failureOf(victim);
                assertThat(end).as("the victim's end: cancelled (nothing of it sent) or failed part-way")
                        .isInstanceOfAny(CancellationException.class, RingIoException.class);
                assertThat(victim.isCancelled()).as("ended cancelled: %s", end).isTrue();
                CompletableFuture<byte[]> got = drain(peer);
                for (int i = 0; i < queued.size(); i++) {
                    if (i != 5) {
                        assertThat(await(queued.get(i))).as("writeAll %d", i).isEqualTo(each);
                    }
                }
                await(s.shutdownOutput());
                byte[] stream = await(got);
                assertThat(stream.length).as("the filler's bytes and nine writeAlls").isEqualTo(first + 9L * each);
                int at = first;
                for (int i = 0; i < queued.size(); i++) {
                    if (i == 5) {
                        continue;
                    }
                    for (int j = 0; j < each; j++, at++) {
                        if (stream[at] != (byte) (i + 1)) {
                            throw new AssertionError("byte " + j + " of writeAll " + i + " is " + stream[at]
                                    + (stream[at] == 6 ? ": the cancelled write's bytes were sent" : ""));
                        }
                    }
                }
            }
            s.close();
        }
    }

    @Test
    void shouldNotSendQueuedWritesTogetherAfterAWriteAllBrokeTheStream() throws Exception {
        loop = EventLoop.open();
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(loop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                // More than the socket buffers hold: part of it leaves, the rest waits for a peer that reads slowly.
                CompletableFuture<Long> big = s.writeAll(arena.allocate(64 << 20));
                List<CompletableFuture<Long>> queued = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    queued.add(s.writeAll(ByteBuffer.wrap(("queued " + i).getBytes(StandardCharsets.US_ASCII))));
                }
                assertThat(peer.getInputStream().read()).as("a first byte of the writeAll arrived").isZero();
                big.cancel(true);
                assertThat(failureOf(big)).hasMessageContaining("cancelled after");
                for (CompletableFuture<Long> q : queued) {
                    assertThat(failureOf(q)).as("a write queued behind the truncated writeAll")
                            .hasMessageContaining("writeAll stopped after");
                }
                assertThat(loop.stats().writeBatches()).as("no batch after the stream broke").isZero();
            }
            s.close();
        }
    }

    @Test
    void shouldShutDownOutputOnlyAfterTheWritesCalledBeforeIt() throws Exception {
        loop = EventLoop.open();
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(loop, ss.getLocalSocketAddress()));
            try (Socket peer = ss.accept(); Arena arena = Arena.ofShared()) {
                CompletableFuture<byte[]> got = drain(peer);
                int each = 256 << 10;
                CompletableFuture<Void> shut = await(loop.submit(() -> {
                    for (int i = 0; i < 16; i++) {
                        MemorySegment seg = arena.allocate(each);
                        seg.fill((byte) (i + 1));
                        s.writeAll(seg);
                    }
                    return s.shutdownOutput();
                }));
                await(shut);
                byte[] stream = await(got);
                assertThat(stream.length).as("bytes before end of stream").isEqualTo(16 * each);
                assertThat(stream[stream.length - 1]).as("the last write's last byte").isEqualTo((byte) 16);
            }
            s.close();
        }
    }

    @Test
    void shouldEndEveryWriteOfABatchInFlightWhenTheSocketCloses() throws Exception {
        loop = EventLoop.open();
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket s = await(AsyncSocket.connect(loop, ss.getLocalSocketAddress()));
            try (Socket _ = ss.accept(); Arena arena = Arena.ofShared()) {
                List<CompletableFuture<Long>> queued = new ArrayList<>();
                await(loop.submit(() -> {
                    s.write(arena.allocate(64 << 20));
                    for (int i = 0; i < 10; i++) {
                        queued.add(s.writeAll(arena.allocate(1 << 20)));
                    }
                    return null;
                }));
                awaitThat("the batch to reach the kernel", () -> loop.stats().writeBatches() == 1);
                s.close();
                assertThat(s.isOpen()).isFalse();
                for (CompletableFuture<Long> f : queued) {
                    assertThat(failureOf(f)).as("a write of the batch when its socket closed")
                            .isInstanceOf(IoClosedException.class);
                }
            }
        }
    }
}
