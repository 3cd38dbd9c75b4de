package io.ringloop.io.blocking.snippets;

import io.ringloop.EventLoop;
import io.ringloop.io.blocking.BlockingServerSocket;
import io.ringloop.io.blocking.BlockingSocket;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example in the {@code io.ringloop.io.blocking} package overview (and the README), compiled and run here so that
 * it cannot rot.
 */
class BlockingSnippets {
    @Test
    void shouldRunTheServerExample() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            // @start region="server"
            BlockingServerSocket server = BlockingServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0));
            Thread.ofVirtual().start(() -> {
                while (server.isOpen()) {
                    try {
                        BlockingSocket s = server.accept();             // parks until the ring's accept completes
                        Thread.ofVirtual().start(() -> echo(s));        // one virtual thread per connection
                    } catch (IOException e) {
                        return;                                         // closed
                    }
                }
            });
            // @end
            try (BlockingSocket c = BlockingSocket.connect(loop, server.localAddress())) {
                c.setSoTimeout(10_000);
                c.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(c.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
                        .isEqualTo("hello");
            }
            server.close();
        }
    }

    // @start region="echo"
    static void echo(BlockingSocket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            in.transferTo(out);                                         // read until end of stream, write it back
        } catch (IOException e) {
            // the peer reset, or the socket was closed
        }
    }
    // @end
}
