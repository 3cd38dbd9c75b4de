package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.binding.KernelFeature;
import io.ringloop.internal.LoopInternals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.ringloop.io.Futures.await;
import static io.ringloop.io.Futures.failureOf;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The calls that run on the caller's own thread without waiting ({@code readNow}, {@code writeNow}): what they return
 * in each case, and that a close never releases the fd under a caller that is still using it.
 */
class ReadNowTest {
    private static final long WAIT = 20;
    @TempDir
    Path dir;
    private EventLoop loop;
    private Arena arena;

    @BeforeEach
    void open() {
        loop = EventLoop.open();
        arena = Arena.ofShared();
    }

    @AfterEach
    void close() {
        loop.close();
        arena.close();
    }

    /** A connected pair: ours on the loop, the peer a JDK socket. */
    private record Pair(AsyncSocket ours, Socket peer) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            ours.close();
            peer.close();
        }
    }

    private Pair pair() throws Exception {
        try (AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0))) {
            CompletableFuture<AsyncSocket> accepted = server.accept();
            Socket peer = new Socket("127.0.0.1", server.localAddress().getPort());
            peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT));
            return new Pair(await(accepted), peer);
        }
    }

    /**
     * A read started right after {@code readNow} found nothing lets the kernel wait for data before its first
     * attempt ({@code RECVSEND_POLL_FIRST}, where granted): it still completes when data comes later, and when the
     * hint is stale because data came in between; a {@code readNow} that found data leaves no hint behind.
     */
    @Test
    void aReadAfterReadNowFoundNothingWaitsForDataBeforeItsFirstAttempt() throws Exception {
        try (Pair p = pair()) {
            boolean granted = LoopInternals.supports(loop, KernelFeature.RECVSEND_POLL_FIRST);
            MemorySegment buf = arena.allocate(64);
            OutputStream out = p.peer().getOutputStream();
            assertThat(p.ours().readNow(buf)).isEqualTo(AsyncChannel.WOULD_WAIT);
            CompletableFuture<Integer> later = p.ours().read(buf);
            assertThat(p.ours().pollFirstReads).as("reads that took the hint (granted: %s)", granted)
                    .isEqualTo(granted ? 1 : 0);
            assertThat(later).as("nothing was sent yet").isNotDone();
            out.write("later".getBytes());
            out.flush();
            assertThat(await(later)).isEqualTo(5);

            assertThat(p.ours().readNow(buf)).isEqualTo(AsyncChannel.WOULD_WAIT);
            out.write('x');
            out.flush();
            // Stale: the byte is on its way or there already when the read starts; either way it is received.
            assertThat(await(p.ours().read(buf))).isEqualTo(1);
            assertThat(p.ours().pollFirstReads).isEqualTo(granted ? 2 : 0);

            out.write("yz".getBytes());
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
            int n;
            do {
                n = p.ours().readNow(buf);
            } while (n == AsyncChannel.WOULD_WAIT && System.nanoTime() < deadline);
            assertThat(n).as("readNow took what arrived").isPositive();
            CompletableFuture<Integer> plain = p.ours().read(buf);
            assertThat(p.ours().pollFirstReads).as("a readNow that found data leaves no hint")
                    .isEqualTo(granted ? 2 : 0);
            out.write('w');
            out.flush();
            assertThat(await(plain)).isPositive();
        }
    }

    @Test
    void aSocketReadNowTakesWhatArrivedAndNeverWaits() throws Exception {
        try (Pair p = pair()) {
            MemorySegment buf = arena.allocate(64);
            assertThat(p.ours().readNow(buf)).as("nothing has arrived").isEqualTo(AsyncChannel.WOULD_WAIT);
            OutputStream out = p.peer().getOutputStream();
            out.write("hello".getBytes());
            out.flush();
            // The bytes are on their way through loopback: the ring read waits for them, then readNow finds the rest.
            assertThat(await(p.ours().read(buf.asSlice(0, 1)))).isEqualTo(1);
            assertThat(buf.get(JAVA_BYTE, 0)).isEqualTo((byte) 'h');
            assertThat(p.ours().readNow(buf)).as("what was already there").isEqualTo(4);
            assertThat(new String(buf.asSlice(0, 4).toArray(JAVA_BYTE))).isEqualTo("ello");
            p.peer().shutdownOutput();
            assertThat(await(p.ours().read(buf))).as("end of stream by the ring").isZero();
            assertThat(p.ours().readNow(buf)).as("end of stream now").isZero();
        }
    }

    /** Bytes that arrive before the ring's receive is submitted, or after, reach it either way. */
    @Test
    void aReceiveAfterAnEmptyReadNowGetsTheBytesWhenTheyCome() throws Exception {
        try (Pair p = pair()) {
            MemorySegment buf = arena.allocate(64);
            OutputStream out = p.peer().getOutputStream();
            for (int i = 0; i < 200; i++) {
                assertThat(p.ours().readNow(buf)).isEqualTo(AsyncChannel.WOULD_WAIT);
                if (i % 2 == 0) {
                    out.write(i);   // before the receive is submitted
                    out.flush();
                }
                CompletableFuture<Integer> read = p.ours().read(buf);
                if (i % 2 == 1) {
                    out.write(i);   // after
                    out.flush();
                }
                assertThat(await(read)).as("round %d", i).isEqualTo(1);
                assertThat(buf.get(JAVA_BYTE, 0)).isEqualTo((byte) i);
            }
        }
    }

    @Test
    void aSocketWriteNowSendsWhatFitsAndNamesTheErrnoOfABrokenPipe() throws Exception {
        try (Pair p = pair()) {
            MemorySegment msg = arena.allocate(5).copyFrom(MemorySegment.ofArray("hello".getBytes()));
            assertThat(p.ours().writeNow(msg)).isEqualTo(5);
            InputStream in = p.peer().getInputStream();
            assertThat(in.readNBytes(5)).isEqualTo("hello".getBytes());
            MemorySegment big = arena.allocate(64 << 20);
            long sent = 0;
            int n;
            while ((n = p.ours().writeNow(big)) > 0) {
                sent += n;
            }
            assertThat(n).as("a full send buffer: nothing sent, no wait").isZero();
            assertThat(sent).isPositive().isLessThan(big.byteSize());
            p.peer().setSoLinger(true, 0);
            p.peer().close();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 1000; i++) {
                    p.ours().writeNow(msg);
                }
            }).isInstanceOf(RingIoException.class).hasMessageMatching(".*(ECONNRESET|EPIPE).*");
        }
    }

    @Test
    void aFileReadNowCopiesCachedDataAndReportsTheEnd() throws Exception {
        Path f = dir.resolve("cached");
        Files.writeString(f, "cached bytes");
        AsyncFile file = AsyncFile.open(loop, f);
        MemorySegment buf = arena.allocate(64);
        assertThat(file.readNow(buf, 7)).isEqualTo(5);
        assertThat(new String(buf.asSlice(0, 5).toArray(JAVA_BYTE))).isEqualTo("bytes");
        assertThat(file.readNow(buf, 12)).as("at the end of the file").isZero();
        file.close();
        assertThatThrownBy(() -> file.readNow(buf, 0)).isInstanceOf(IoClosedException.class)
                .hasMessageContaining("cached");
    }

    @Test
    void aDirectFileIsAlwaysReadThroughTheRing() throws Exception {
        Path f = dir.resolve("direct");
        Files.write(f, new byte[8192]);
        assertThat(AsyncFile.DIRECT).as("the JDK's ExtendedOpenOption.DIRECT").isNotNull();
        AsyncFile file;
        try {
            file = AsyncFile.open(loop, f, AsyncFile.DIRECT);
        } catch (RingIoException e) {
            assumeTrue(!e.errnoName().equals("EINVAL"), "the temporary directory's file system has no O_DIRECT");
            throw e;
        }
        MemorySegment block = arena.allocate(4096, 4096);
        assertThat(file.readNow(block, 0)).as("O_DIRECT waits for the device: never inline")
                .isEqualTo(AsyncChannel.WOULD_WAIT);
        assertThat(await(file.read(block, 4096))).as("an aligned read through the ring").isEqualTo(4096);
        assertThat(failureOf(file.read(block.asSlice(0, 512), 1))).as("an O_DIRECT read at a misaligned position")
                .isInstanceOf(RingIoException.class).hasMessageContaining("EINVAL");
        file.close();
    }

    @Test
    void aFifoIsReadThroughTheRing() throws Exception {
        Path p = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor(WAIT, TimeUnit.SECONDS)).isTrue();
        AsyncFile fifo = AsyncFile.open(loop, p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        MemorySegment buf = arena.allocate(8);
        assertThat(fifo.readNow(buf, 0)).as("a pipe has no positions: ESPIPE").isEqualTo(AsyncChannel.WOULD_WAIT);
        assertThat(fifo.readNow(buf, 0)).isEqualTo(AsyncChannel.WOULD_WAIT);
        fifo.close();
    }

    /**
     * A caller inside its system call keeps the fd open across a close: released only once it is out, or the number
     * could be reused by a file opened meanwhile and the call would touch that file.
     */
    @Test
    void aCloseWaitsForTheCallerOnItsOwnThreadBeforeTheFdGoes() throws Exception {
        Path f = dir.resolve("held");
        Files.writeString(f, "x");
        AsyncFile file = AsyncFile.open(loop, f);
        Path fd = Path.of("/proc/self/fd/" + file.fd);
        file.enterDirect("read");
        CompletableFuture<Void> closed = file.closeAsync();
        // The loop has begun the close when a task queued after it has run.
        await(loop.submit(() -> null));
        assertThat(file.isOpen()).as("open once the close began").isFalse();
        assertThatThrownBy(() -> file.enterDirect("read")).as("no caller gets in once the close began")
                .isInstanceOf(IoClosedException.class);
        assertThat(closed).as("closed while a caller was inside").isNotDone();
        assertThat(Files.exists(fd)).as("the fd while a caller is inside").isTrue();
        file.exitDirect();
        await(closed);
        assertThat(Files.exists(fd)).as("the fd once the last caller left").isFalse();
    }

}
