package io.ringloop.bench.io;

import io.ringloop.bench.loop.NettyTransport;
import io.ringloop.bench.loop.RingloopLoop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One server of the network benchmarks, as a command for a process of its own: a JVM, or the C ceiling.
 *
 * @param system ringloop, ringloop-epoll, netty-io_uring, netty-epoll, jdk-vt or c-limit (the C ceiling)
 * @param variant the example's class or Netty's IoHandler
 * @param mainClass what the JVM runs ({@code ceiling_server} for the C ceiling, which is no JVM)
 * @param args the main class's arguments (all servers bind 127.0.0.1 on a free port and print it)
 */
public record ServerUnderTest(String system, String variant, String mainClass, List<String> args) {
    /** ringloop-examples' command-line entry point. */
    public static final String EXAMPLES_MAIN = "io.ringloop.examples.Examples";
    /** The system name of the JDK's own virtual-thread sockets. */
    public static final String JDK_VT = "jdk-vt";

    /**
     * ringloop's example server and its Netty peers, each on one event loop thread.
     *
     * @param kind echo or HTTP
     * @return ringloop first (io_uring, then epoll), then Netty io_uring and epoll, then the C ceiling
     */
    public static List<ServerUnderTest> of(NettyServer.Kind kind) {
        return of(kind, 1);
    }

    /**
     * The same servers on {@code loops} event loop threads each (variants name the count when it is not 1).
     *
     * @param kind echo or HTTP
     * @param loops event loop threads per server
     * @return ringloop first (io_uring, then epoll), then Netty io_uring and epoll, then the C ceiling
     */
    public static List<ServerUnderTest> of(NettyServer.Kind kind, int loops) {
        String k = kind.name().toLowerCase(Locale.ROOT);
        String example = kind == NettyServer.Kind.ECHO ? "EchoServerMain" : "HttpServerMain";
        String n = Integer.toString(loops);
        String variant = loops == 1 ? example : example + " --loops " + n;
        return List.of(
                new ServerUnderTest("ringloop", variant, EXAMPLES_MAIN, List.of(k, "--port", "0", "--loops", n)),
                // The same server on the epoll backend, for hosts that refuse io_uring: its peer is Netty epoll.
                new ServerUnderTest(RingloopLoop.EPOLL_SYSTEM, variant + " --backend epoll", EXAMPLES_MAIN,
                        List.of(k, "--port", "0", "--loops", n, "--backend", "epoll")),
                netty(kind, NettyTransport.IO_URING, "io_uring", loops),
                netty(kind, NettyTransport.EPOLL, "epoll", loops),
                ceiling(kind, loops));
    }

    /**
     * The C server that shows what the host allows ({@link CeilingServer}), on {@code loops} threads.
     *
     * @param kind echo or HTTP
     * @param loops threads, each with its own epoll and listening socket
     * @return the ceiling's entry
     */
    public static ServerUnderTest ceiling(NettyServer.Kind kind, int loops) {
        return new ServerUnderTest(CeilingServer.SYSTEM, loops == 1 ? "epoll, C" : "epoll, C x" + loops,
                CeilingServer.PROGRAM, List.of(kind.name().toLowerCase(Locale.ROOT), Integer.toString(loops)));
    }

    /**
     * ringloop's virtual-thread example server (one loop, one virtual thread per connection on its blocking sockets)
     * and the same example on the JDK's own sockets ({@code --jdk}: blocking {@code SocketChannel}s on virtual
     * threads, the JDK's poller).
     *
     * @param kind echo or HTTP
     * @return ringloop first, then the JDK, then the C ceiling
     */
    public static List<ServerUnderTest> virtualThreads(NettyServer.Kind kind) {
        String k = "vt-" + kind.name().toLowerCase(Locale.ROOT);
        String example = kind == NettyServer.Kind.ECHO ? "VtEchoMain" : "VtHttpMain";
        List<ServerUnderTest> servers = new ArrayList<>();
        servers.add(new ServerUnderTest("ringloop", example, EXAMPLES_MAIN, List.of(k, "--port", "0", "--loops", "1")));
        if (kind == NettyServer.Kind.ECHO) {
            // The same server whose loop spins 20 us before it parks: the default (no spin on 2 CPUs) parks the loop
            // between the carriers' hand-offs, and each park and wake is a context switch on the same two CPUs.
            // (For vt_http_rps the spin was measured too, 2026-11-29: 0.78x and 0.95x the JDK against 0.90x and
            // 0.83x without: it takes the CPU wrk needs on the same two cores, so it is not run there.)
            servers.add(new ServerUnderTest("ringloop", example + " --spin-nanos 20000", EXAMPLES_MAIN,
                    List.of(k, "--port", "0", "--loops", "1", "--spin-nanos", "20000")));
        }
        servers.add(new ServerUnderTest(JDK_VT, example + " --jdk", EXAMPLES_MAIN, List.of(k, "--port", "0", "--jdk")));
        servers.add(ceiling(kind, 1));
        return servers;
    }

    private static ServerUnderTest netty(NettyServer.Kind kind, NettyTransport t, String arg, int loops) {
        return new ServerUnderTest(t.system(), loops == 1 ? t.variant() : t.variant() + " x" + loops,
                NettyServer.class.getName(),
                List.of(kind.name().toLowerCase(Locale.ROOT), arg, "0", "127.0.0.1", Integer.toString(loops)));
    }

    /**
     * Starts the server's JVM.
     *
     * @return the process; {@link ServerProcess#awaitPort} tells when it listens
     * @throws IOException if java cannot be started
     */
    public ServerProcess spawn() throws IOException {
        if (mainClass.equals(CeilingServer.PROGRAM)) {
            return ServerProcess.startProgram(system + "/" + variant, CeilingServer.command(args));
        }
        return ServerProcess.start(system + "/" + variant, mainClass, args);
    }
}
