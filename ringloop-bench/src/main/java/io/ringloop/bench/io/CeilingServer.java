package io.ringloop.bench.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The network rows' ceiling, {@code c-limit}: an epoll echo or HTTP server in C ({@code ceiling_server.c}, compiled
 * with gcc at run time) that does almost nothing in user space. It runs in the same rounds as the servers under test
 * and is not a peer: ringloop's rows are compared with it to show how much of what the host allows they reach. On
 * loopback with the client on the same CPUs, the kernel's work per operation and the client's set most of the rate,
 * so no epoll server passes this one by much; an io_uring server passes it only by entering the kernel less per
 * operation (batched submissions), not by anything it saves in user space.
 */
public final class CeilingServer {
    /** The system name the ceiling's rows carry, as the futex floor's do. */
    public static final String SYSTEM = "c-limit";
    /** {@link ServerUnderTest#mainClass} for the ceiling: it runs the compiled program, not a JVM. */
    static final String PROGRAM = "ceiling_server";
    private static final String SOURCE = "ceiling_server.c";
    private static Path binary;

    private CeilingServer() {
    }

    /**
     * Compiles the server once per JVM.
     *
     * @return the binary
     * @throws IOException with gcc's message if it cannot be built
     */
    static synchronized Path compile() throws IOException {
        if (binary == null) {
            binary = Tools.compileC(CeilingServer.class, SOURCE, PROGRAM);
        }
        return binary;
    }

    /**
     * The command that starts it.
     *
     * @param args echo or http, then the thread count
     * @return the binary and its arguments
     * @throws IOException if it cannot be built
     */
    static List<String> command(List<String> args) throws IOException {
        return Stream.concat(Stream.of(compile().toString()), args.stream()).toList();
    }
}
