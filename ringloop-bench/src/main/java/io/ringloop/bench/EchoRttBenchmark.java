package io.ringloop.bench;

import io.ringloop.bench.io.EchoClient;
import io.ringloop.bench.io.NettyServer;
import io.ringloop.bench.io.ServerUnderTest;
import io.ringloop.bench.loop.Unavailable;
import io.ringloop.bench.measure.Tally;
import io.ringloop.bench.report.Row;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * echo_rtt: round trips of a 64-byte message over one loopback TCP connection to ringloop's example echo server and
 * to the same server on Netty io_uring and epoll, each in its own JVM; one blocking client for all, interleaved round
 * by round.
 */
final class EchoRttBenchmark {
    static final String NAME = "echo_rtt";
    static final int MESSAGE_BYTES = 64;

    private EchoRttBenchmark() {
    }

    private static final class Subject {
        final ServerFleet.Running server;
        final Tally tally = new Tally();
        final ServerCpu cpu = new ServerCpu();
        EchoClient client;

        Subject(ServerFleet.Running server) {
            this.server = server;
        }

        void fail(IOException e) {
            tally.fail(e.getMessage() + server.death());
        }
    }

    static List<Row> run(Plan plan, Predicate<String> wanted, Progress progress, List<Unavailable> unavailable) {
        IoPlan io = plan.io();
        List<ServerUnderTest> servers = ServerUnderTest.of(NettyServer.Kind.ECHO).stream()
                .filter(s -> wanted.test(s.system())).toList();
        List<Subject> subjects = new ArrayList<>();
        try (ServerFleet fleet = ServerFleet.start(NAME, servers, progress, unavailable)) {
            fleet.running().forEach(r -> subjects.add(new Subject(r)));
            for (Subject s : subjects) {
                try {
                    s.client = new EchoClient(s.server.port(), MESSAGE_BYTES);
                    s.client.measure(io.echoWarmup().toNanos(), Integer.MAX_VALUE, new Tally());
                } catch (IOException e) {
                    s.fail(e);
                }
            }
            Rotation.rounds(subjects, io.echoRounds(), (round, s) -> {
                if (s.tally.failure() != null) {
                    return;
                }
                try {
                    s.cpu.begin(s.server.process());
                    long echoes = s.client.measure(io.echoSlice().toNanos(), plan.maxSamplesPerSlice(), s.tally);
                    s.cpu.end(s.server.process(), echoes);
                } catch (IOException e) {
                    s.fail(e);
                }
            });
            for (Subject s : subjects) {
                if (s.client != null) {
                    try {
                        s.client.close();
                    } catch (IOException ignored) {
                        // the figures are in
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            subjects.forEach(s -> s.tally.fail("interrupted"));
        }
        List<Row> rows = new ArrayList<>();
        for (Subject s : subjects) {
            Map<String, Object> extra = new LinkedHashMap<>();
            s.cpu.put(extra, "echo");
            rows.add(Row.latency(NAME, s.server.system(), s.server.variant(), s.tally, extra));
        }
        return rows;
    }
}
