package io.ringloop.examples;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A running virtual-thread server: on ringloop's blocking sockets ({@link VtServers}) or on the JDK's
 * ({@link JdkVtServer}).
 */
interface VtServer extends AutoCloseable {
    /** The port it listens on. */
    int port();

    /** Blocks until the server is closed, by {@link #close()} or a shutdown hook. */
    void awaitShutdown() throws InterruptedException;

    @Override
    void close();

    /** A blocking accept. */
    interface Accept<S> {
        S accept() throws IOException;
    }

    /**
     * Accepts until the server closes, one virtual thread per connection running the handler, which then closes it.
     *
     * @param accept the server's accept
     * @param open whether the server is open (a failed accept of a closed server ends the loop)
     * @param handler what each connection runs
     */
    static <S extends ByteChannel> void acceptLoop(Accept<S> accept, BooleanSupplier open,
            Consumer<? super S> handler) {
        while (true) {
            S s;
            try {
                s = accept.accept();
            } catch (IOException e) {
                if (!open.getAsBoolean()) {
                    return;   // closed: the server is stopping
                }
                System.err.println("accept: " + e.getMessage());   // EMFILE and the like: keep serving
                continue;
            }
            Thread.ofVirtual().start(() -> {
                try (s) {
                    handler.accept(s);
                } catch (IOException e) {
                    // the close after the peer went away
                }
            });
        }
    }
}
