package io.ringloop.examples;

import io.ringloop.io.AsyncSocket;
import io.ringloop.io.ReceiveHandler;
import io.ringloop.io.RingIoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Callable;

/**
 * An echo server: multishot accept, multishot receive into the loop's provided buffers, and every arrival written
 * back in order. The bytes are copied out of the provided buffer (it goes back to the kernel when the handler
 * returns) into memory the write keeps alive until its completion.
 */
@Command(name = "echo", mixinStandardHelpOptions = true, description = "TCP echo server")
final class EchoServerMain implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "7007", description = "port (0 = any free port), default ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind, default ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--loops", defaultValue = "1", description = "event loops sharing the port (SO_REUSEPORT)")
    int loops;

    /** The per-connection logic, shared by every connection. */
    static final ReceiveHandler ECHO = new ReceiveHandler() {
        @Override
        public void onData(AsyncSocket socket, MemorySegment data) {
            MemorySegment copy = Arena.ofAuto().allocate(data.byteSize());
            MemorySegment.copy(data, 0, copy, 0, data.byteSize());
            socket.writeAll(copy);
        }

        @Override
        public void onEnd(AsyncSocket socket, RingIoException error) {
            socket.close();
        }
    };

    static Servers start(String host, int port, int loops) throws RingIoException {
        return new Servers("echo", host, port, loops, s -> s.receive(ECHO));
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
