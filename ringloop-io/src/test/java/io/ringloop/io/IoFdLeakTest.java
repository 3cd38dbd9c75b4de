package io.ringloop.io;

import io.ringloop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Files, sockets and servers opened and closed many times, in every way, leave no fd behind. */
class IoFdLeakTest {
    /** What the server writes to each connection it accepts: something for the client's read to get. */
    private static final MemorySegment GREETING = Arena.global().allocate(8);
    /** The server's side of a connection: takes what the client writes, closes when the client's side ends. */
    private static final ReceiveHandler CLOSE_AT_END = new ReceiveHandler() {
        @Override
        public void onData(AsyncSocket socket, MemorySegment data) {
            // the greeting is the only answer
        }

        @Override
        public void onEnd(AsyncSocket socket, RingIoException error) {
            socket.close();
        }
    };

    @TempDir
    Path dir;

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void noFdGrowthAfterManyOpensAndCloses() throws Exception {
        Path p = dir.resolve("f");
        Files.writeString(p, "0123456789");
        try (EventLoop loop = EventLoop.open(); Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(64);
            // warm up: the loop's buffer ring, class loading, the JDK's own fds
            cycle(loop, p, buf);
            int before = openFds();
            for (int i = 0; i < 200; i++) {
                cycle(loop, p, buf);
            }
            int after = openFds();
            assertThat(after).as("fds before %d, after 200 cycles %d", before, after).isLessThanOrEqualTo(before + 2);
        }
    }

    private static void cycle(EventLoop loop, Path p, MemorySegment buf) throws Exception {
        try (AsyncFile f = AsyncFile.open(loop, p)) {
            f.read(buf, 0).get(10, TimeUnit.SECONDS);
        }
        AsyncFile pending = AsyncFile.open(loop, p);
        pending.read(buf, 0);
        pending.close(); // with an operation possibly in flight
        AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0));
        server.accept(s -> {
            s.writeAll(GREETING);
            s.receive(CLOSE_AT_END);
        });
        try (server) {
            List<CompletableFuture<AsyncSocket>> cs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                cs.add(AsyncSocket.connect(loop, server.localAddress()));
            }
            for (CompletableFuture<AsyncSocket> c : cs) {
                AsyncSocket s = c.get(10, TimeUnit.SECONDS);
                s.writeAll(buf.asSlice(0, 8)).get(10, TimeUnit.SECONDS);
                assertThat(s.read(buf.asSlice(8, 8)).get(10, TimeUnit.SECONDS)).isPositive();
                s.read(buf.asSlice(16, 8)); // left in flight: close cancels it
                s.close();
            }
        }
    }

    @Test
    void closingTheLoopClosesChannelsNobodyClosed() throws Exception {
        Path p = dir.resolve("g");
        Files.writeString(p, "x");
        EventLoop warm = EventLoop.open();
        AsyncFile.open(warm, p);
        warm.close();
        int before = openFds();
        EventLoop loop = EventLoop.open();
        AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0));
        server.accept(s -> { });
        AsyncSocket c = AsyncSocket.connect(loop, server.localAddress()).get(10, TimeUnit.SECONDS);
        AsyncFile f = AsyncFile.open(loop, p);
        try (Arena arena = Arena.ofShared()) {
            CompletableFuture<Integer> r = c.read(arena.allocate(8));
            loop.close();
            assertThat(r).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                    .havingCause().isInstanceOf(IoClosedException.class).withMessageContaining("loop");
        }
        loop.terminationFuture().get(10, TimeUnit.SECONDS);
        // the sweep runs right after termination, on the thread that completed it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((server.isOpen() || c.isOpen() || f.isOpen()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(server.isOpen() || c.isOpen() || f.isOpen()).as("all channels closed by the loop's end").isFalse();
        assertThat(openFds()).isLessThanOrEqualTo(before + 1);
    }
}
