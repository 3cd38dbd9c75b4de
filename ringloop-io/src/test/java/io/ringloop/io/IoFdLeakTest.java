package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.binding.Errno;
import io.ringloop.binding.Syscalls;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void shouldCloseTheListeningFdWhenTheLoopClosesDuringThePauseAfterAFailedAccept() throws Exception {
        EventLoop loop = EventLoop.open();
        AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0));
        InetSocketAddress address = server.localAddress();
        Thread loopThread = loop.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
        // What runs while no fd is left must not need one to load its classes.
        loop.schedule(() -> { }, 0, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
        assertThat(RingIoException.of("accept", address.toString(), -Errno.EMFILE).errnoName()).isEqualTo("EMFILE");
        CompletableFuture<RingIoException> failed = new CompletableFuture<>();
        AtomicReference<int[]> fillers = new AtomicReference<>(new int[0]);
        Runnable release = () -> {
            for (int fd : fillers.getAndSet(new int[0])) {
                Syscalls.close(fd);
            }
        };
        AcceptHandler handler = new AcceptHandler() {
            @Override
            public void onAccept(AsyncSocket socket) {
                socket.close();
                failed.completeExceptionally(new AssertionError("accepted although no fd was free"));
            }

            @Override
            public void onError(RingIoException error) {
                release.run();
                failed.complete(error);
                // From a task: it runs after this failed accept began its pause, and well within it.
                loop.execute(loop::close);
            }
        };
        release.run();
        try (Socket client = new Socket()) {
            // Waits in the backlog for the accept below.
            client.connect(address, 10_000);
            fillers.set(takeEveryFreeFd());
            try {
                server.accept(handler);
                assertThat(failed.get(10, TimeUnit.SECONDS).errnoName()).isEqualTo("EMFILE");
            } finally {
                release.run();
            }
        }
        loopThread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(loopThread.isAlive()).as("the loop thread ended, after its sweep of open channels").isFalse();
        try (Socket late = new Socket()) {
            assertThatThrownBy(() -> late.connect(address, 10_000))
                    .as("a connect once the loop has ended: nobody listens any more")
                    .isInstanceOf(ConnectException.class);
        }
    }

    /** Opens eventfds until the process has no fd left; returns them for closing. */
    private static int[] takeEveryFreeFd() {
        int[] fds = new int[1024];
        int n = 0;
        while (true) {
            int fd = Syscalls.eventfd(0, Syscalls.EFD_CLOEXEC);
            if (fd < 0) {
                assertThat(Errno.name(-fd)).isEqualTo("EMFILE");
                return Arrays.copyOf(fds, n);
            }
            if (n == fds.length) {
                fds = Arrays.copyOf(fds, n * 2);
            }
            fds[n++] = fd;
            if (n > 200_000) {
                for (int i = 0; i < n; i++) {
                    Syscalls.close(fds[i]);
                }
                Assumptions.abort("RLIMIT_NOFILE is too high to run out of fds here");
            }
        }
    }

    @Test
    void shouldCloseAnAcceptedSocketWhoseFutureWasCompletedOtherwise() throws Exception {
        try (EventLoop loop = EventLoop.open();
                AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0))) {
            CompletableFuture<AsyncSocket> accepted = server.accept();
            // As orTimeout does: the caller stops waiting, and the kernel's accept goes on.
            assertThat(accepted.completeExceptionally(new TimeoutException("gave up"))).isTrue();
            try (Socket client = new Socket()) {
                client.connect(server.localAddress(), 10_000);
                assertEndOfStream(client, "the connection the kernel accepted for nobody");
            }
        }
    }

    @Test
    void shouldCloseAConnectedSocketWhoseFutureWasCompletedOtherwise() throws Exception {
        try (EventLoop loop = EventLoop.open();
                ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<AsyncSocket> connected = AsyncSocket.connect(loop, ss.getLocalSocketAddress());
            if (!connected.completeExceptionally(new TimeoutException("gave up"))) {
                // The connect was quicker than this thread: not the case under test, but the peer's check holds.
                connected.join().close();
            }
            ss.setSoTimeout(10_000);
            try (Socket peer = ss.accept()) {
                assertEndOfStream(peer, "the connection the kernel made for nobody");
            }
        }
    }

    private static void assertEndOfStream(Socket s, String what) throws IOException {
        s.setSoTimeout(10_000);
        try {
            assertThat(s.getInputStream().read()).as(what).isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError(what + " was left open: no end of stream within 10 s", e);
        }
    }
}
