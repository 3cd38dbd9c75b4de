package io.ringloop.examples;

import io.ringloop.LoopOptions;
import io.ringloop.io.AsyncSocket;
import io.ringloop.io.IoHandler;
import io.ringloop.io.ReceiveHandler;
import io.ringloop.io.RingIoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A minimal HTTP/1.1 server for load generators such as wrk: keep-alive, pipelining, one fixed small body. A request
 * ends at its blank line ({@code \r\n\r\n}); request bodies are not supported (GET and HEAD). Each request is answered
 * with one write of a shared, read-only response: the callback form on the loop thread allocates nothing per request.
 */
@Command(name = "http", mixinStandardHelpOptions = true, description = "HTTP/1.1 server with a fixed body, for wrk")
final class HttpServerMain implements Callable<Integer> {
    static final String BODY = "Hello, World!";

    @Option(names = "--port", defaultValue = "8080", description = "port (0 = any free port), default ${DEFAULT-VALUE}")
    int port;

    @Mixin
    ServerOptions server = new ServerOptions();

    static Servers start(String host, int port, int loops) throws RingIoException {
        return start(host, port, loops, LoopOptions.builder());
    }

    static Servers start(String host, int port, int loops, LoopOptions.Builder loop) throws RingIoException {
        return new Servers("http", host, port, loops, loop, s -> s.receive(new Connection()));
    }

    @Override
    public Integer call() throws Exception {
        try (Servers s = start(server.host, port, server.loops, server.loop())) {
            System.out.println("http server on http://" + server.host + ":" + s.port() + "/ with " + server.loops
                    + " loop(s); Ctrl-C stops");
            s.awaitShutdown();
        }
        return 0;
    }

    /** One connection's parser state: how much of {@code \r\n\r\n} the bytes so far end with. */
    static final class Connection implements ReceiveHandler, IoHandler<AsyncSocket> {
        private static final byte[] END = {'\r', '\n', '\r', '\n'};
        private int matched;

        @Override
        public void onData(AsyncSocket socket, MemorySegment data) {
            long n = data.byteSize();
            int m = matched;
            int requests = 0;
            for (long i = 0; i < n; i++) {
                byte b = data.get(JAVA_BYTE, i);
                if (b == END[m]) {
                    if (++m == END.length) {
                        m = 0;
                        requests++;
                    }
                } else {
                    m = b == '\r' ? 1 : 0;
                }
            }
            matched = m;
            // One write for all the requests that arrived together (pipelining): the answers leave in one send.
            while (requests > 0) {
                int k = Math.min(requests, Responses.MAX_BATCH);
                socket.writeAll(Responses.batch(k), 0, TimeUnit.NANOSECONDS, socket, this);
                requests -= k;
            }
        }

        @Override
        public void onEnd(AsyncSocket socket, RingIoException error) {
            socket.close();
        }

        @Override
        public void completed(long result, AsyncSocket socket) {
        }

        @Override
        public void failed(RingIoException error, AsyncSocket socket) {
            socket.close();
        }
    }

    /** The response bytes, built once, with views of 1 to {@link #MAX_BATCH} copies back to back. */
    static final class Responses {
        static final int MAX_BATCH = 64;
        private static final MemorySegment[] BATCHES = new MemorySegment[MAX_BATCH + 1];

        static {
            byte[] bytes = ("HTTP/1.1 200 OK\r\nServer: ringloop\r\nContent-Type: text/plain\r\nContent-Length: "
                    + BODY.length() + "\r\n\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);
            MemorySegment all = Arena.global().allocate((long) bytes.length * MAX_BATCH);
            for (int i = 0; i < MAX_BATCH; i++) {
                MemorySegment.copy(bytes, 0, all, JAVA_BYTE, (long) i * bytes.length, bytes.length);
            }
            for (int k = 1; k <= MAX_BATCH; k++) {
                BATCHES[k] = all.asSlice(0, (long) k * bytes.length);
            }
        }

        private Responses() {
        }

        static MemorySegment batch(int k) {
            return BATCHES[k];
        }
    }
}
