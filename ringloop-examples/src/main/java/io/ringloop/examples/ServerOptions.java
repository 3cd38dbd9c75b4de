package io.ringloop.examples;

import io.ringloop.Backend;
import io.ringloop.LoopOptions;
import picocli.CommandLine.Option;

/** The options every example server shares: where it binds and on how many loops (each example names its port). */
final class ServerOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind, default ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--loops", defaultValue = "1", description = "event loops sharing the port (SO_REUSEPORT)")
    int loops;

    @Option(names = "--spin-nanos", defaultValue = "0", description = "how long each loop spins before it parks, in "
            + "ns (LoopOptions.spinNanos), default ${DEFAULT-VALUE}")
    long spinNanos;

    @Option(names = "--backend", defaultValue = "auto", description = "auto, io_uring or epoll (Backend): what the "
            + "loops run on, default ${DEFAULT-VALUE} (io_uring where the kernel allows it, else epoll)")
    String backend;

    /** The loops' options these flags ask for. */
    LoopOptions.Builder loop() {
        return LoopOptions.builder().spinNanos(spinNanos).backend(Backend.parse(backend));
    }
}
