package io.ringloop.bench;

import io.ringloop.bench.io.ServerProcess;
import io.ringloop.bench.io.ServerUnderTest;
import io.ringloop.bench.loop.Unavailable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers of one network benchmark, each in a JVM of its own, started together and stopped together. A server
 * that does not come up is reported unavailable with its output.
 */
final class ServerFleet implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * A listening server.
     *
     * @param server what it is
     * @param process its JVM
     * @param port where it listens on 127.0.0.1
     */
    record Running(ServerUnderTest server, ServerProcess process, int port) {
        String system() {
            return server.system();
        }

        String variant() {
            return server.variant();
        }

        /** Empty while the process runs, else what it said last. */
        String death() {
            return process.isAlive() ? "" : "; the server process ended, its output: " + process.output();
        }
    }

    private final List<Running> running = new ArrayList<>();

    private ServerFleet() {
    }

    static ServerFleet start(String benchmark, List<ServerUnderTest> servers, Progress progress,
            List<Unavailable> unavailable) throws InterruptedException {
        ServerFleet fleet = new ServerFleet();
        Map<ServerUnderTest, ServerProcess> started = new LinkedHashMap<>();
        for (ServerUnderTest s : servers) {
            try {
                started.put(s, s.spawn());
            } catch (IOException e) {
                unavailable.add(new Unavailable(s.system(), s.variant(),
                        benchmark + ": cannot start: " + e.getMessage()));
            }
        }
        try {
            for (Map.Entry<ServerUnderTest, ServerProcess> e : started.entrySet()) {
                ServerUnderTest s = e.getKey();
                try {
                    int port = e.getValue().awaitPort(START_TIMEOUT);
                    fleet.running.add(new Running(s, e.getValue(), port));
                    progress.line("%s/%s listening on port %d (%s)", s.system(), s.variant(), port, e.getValue());
                } catch (IllegalStateException failed) {
                    e.getValue().close();
                    unavailable.add(new Unavailable(s.system(), s.variant(), benchmark
                            + ": server did not start: "
                            + failed.getMessage()));
                }
            }
        } catch (InterruptedException e) {
            started.values().forEach(ServerProcess::close);
            throw e;
        }
        return fleet;
    }

    List<Running> running() {
        return List.copyOf(running);
    }

    @Override
    public void close() {
        running.forEach(r -> r.process().close());
    }
}
