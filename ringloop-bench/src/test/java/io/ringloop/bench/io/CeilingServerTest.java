package io.ringloop.bench.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The network rows' C ceiling answers as the servers under test do: every echo byte back, the same HTTP response
 * bytes for each request, also when one read holds several requests or a request's end is split over two reads,
 * and with several threads on one port.
 */
class CeilingServerTest {
    private static final Duration START = Duration.ofSeconds(60);

    private static ServerProcess spawn(NettyServer.Kind kind, int threads) throws IOException {
        try {
            CeilingServer.compile();
        } catch (IOException e) {
            // a fresh machine may have no C compiler: the showdown then leaves c-limit out and says why
            assumeTrue(false, "no C ceiling here: " + e.getMessage());
        }
        return ServerUnderTest.ceiling(kind, threads).spawn();
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    @Test
    void echoesEveryByteOfAStreamLargerThanOneRead() throws Exception {
        try (ServerProcess p = spawn(NettyServer.Kind.ECHO, 1); Socket s = connect(p.awaitPort(START))) {
            byte[] sent = new byte[300_000]; // more than one 64 KiB read and more than a socket buffer takes at once
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i * 31 + 7);
            }
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    s.getOutputStream().write(sent);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] back = s.getInputStream().readNBytes(sent.length);
            writer.join(10_000);
            assertThat(Arrays.equals(back, sent)).as("%d bytes echoed unchanged", back.length).isTrue();
        }
    }

    @Test
    void answersEachRequestWithTheBenchmarksResponseWhereverItsEndFalls() throws Exception {
        try (ServerProcess p = spawn(NettyServer.Kind.HTTP, 1); Socket s = connect(p.awaitPort(START))) {
            String request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write((request + request).getBytes(StandardCharsets.US_ASCII)); // two requests in one read
            out.flush();
            assertThat(read(in, 2)).isEqualTo(NettyServer.HTTP_RESPONSE.repeat(2));
            byte[] split = request.getBytes(StandardCharsets.US_ASCII);
            out.write(split, 0, split.length - 3); // the end "\r\n\r\n" split over two reads
            out.flush();
            assertThat(in.available()).as("no answer before the request ends").isZero();
            out.write(split, split.length - 3, 3);
            out.flush();
            assertThat(read(in, 1)).isEqualTo(NettyServer.HTTP_RESPONSE);
        }
    }

    @Test
    void threadsShareOnePort() throws Exception {
        try (ServerProcess p = spawn(NettyServer.Kind.HTTP, 2)) {
            int port = p.awaitPort(START);
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 32; i++) {
                    Socket s = connect(port);
                    clients.add(s);
                    s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                for (Socket s : clients) {
                    assertThat(read(s.getInputStream(), 1)).isEqualTo(NettyServer.HTTP_RESPONSE);
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    private static String read(InputStream in, int responses) throws IOException {
        int n = NettyServer.HTTP_RESPONSE.length() * responses;
        byte[] b = in.readNBytes(n);
        assertThat(b).as("bytes before the server closed or the read timed out").hasSize(n);
        return new String(b, StandardCharsets.US_ASCII);
    }
}
