package io.ringloop.examples;

import io.ringloop.LoopOptions;
import io.ringloop.io.RingIoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * An echo server: multishot accept, and on every connection a multishot receive into the loop's provided buffers
 * with {@link EchoHandler}, which writes every arrival back in order.
 */
@Command(name = "echo", mixinStandardHelpOptions = true, description = "TCP echo server")
final class EchoServerMain implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "7007", description = "port (0 = any free port), default ${DEFAULT-VALUE}")
    int port;

    @Mixin
    ServerOptions server = new ServerOptions();

    static Servers start(String host, int port, int loops) throws RingIoException {
        return start(host, port, loops, LoopOptions.builder());
    }

    static Servers start(String host, int port, int loops, LoopOptions.Builder loop) throws RingIoException {
        return new Servers("echo", host, port, loops, loop, s -> s.receive(EchoHandler.INSTANCE));
    }

    @Override
    public Integer call() throws Exception {
        try (Servers s = start(server.host, port, server.loops, server.loop())) {
            System.out.println("echo server on " + server.host + ":" + s.port() + " with " + server.loops
                    + " loop(s); Ctrl-C stops");
            s.awaitShutdown();
        }
        return 0;
    }
}
