package io.ringloop.examples;

import io.ringloop.EventLoop;
import io.ringloop.io.AsyncServerSocket;
import io.ringloop.io.AsyncSocket;
import io.ringloop.io.ReceiveHandler;
import io.ringloop.io.RingIoException;
import io.ringloop.io.SocketOptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The echo handler on a server loop, and clients with checksums on another loop. */
class EchoHandlerTest {
    private static final long WAIT = 60;

    /** An echo server that counts the connections it accepted. */
    private static AsyncServerSocket echoServer(EventLoop loop, InetSocketAddress at, AtomicInteger accepted)
            throws RingIoException {
        AsyncServerSocket server = AsyncServerSocket.bind(loop, at, SocketOptions.defaults());
        server.accept(s -> {
            accepted.incrementAndGet();
            s.receive(EchoHandler.INSTANCE);
        });
        return server;
    }

    /** Sends size random bytes on a new connection and reads the echo; returns true if the checksums match. */
    private static CompletableFuture<Boolean> echoOnce(EventLoop loop, InetSocketAddress server, int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        CRC32 sent = new CRC32();
        sent.update(bytes);
        MemorySegment src = Arena.ofAuto().allocate(size);
        MemorySegment.copy(bytes, 0, src, JAVA_BYTE, 0, size);
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        AsyncSocket.connect(loop, server).whenComplete((s, err) -> {
            if (err != null) {
                result.completeExceptionally(err);
                return;
            }
            CRC32 got = new CRC32();
            long[] received = {0};
            s.receive(new ReceiveHandler() {
                @Override
                public void onData(AsyncSocket socket, MemorySegment data) {
                    got.update(data.asByteBuffer());
                    received[0] += data.byteSize();
                    if (received[0] >= size) {
                        socket.close();
                        result.complete(received[0] == size && got.getValue() == sent.getValue());
                    }
                }

                @Override
                public void onEnd(AsyncSocket socket, RingIoException error) {
                    if (!result.isDone()) {
                        result.completeExceptionally(new AssertionError("receive ended after " + received[0] + " of "
                                + size + " bytes", error));
                    }
                }
            });
            s.writeAll(src).whenComplete((n, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                }
            });
        });
        return result;
    }

    @Test
    void echoesThousandConcurrentConnectionsWithChecksums() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (EventLoop serverLoop = EventLoop.open(); EventLoop clientLoop = EventLoop.open();
                AsyncServerSocket echo = echoServer(serverLoop, new InetSocketAddress("127.0.0.1", 0), accepted)) {
            List<CompletableFuture<Boolean>> all = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                all.add(echoOnce(clientLoop, echo.localAddress(), 16 << 10, i));
            }
            for (int i = 0; i < 4; i++) {
                all.add(echoOnce(clientLoop, echo.localAddress(), 4 << 20, 1000 + i));
            }
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).get(WAIT, TimeUnit.SECONDS)).as("connection %d echoed intact", i).isTrue();
            }
            assertThat(accepted.get()).isEqualTo(1004);
        }
    }

    @Test
    void echoesOverIpv6() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        try (EventLoop serverLoop = EventLoop.open(); EventLoop clientLoop = EventLoop.open()) {
            AsyncServerSocket echo;
            try {
                echo = echoServer(serverLoop, v6, new AtomicInteger());
            } catch (RingIoException e) {
                assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
                return;
            }
            try (echo) {
                assertThat(echo.localAddress().getAddress()).isInstanceOf(Inet6Address.class);
                assertThat(echoOnce(clientLoop, echo.localAddress(), 1 << 20, 7).get(WAIT, TimeUnit.SECONDS))
                        .isTrue();
            }
        }
    }
}
