package io.ringloop.bench;

import io.ringloop.bench.io.NettyServer;
import io.ringloop.bench.io.PingPongClient;
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
 * vt_echo_pingpong: one virtual thread per connection, 1000 connections each with one 512-byte message in flight:
 * ringloop's vt-echo example (one loop) against the same example on the JDK's own sockets, each in its own JVM. One
 * selector client in the harness drives both, interleaved round by round. Echoes per second go into
 * vt_echo_pingpong, their round trips into vt_echo_pingpong_latency.
 */
final class VtEchoBenchmark {
    static final String NAME = "vt_echo_pingpong";
    static final String LATENCY = "vt_echo_pingpong_latency";
    static final int CONNECTIONS = 1000;
    static final int MESSAGE_BYTES = 512;

    private VtEchoBenchmark() {
    }

    private static final class Subject {
        final ServerFleet.Running server;
        final Tally tally = new Tally();
        PingPongClient client;
        long echoes;
        long nanos;

        Subject(ServerFleet.Running server) {
            this.server = server;
        }

        void fail(IOException e) {
            tally.fail(e.getMessage() + server.death());
        }
    }

    static List<Row> run(Plan plan, Predicate<String> wanted, Progress progress, List<Unavailable> unavailable) {
        IoPlan io = plan.io();
        List<ServerUnderTest> servers = ServerUnderTest.virtualThreads(NettyServer.Kind.ECHO).stream()
                .filter(s -> wanted.test(s.system())).toList();
        List<Subject> subjects = new ArrayList<>();
        try (ServerFleet fleet = ServerFleet.start(NAME, servers, progress, unavailable)) {
            fleet.running().forEach(r -> subjects.add(new Subject(r)));
            for (Subject s : subjects) {
                try {
                    s.client = new PingPongClient(s.server.port(), CONNECTIONS, MESSAGE_BYTES);
                    // as long as http_rps' warm-up: a server that serves 1000 connections at once compiles more
                    s.client.run(io.httpWarmup().toNanos(), new Tally());
                } catch (IOException e) {
                    s.fail(e);
                }
            }
            Rotation.rounds(subjects, io.echoRounds(), (round, s) -> {
                if (s.tally.failure() != null) {
                    return;
                }
                try {
                    long start = System.nanoTime();
                    s.echoes += s.client.run(io.echoSlice().toNanos(), s.tally);
                    s.nanos += System.nanoTime() - start;
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
            extra.put("connections", CONNECTIONS);
            if (s.tally.failure() != null) {
                extra.put("failure", s.tally.failure());
            }
            if (s.echoes == 0 || s.nanos == 0) {
                extra.putIfAbsent("note", "no echoes");
                rows.add(new Row(NAME, s.server.system(), s.server.variant(), Row.OPS, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, extra));
            } else {
                extra.put("rtt_p99_ns", s.tally.samples().getValueAtPercentile(99));
                rows.add(Row.throughput(NAME, s.server.system(), s.server.variant(), s.echoes * 1e9 / s.nanos,
                        s.echoes, extra));
            }
        }
        for (Subject s : subjects) {
            rows.add(Row.latency(LATENCY, s.server.system(), s.server.variant(), s.tally,
                    Map.of("connections", CONNECTIONS)));
        }
        return rows;
    }
}
