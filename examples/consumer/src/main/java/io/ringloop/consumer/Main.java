package io.ringloop.consumer;

import io.ringloop.EventLoop;
import io.ringloop.LoopStats;
import io.ringloop.io.AsyncFile;
import io.ringloop.io.AsyncServerSocket;
import io.ringloop.io.AsyncSocket;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task, reads a file and makes one loopback round trip on a loop, then prints {@code consumer ok} and the
 * loop's counters. Exits with status 1 if anything did not come back as sent.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the program.
     *
     * @param args none
     * @throws Exception if anything fails
     */
    public static void main(String[] args) throws Exception {
        Path file = Files.createTempFile("ringloop-consumer", ".txt");
        Files.writeString(file, "from the ring");
        try (EventLoop loop = EventLoop.open()) {
            int answer = loop.submit(() -> 42).get(10, TimeUnit.SECONDS);
            String read;
            try (AsyncFile f = AsyncFile.open(loop, file, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(64);
                int n = f.read(buf, 0).get(10, TimeUnit.SECONDS);
                read = new String(buf.array(), 0, n, StandardCharsets.UTF_8);
            }
            String echoed;
            try (AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0))) {
                var accepted = server.accept();
                AsyncSocket client = AsyncSocket.connect(loop, server.localAddress()).get(10, TimeUnit.SECONDS);
                AsyncSocket peer = accepted.get(10, TimeUnit.SECONDS);
                client.writeAll(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII))).get(10, TimeUnit.SECONDS);
                ByteBuffer in = ByteBuffer.allocate(4);
                while (in.hasRemaining()) {
                    peer.read(in).get(10, TimeUnit.SECONDS);
                }
                echoed = new String(in.array(), StandardCharsets.US_ASCII);
                client.close();
                peer.close();
            }
            LoopStats stats = loop.stats();
            boolean ok = answer == 42 && read.equals("from the ring") && echoed.equals("ping");
            System.out.println((ok ? "consumer ok" : "consumer FAILED") + ": answer " + answer + ", read '" + read
                    + "', received '" + echoed + "', module " + EventLoop.class.getModule().getName() + "; " + stats);
            if (!ok) {
                System.exit(1);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
