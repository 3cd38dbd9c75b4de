package io.ringloop.examples;

import io.ringloop.LoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The virtual-thread examples, started and talked to over loopback with the JDK's own sockets. */
class VtExamplesTest {
    @TempDir
    Path dir;

    @Test
    void vtEchoEchoesAMegabyteOnEachOfTwoLoops() throws Exception {
        try (VtServer s = VtEchoMain.start("127.0.0.1", 0, 2)) {
            echoesAMegabyte(s.port());
        }
    }

    @Test
    void vtEchoOnTheJdksSocketsEchoesTheSame() throws Exception {
        try (VtServer s = VtEchoMain.startJdk("127.0.0.1", 0)) {
            echoesAMegabyte(s.port());
        }
    }

    private static void echoesAMegabyte(int port) throws Exception {
        for (int c = 0; c < 4; c++) {
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(10_000);
                byte[] data = new byte[1 << 20];
                new Random(c).nextBytes(data);
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        client.getOutputStream().write(data);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                assertThat(client.getInputStream().readNBytes(data.length)).isEqualTo(data);
                writer.join(10_000);
                assertThat(writer.isAlive()).isFalse();
            }
        }
    }

    @Test
    void vtHttpAnswersKeepAliveAndPipelinedRequestsSplitAnywhere() throws Exception {
        try (VtServer s = VtHttpMain.start("127.0.0.1", 0, 1)) {
            HttpConversation.keepAliveAndPipelined(s.port());
        }
    }

    @Test
    void vtHttpOnTheJdksSocketsAnswersTheSame() throws Exception {
        try (VtServer s = VtHttpMain.startJdk("127.0.0.1", 0)) {
            HttpConversation.keepAliveAndPipelined(s.port());
        }
    }

    @Test
    void vtCatPrintsFilesInOrder() throws Exception {
        List<Path> files = new ArrayList<>();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random rnd = new Random(7);
        for (int i = 0; i < 20; i++) {
            byte[] data = new byte[rnd.nextInt(200_000)];
            rnd.nextBytes(data);
            Path p = dir.resolve("f" + i);
            Files.write(p, data);
            files.add(p);
            expected.write(data);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LoopGroup group = LoopGroup.open(2)) {
            assertThat(VtCatMain.cat(group, files, 4096, out)).isEqualTo(expected.size());
            assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
            List<Path> missing = List.of(files.get(0), dir.resolve("missing"));
            assertThatThrownBy(() -> VtCatMain.cat(group, missing, 4096, new ByteArrayOutputStream()))
                    .isInstanceOf(IOException.class).hasMessageContaining("ENOENT");
        }
    }
}
