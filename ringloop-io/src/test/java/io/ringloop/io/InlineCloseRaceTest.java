package io.ringloop.io;

import io.ringloop.EventLoop;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.ringloop.io.Futures.await;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls on the caller's own thread ({@code readNow}, {@code writeNow}) racing the close of their socket, while the
 * next socket opened is likely to get the closed one's fd number: a call that outlived its fd would read the new
 * socket's bytes, or write into it. Each round: a reader and a writer hammer socket A from their own threads; the
 * test closes A, opens B at once, and B's peer sends one marker byte, which B must receive through the ring; A's
 * callers must end with {@link IoClosedException} (or a reset), never see B's marker, and B's peer must never
 * receive A's bytes.
 */
class InlineCloseRaceTest {
    private static final byte A = 'a';
    private static final byte B = 'b';

    @Test
    void aCallOnItsOwnThreadNeverReachesTheNextSocketToGetTheFdNumber() throws Exception {
        try (EventLoop loop = EventLoop.open();
                ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Arena arena = Arena.ofShared()) {
            int reusedFds = 0;
            for (int round = 0; round < 300; round++) {
                CompletableFuture<AsyncSocket> ca = AsyncSocket.connect(loop, ss.getLocalSocketAddress());
                try (Socket peerA = ss.accept()) {
                    AsyncSocket a = await(ca);
                    peerA.getOutputStream().write(new byte[] {A, A, A});
                    AtomicReference<Object> readerSaw = new AtomicReference<>();
                    AtomicReference<Object> writerSaw = new AtomicReference<>();
                    Thread reader = Thread.ofPlatform().start(() -> hammerReads(a, arena, readerSaw));
                    Thread writer = Thread.ofPlatform().start(() -> hammerWrites(a, arena, writerSaw));
                    int fdA = a.fd;
                    a.closeAsync();
                    CompletableFuture<AsyncSocket> cb = AsyncSocket.connect(loop, ss.getLocalSocketAddress());
                    try (Socket peerB = ss.accept()) {
                        AsyncSocket b = await(cb);
                        reusedFds += b.fd == fdA ? 1 : 0;
                        OutputStream out = peerB.getOutputStream();
                        out.write(B);
                        out.flush();
                        MemorySegment got = arena.allocate(1);
                        assertThat(await(b.read(got), "round " + round + ": B's read")).isEqualTo(1);
                        assertThat(got.get(JAVA_BYTE, 0)).as("round %d: B's marker", round).isEqualTo(B);
                        reader.join(TimeUnit.SECONDS.toMillis(Futures.WAIT));
                        writer.join(TimeUnit.SECONDS.toMillis(Futures.WAIT));
                        assertThat(reader.isAlive() || writer.isAlive()).as("round %d: a caller still running", round)
                                .isFalse();
                        assertThat(readerSaw.get()).as("round %d: how A's reader ended", round)
                                .isInstanceOfAny(IoClosedException.class, RingIoException.class);
                        assertThat(writerSaw.get()).as("round %d: how A's writer ended", round)
                                .isInstanceOfAny(IoClosedException.class, RingIoException.class);
                        peerB.setSoTimeout(1);
                        assertThat(peerB.getInputStream().available()).as("round %d: bytes B's peer got", round)
                                .isZero();
                        b.close();
                    }
                }
            }
            // Not asserted (the kernel picks fd numbers), but without reuse the test would prove little.
            System.out.printf("inline close race: the next socket got the closed one's fd in %d of 300 rounds%n",
                    reusedFds);
        }
    }

    /** readNow until the socket is closed; a byte other than A's ends it with that byte as the failure. */
    private static void hammerReads(AsyncSocket a, Arena arena, AtomicReference<Object> saw) {
        MemorySegment buf = arena.allocate(64);
        try {
            while (true) {
                int n = a.readNow(buf);
                for (int i = 0; i < n; i++) {
                    if (buf.get(JAVA_BYTE, i) != A) {
                        saw.set("read another socket's byte " + buf.get(JAVA_BYTE, i));
                        return;
                    }
                }
            }
        } catch (RingIoException e) {
            saw.set(e);
        }
    }

    /** writeNow of A's bytes until the socket is closed. */
    private static void hammerWrites(AsyncSocket a, Arena arena, AtomicReference<Object> saw) {
        MemorySegment msg = arena.allocate(1);
        msg.set(JAVA_BYTE, 0, A);
        try {
            while (true) {
                a.writeNow(msg);
            }
        } catch (RingIoException e) {
            saw.set(e);
        }
    }
}
