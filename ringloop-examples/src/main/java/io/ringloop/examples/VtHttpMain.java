package io.ringloop.examples;

import io.ringloop.LoopOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.Callable;

/**
 * The {@code http} example's server in plain blocking code: one virtual thread per connection reads what arrived,
 * counts the requests that ended in it ({@code \r\n\r\n}; GET and HEAD, no bodies) and writes their answers in one
 * write. Keep-alive and pipelining as {@link HttpServerMain}.
 */
@Command(name = "vt-http", mixinStandardHelpOptions = true,
        description = "HTTP/1.1 server with a fixed body, one virtual thread per connection, for wrk")
final class VtHttpMain implements Callable<Integer> {
    private static final byte[] END = {'\r', '\n', '\r', '\n'};

    @Option(names = "--port", defaultValue = "8080", description = "port (0 = any free port), default ${DEFAULT-VALUE}")
    int port;

    @Mixin
    ServerOptions server = new ServerOptions();

    @Option(names = "--jdk", description = "the same handler on the JDK's own sockets (blocking SocketChannel on "
            + "virtual threads, the JDK's poller) instead of ringloop's, for comparison; --loops does not apply")
    boolean jdk;

    static VtServers start(String host, int port, int loops) throws IOException {
        return start(host, port, loops, LoopOptions.builder());
    }

    static VtServers start(String host, int port, int loops, LoopOptions.Builder loop) throws IOException {
        return new VtServers("vt-http", host, port, loops, loop, VtHttpMain::serve);
    }

    static VtServer startJdk(String host, int port) throws IOException {
        return new JdkVtServer("vt-http", host, port, VtHttpMain::serve);
    }

    static void serve(ByteChannel s) {
        ByteBuffer in = ByteBuffer.allocateDirect(16 * 1024);
        int matched = 0;
        try {
            while (s.read(in.clear()) > 0) {
                int requests = 0;
                for (int i = 0; i < in.position(); i++) {
                    byte b = in.get(i);
                    if (b == END[matched]) {
                        if (++matched == END.length) {
                            matched = 0;
                            requests++;
                        }
                    } else {
                        matched = b == '\r' ? 1 : 0;
                    }
                }
                while (requests > 0) {
                    int k = Math.min(requests, HttpServerMain.Responses.MAX_BATCH);
                    s.write(HttpServerMain.Responses.batch(k).asByteBuffer());
                    requests -= k;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public Integer call() throws Exception {
        try (VtServer s = jdk ? startJdk(server.host, port)
                : start(server.host, port, server.loops, server.loop())) {
            String on = jdk ? " on the JDK's sockets" : " with " + server.loops + " loop(s)";
            System.out.println("vt-http server on http://" + server.host + ":" + s.port() + "/" + on
                    + "; Ctrl-C stops");
            s.awaitShutdown();
        }
        return 0;
    }
}
