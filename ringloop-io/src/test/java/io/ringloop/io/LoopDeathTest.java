package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A loop whose thread meets an error it does not survive (a {@code StackOverflowError} in a task or in an I/O
 * callback) ends in order: the JVM goes on, every pending operation fails once the kernel has let go of it, the loop
 * terminates saying why, and no fd is left open. An exception from inside a completion fails that operation only.
 */
class LoopDeathTest {
    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static int overflow(int depth) {
        return overflow(depth + 1) + 1;
    }

    /** A loop with a server, one accepted socket receiving (multishot) and a client with a read in flight. */
    private static final class Scene implements AutoCloseable {
        final EventLoop loop = EventLoop.open(LoopOptions.builder().errorHandler((t, e) -> { }).build());
        final AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0));
        final CompletableFuture<RingIoException> receiveEnded = new CompletableFuture<>();
        final AsyncSocket client;
        final CompletableFuture<Integer> pendingRead;

        Scene() throws Exception {
            CountDownLatch receiving = new CountDownLatch(1);
            server.accept(s -> {
                s.receive(new ReceiveHandler() {
                    @Override
                    public void onData(AsyncSocket socket, MemorySegment data) {
                    }

                    @Override
                    public void onEnd(AsyncSocket socket, RingIoException error) {
                        receiveEnded.complete(error);
                    }
                });
                receiving.countDown();
            });
            client = AsyncSocket.connect(loop, server.localAddress()).get(10, TimeUnit.SECONDS);
            pendingRead = client.read(ByteBuffer.allocateDirect(64));
            assertThat(receiving.await(10, TimeUnit.SECONDS)).as("server accepted and armed its receive").isTrue();
            // One round trip through the loop: the read above has reached the kernel.
            loop.submit(() -> null).get(10, TimeUnit.SECONDS);
            assertThat(pendingRead).isNotDone();
        }

        void assertEndedInOrder(Class<? extends Throwable> why, int fdsBefore) throws Exception {
            assertThatThrownBy(() -> pendingRead.get(10, TimeUnit.SECONDS))
                    .as("the pending read fails when the loop ends").isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IoClosedException.class);
            assertThatThrownBy(() -> loop.terminationFuture().get(10, TimeUnit.SECONDS))
                    .as("the termination future says why").isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(why);
            assertThat(loop.isTerminated()).isTrue();
            assertThat(loop.failure()).isInstanceOf(why);
            assertThat(receiveEnded.get(10, TimeUnit.SECONDS)).as("the multishot receive ended with an error")
                    .isNotNull();
            // The sweep that closes channels nobody closed runs on termination, maybe just after our wake-up.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((client.isOpen() || openFds() > fdsBefore) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(client.isOpen()).as("the loop's end closed the client nobody closed").isFalse();
            assertThat(openFds()).as("fds after the loop died, against %d before it opened", fdsBefore)
                    .isLessThanOrEqualTo(fdsBefore);
        }

        @Override
        public void close() {
            loop.close();
        }
    }

    /** Opens and closes everything a test uses once (the JDK's own sockets too, which keep fds of their own). */
    private static int warmFds() throws Exception {
        try (Scene warm = new Scene(); ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket local = new Socket(InetAddress.getLoopbackAddress(), peer.getLocalPort());
                Socket remote = peer.accept()) {
            warm.client.close();
            assertThat(local.isConnected() && remote.isConnected()).isTrue();
        }
        return openFds();
    }

    @Test
    void shouldEndTheLoopInOrderWhenATaskOverflowsTheStack() throws Exception {
        int before = warmFds();
        try (Scene scene = new Scene()) {
            CountDownLatch ranAfter = new CountDownLatch(1);
            scene.loop.execute(() -> overflow(0));
            boolean accepted;
            try {
                scene.loop.execute(ranAfter::countDown);
                accepted = true;
            } catch (RejectedExecutionException e) {
                accepted = false;
            }
            scene.assertEndedInOrder(StackOverflowError.class, before);
            if (accepted) {
                assertThat(ranAfter.getCount()).as("a task accepted before the loop died still ran").isZero();
            }
            assertThatThrownBy(() -> scene.loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        }
    }

    @Test
    void shouldEndTheLoopInOrderWhenAnIoCallbackOverflowsTheStack() throws Exception {
        int before = warmFds();
        try (Scene scene = new Scene(); ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket other = AsyncSocket.connect(scene.loop, peer.getLocalSocketAddress()).get(10, TimeUnit.SECONDS);
            try (Socket remote = peer.accept()) {
                MemorySegment dst = MemorySegment.ofBuffer(ByteBuffer.allocateDirect(16));
                other.read(dst, 0, TimeUnit.SECONDS, null, new IoHandler<Object>() {
                    @Override
                    public void completed(long result, Object attachment) {
                        overflow(0);
                    }

                    @Override
                    public void failed(RingIoException error, Object attachment) {
                    }
                });
                OutputStream out = remote.getOutputStream();
                out.write(new byte[] {1, 2, 3});
                out.flush();
                // the two JDK sockets of the peer are still open
                scene.assertEndedInOrder(StackOverflowError.class, before + 2);
            }
        }
    }

    /**
     * A loop that dies again while it closes gives up: the tasks still queued never run. Those the I/O layer queued
     * (an operation started from another thread, a write's ordered hand-off, a close) must still end their futures,
     * or a caller's {@code get()} and {@code close()} would wait for ever.
     */
    @Test
    void shouldEndQueuedOperationsWhenTheLoopDiesTwice() throws Exception {
        int before = warmFds();
        try (Scene scene = new Scene()) {
            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch held = new CountDownLatch(1);
            scene.loop.execute(() -> {
                held.countDown();
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).as("the loop runs the holding task").isTrue();
            // Queued behind the hold, in this order: a death, a second death during the close, then the I/O.
            scene.loop.execute(() -> overflow(0));
            scene.loop.execute(() -> overflow(0));
            CompletableFuture<Integer> read = scene.client.read(ByteBuffer.allocateDirect(16));
            CompletableFuture<Integer> write = scene.client.write(ByteBuffer.allocateDirect(16));
            CompletableFuture<Void> closed = scene.client.closeAsync();
            hold.countDown();
            for (CompletableFuture<Integer> f : List.of(read, write)) {
                assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                        .as("an operation queued before the loop gave up ends with it").isInstanceOf(
                                ExecutionException.class).hasCauseInstanceOf(IoClosedException.class);
            }
            assertThat(closed.get(10, TimeUnit.SECONDS)).as("the close queued before the loop gave up ends").isNull();
            scene.assertEndedInOrder(StackOverflowError.class, before);
        }
    }

    @Test
    void shouldFailOnlyTheReadWhoseHeapBufferChangedWhileItRan() throws Exception {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        try (EventLoop loop = EventLoop.open(LoopOptions.builder().errorHandler((t, e) -> reported.set(e)).build());
                ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AsyncSocket client = AsyncSocket.connect(loop, peer.getLocalSocketAddress()).get(10, TimeUnit.SECONDS);
            try (Socket remote = peer.accept()) {
                ByteBuffer heap = ByteBuffer.allocate(32);
                CompletableFuture<Integer> read = client.read(heap);
                loop.submit(() -> null).get(10, TimeUnit.SECONDS);
                heap.position(heap.limit()); // the caller reuses the buffer while the read is in flight
                remote.getOutputStream().write(new byte[] {1, 2, 3, 4});
                assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RingIoException.class)
                        .cause().hasMessageContaining("EFAULT").hasMessageContaining("4 bytes arrived");
                assertThat(loop.isClosed()).as("the loop survives a completion that fails").isFalse();
                ByteBuffer fresh = ByteBuffer.allocate(8);
                CompletableFuture<Integer> next = client.read(fresh);
                remote.getOutputStream().write(new byte[] {5});
                assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(fresh.get(0)).isEqualTo((byte) 5);
                assertThat(reported.get()).as("nothing escaped to the error handler").isNull();
            }
            client.close();
        }
    }
}
