package io.ringloop.examples;

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
}
