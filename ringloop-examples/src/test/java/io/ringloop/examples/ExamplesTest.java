package io.ringloop.examples;

import io.ringloop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ExamplesTest {
    @TempDir
    Path dir;

    @Test
    void httpServerAnswersKeepAliveAndPipelinedRequestsSplitAnywhere() throws Exception {
        try (Servers s = HttpServerMain.start("127.0.0.1", 0, 2)) {
            HttpConversation.keepAliveAndPipelined(s.port());
        }
    }

    @Test
    void echoServerEchoes() throws Exception {
        try (Servers s = EchoServerMain.start("127.0.0.1", 0, 1);
                Socket c = new Socket("127.0.0.1", s.port())) {
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

    @Test
    void copyCopiesExactly() throws Exception {
        Path src = dir.resolve("src");
        Path dst = dir.resolve("dst");
        byte[] data = new byte[5 * 1024 * 1024 + 123];
        new Random(2).nextBytes(data);
        Files.write(src, data);
        try (EventLoop loop = EventLoop.open()) {
            assertThat(CopyMain.copy(loop, src, dst, 1 << 20, 4)).isEqualTo(data.length);
        }
        assertThat(Files.readAllBytes(dst)).isEqualTo(data);
    }
}
