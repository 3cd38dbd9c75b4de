package io.ringloop.examples;

import io.ringloop.io.RingIoException;
import picocli.CommandLine.Command;
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

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind, default ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--loops", defaultValue = "1", description = "event loops sharing the port (SO_REUSEPORT)")
    int loops;

    static Servers start(String host, int port, int loops) throws RingIoException {
        return new Servers("echo", host, port, loops, s -> s.receive(EchoHandler.INSTANCE));
    }

    @Override
    public Integer call() throws Exception {
        try (Servers s = start(host, port, loops)) {
            System.out.println("echo server on " + host + ":" + s.port() + " with " + loops + " loop(s); Ctrl-C stops");
            s.awaitShutdown();
        }
        return 0;
    }
}
