package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.ringloop.io.Futures.await;
import static io.ringloop.io.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop's CQ budget (never more CQEs owed than the CQ holds) against requests that wait for as long as somebody
 * else likes. A loop with an 8-entry ring: a 16-entry CQ, 8 slots of it lent to I/O.
 */
class CqBudgetTest {
    private static final long WAIT = 20;
    @TempDir
    Path dir;
    private EventLoop loop;

    @BeforeEach
    void open() {
        loop = EventLoop.open(LoopOptions.builder().ringEntries(8).build());
    }

    @AfterEach
    void close() {
        loop.close();
    }

    /**
     * A thread-per-connection server keeps one read waiting on each idle connection. Were those reads to hold CQ
     * slots, the ninth idle client would leave every later request waiting for room that only the idle peers can
     * free: the server could not even accept.
     */
    @Test
    void socketReadsWaitingOnTheirPeersLeaveRoomForEveryOtherRequest() throws Exception {
        int idle = 64;
        try (AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress at = server.localAddress();
            List<Socket> clients = new ArrayList<>();
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            try {
                for (int i = 0; i < idle; i++) {
                    CompletableFuture<AsyncSocket> accepted = server.accept();
                    clients.add(new Socket(at.getAddress(), at.getPort()));
                    AsyncSocket s = await(accepted, "accept of client " + i + " behind " + i + " waiting reads");
                    reads.add(s.read(ByteBuffer.allocateDirect(8)));
                }
                for (int i = 0; i < idle; i++) {
                    clients.get(i).getOutputStream().write(i);
                }
                for (int i = 0; i < idle; i++) {
                    assertThat(await(reads.get(i), "read " + i)).as("bytes read by connection %d", i).isEqualTo(1);
                }
            } finally {
                for (Socket c : clients) {
                    c.close();
                }
            }
        }
    }

    /** Like {@code FileChannel}: a read of a FIFO waits until somebody writes, and a regular file's never does. */
    private AsyncFile fifo() throws Exception {
        Path p = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor(WAIT, TimeUnit.SECONDS)).as("mkfifo ended").isTrue();
        assertThat(mk.exitValue()).as("mkfifo").isZero();
        // Opened read-write, a FIFO's open does not wait for a writer.
        return AsyncFile.open(loop, p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Test
    void aFileReadWaitingForRoomInTheRingIsCancelledAtOnce() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            AsyncFile f = fifo();
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            boolean[] onLoop = await(loop.submit(() -> {
                for (int i = 0; i < 64; i++) {
                    reads.add(f.read(arena.allocate(8), 0));
                }
                CompletableFuture<Integer> inKernel = reads.get(0);
                CompletableFuture<Integer> waiting = reads.get(63);
                boolean first = inKernel.cancel(true);
                boolean last = waiting.cancel(true);
                return new boolean[] {first, inKernel.isDone(), last, waiting.isCancelled()};
            }), "the reads' task");
            assertThat(onLoop).as("cancel() and isDone() of a read in the kernel, then of one waiting for room")
                    .containsExactly(false, false, true, true);
            assertThat(failureOf(reads.get(0))).isInstanceOf(CancellationException.class);
            await(f.closeAsync(), "close");
            for (int i = 1; i < 63; i++) {
                assertThat(failureOf(reads.get(i))).as("read %d", i).isInstanceOf(IoClosedException.class);
            }
        }
    }

    @Test
    void aFileWhoseReadsFillTheRingCloses() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            AsyncFile f = fifo();
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reads.add(f.read(arena.allocate(8), 0));
            }
            // Every CQ slot the loop lends to I/O is now held by a read the kernel has: the close's cancels must not
            // wait for room only they can free.
            await(f.closeAsync(), "close");
            for (int i = 0; i < reads.size(); i++) {
                assertThat(failureOf(reads.get(i))).as("read %d", i).isInstanceOf(IoClosedException.class);
            }
        }
    }

    /** More socket reads in the kernel than the CQ holds: their cancels' and their own CQEs overflow it. */
    @Test
    void aSocketWithMoreReadsThanTheRingHoldsCloses() throws Exception {
        try (AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0));
                Arena arena = Arena.ofShared()) {
            InetSocketAddress at = server.localAddress();
            CompletableFuture<AsyncSocket> accepted = server.accept();
            try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), at.getPort())) {
                AsyncSocket s = await(accepted, "accept");
                List<CompletableFuture<Integer>> reads = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    reads.add(s.read(arena.allocate(8)));
                }
                await(s.closeAsync(), "close");
                for (int i = 0; i < reads.size(); i++) {
                    assertThat(failureOf(reads.get(i))).as("read %d", i).isInstanceOf(IoClosedException.class);
                }
                InputStream in = peer.getInputStream();
                assertThat(in.read()).as("the peer sees the close").isEqualTo(-1);
            }
        }
    }

}
