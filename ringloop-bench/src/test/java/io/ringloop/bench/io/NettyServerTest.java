package io.ringloop.bench.io;

import io.ringloop.bench.loop.NettyTransport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Netty peers of the example servers answer as ringloop's do. */
class NettyServerTest {
    private static void assumeAvailable(NettyTransport t) {
        assumeTrue(t.unavailability().isEmpty(), () -> t.system() + " unavailable here: "
                + t.unavailability().map(Throwable::toString).orElse(""));
    }

    @ParameterizedTest
    @EnumSource(value = NettyTransport.class, names = {"IO_URING", "EPOLL"})
    void echoServerEchoesSmallAndLargeWrites(NettyTransport t) throws Exception {
        assumeAvailable(t);
        try (NettyServer s = NettyServer.start(NettyServer.Kind.ECHO, t, "127.0.0.1", 0)) {
            try (EchoClient c = new EchoClient(s.port(), 64)) {
                for (int i = 0; i < 100; i++) {
                    assertThat(c.roundTrip()).isPositive();
                }
            }
            try (Socket c = new Socket("127.0.0.1", s.port())) {
                c.setSoTimeout(10_000);
                byte[] data = new byte[1 << 20];
                new Random(1).nextBytes(data);
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        c.getOutputStream().write(data);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                assertThat(c.getInputStream().readNBytes(data.length)).isEqualTo(data);
                writer.join(10_000);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = NettyTransport.class, names = {"IO_URING", "EPOLL"})
    void httpServerAnswersKeepAliveAndPipelinedRequestsSplitAnywhere(NettyTransport t) throws Exception {
        assumeAvailable(t);
        String response = NettyServer.HTTP_RESPONSE;
        try (NettyServer s = NettyServer.start(NettyServer.Kind.HTTP, t, "127.0.0.1", 0);
                Socket c = new Socket("127.0.0.1", s.port())) {
            c.setSoTimeout(10_000);
            OutputStream out = c.getOutputStream();
            InputStream in = c.getInputStream();
            String req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readNBytes(response.length()), StandardCharsets.US_ASCII)).isEqualTo(response);
            // 3 pipelined requests written byte by byte, so the blank line is split across reads
            for (byte b : (req + req + req).getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
            }
            // and 3 in one write
            out.write((req + req + req).getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readNBytes(6 * response.length()), StandardCharsets.US_ASCII))
                    .isEqualTo(response.repeat(6));
            c.shutdownOutput();
            assertThat(in.read()).as("nothing more than the six answers").isEqualTo(-1);
        }
    }
}
