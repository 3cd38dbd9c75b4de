package io.ringloop.examples;

import io.ringloop.LoopOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.Callable;

/** An echo server in plain blocking code: one virtual thread per connection, reading and writing back. */
@Command(name = "vt-echo", mixinStandardHelpOptions = true,
        description = "TCP echo server, one virtual thread per connection on ringloop's blocking sockets")
final class VtEchoMain implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "7007", description = "port (0 = any free port), default ${DEFAULT-VALUE}")
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
        return new VtServers("vt-echo", host, port, loops, loop, VtEchoMain::echo);
    }

    static VtServer startJdk(String host, int port) throws IOException {
        return new JdkVtServer("vt-echo", host, port, VtEchoMain::echo);
    }

    /** Writes back what arrives until end of stream; a reset or close ends it quietly. */
    static void echo(ByteChannel s) {
        ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
        try {
            while (s.read(buf.clear()) > 0) {
                s.write(buf.flip());
            }
        } catch (IOException e) {
            // the peer reset, or the server is closing
        }
    }

    @Override
    public Integer call() throws Exception {
        try (VtServer s = jdk ? startJdk(server.host, port)
                : start(server.host, port, server.loops, server.loop())) {
            String on = jdk ? " on the JDK's sockets" : " with " + server.loops + " loop(s)";
            System.out.println("vt-echo server on " + server.host + ":" + s.port() + on + "; Ctrl-C stops");
            s.awaitShutdown();
        }
        return 0;
    }
}
