package io.ringloop.io.snippets;

import io.ringloop.EventLoop;
import io.ringloop.io.AsyncFile;
import io.ringloop.io.AsyncServerSocket;
import io.ringloop.io.AsyncSocket;
import io.ringloop.io.ReceiveHandler;
import io.ringloop.io.RingIoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples in the {@code io.ringloop.io} package overview, compiled and run here so that they cannot rot: the
 * Javadoc shows the regions between the {@code @start} and {@code @end} markers.
 */
class IoSnippets {
    @TempDir
    Path dir;

    @Test
    void shouldRunTheFileExample() throws Exception {
        Path path = dir.resolve("data.bin");
        Files.writeString(path, "hello, ring");
        try (EventLoop loop = EventLoop.open()) {
            // @start region="file"
            try (AsyncFile f = AsyncFile.open(loop, path, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocateDirect(4096);
                int n = f.read(buf, 0).get(10, TimeUnit.SECONDS);   // completes on the loop thread
                // @end
                assertThat(n).isEqualTo(11);
            }
        }
    }

    @Test
    void shouldRunTheEchoExample() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            // @start region="echo"
            AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0));
            server.accept(socket -> socket.receive(new ReceiveHandler() {      // multishot accept and receive
                @Override
                public void onData(AsyncSocket s, MemorySegment data) {
                    // data is valid during the call only: its buffer goes back to the kernel afterwards
                    s.writeAll(ByteBuffer.wrap(data.toArray(ValueLayout.JAVA_BYTE)));   // writes leave in order
                }

                @Override
                public void onEnd(AsyncSocket s, RingIoException error) {
                    s.close();
                }
            }));
            AsyncSocket client = AsyncSocket.connect(loop, server.localAddress()).get(10, TimeUnit.SECONDS);
            client.writeAll(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(2);
            CompletableFuture<Integer> read = client.read(reply);
            // @end
            assertThat(read.get(10, TimeUnit.SECONDS)).isPositive();
            client.close();
            server.close();
        }
    }
}
