package io.ringloop.bench;

import io.ringloop.bench.io.CPingPongClient;
import io.ringloop.bench.io.PingPongClient;
import io.ringloop.bench.io.PingPongDriver;
import io.ringloop.bench.io.ServerUnderTest;
import io.ringloop.bench.loop.Unavailable;
import io.ringloop.bench.measure.Tally;
import io.ringloop.bench.report.Row;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Ping-pong over 1000 connections, each with one 512-byte message in flight, the next sent as soon as the whole echo
 * is back, so the server always has as many messages to answer as there are connections. One client thread drives
 * every server, interleaved round by round: for echo_pingpong_1000 a C program (epoll), for vt_echo_pingpong a JDK
 * Selector in the harness. Echoes per second go into the rate row, their round trips into the latency row. Two
 * benchmarks use it:
 * <ul>
 * <li>echo_pingpong_1000: ringloop's echo example (one loop) against the same server on Netty io_uring and epoll;
 *     ringloop's row adds its loop's kernel entries (asked of the server before and after each round);</li>
 * <li>vt_echo_pingpong: one virtual thread per connection, ringloop's vt-echo example against the same example on
 *     the JDK's own sockets.</li>
 * </ul>
 */
final class PingPongBenchmark {
    static final String LOOPS = "echo_pingpong_1000";
    static final String VT = "vt_echo_pingpong";
    static final int CONNECTIONS = 1000;
    static final int MESSAGE_BYTES = 512;
    private static final Duration STATS_TIMEOUT = Duration.ofSeconds(2);

    private PingPongBenchmark() {
    }

    private static final class Subject {
        final ServerFleet.Running server;
        final Tally tally = new Tally();
        final Map<String, Long> loopCounters = new LinkedHashMap<>();
        final ServerCpu cpu = new ServerCpu();
        PingPongDriver client;
        long echoes;
        long countedEchoes;
        long nanos;
        final List<Double> roundRates = new ArrayList<>();

        Subject(ServerFleet.Running server) {
            this.server = server;
        }

        void fail(IOException e) {
            tally.fail(e.getMessage() + server.death());
        }
    }

    static List<Row> run(String name, List<ServerUnderTest> all, Plan plan, Predicate<String> wanted,
            Progress progress, List<Unavailable> unavailable) {
        IoPlan io = plan.io();
        List<ServerUnderTest> servers = all.stream().filter(s -> wanted.test(s.system())).toList();
        List<Subject> subjects = new ArrayList<>();
        try (ServerFleet fleet = ServerFleet.start(name, servers, progress, unavailable)) {
            fleet.running().forEach(r -> subjects.add(new Subject(r)));
            for (Subject s : subjects) {
                try {
                    s.client = client(name, s.server.port(), progress);
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
                    measure(s, io.echoSlice().toNanos());
                } catch (IOException e) {
                    s.fail(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
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
            if (s.client != null) {
                extra.put("client", s.client.describe());
            }
            s.cpu.put(extra, "echo");
            HttpRpsBenchmark.kernelEntries(extra, s.loopCounters, s.countedEchoes);
            if (extra.containsKey("ring_enters_per_request")) {
                extra.put("ring_enters_per_echo", extra.remove("ring_enters_per_request"));
                extra.put("loop_syscalls_per_echo", extra.remove("loop_syscalls_per_request"));
            }
            if (s.tally.failure() != null) {
                extra.put("failure", s.tally.failure());
            }
            if (s.echoes == 0 || s.nanos == 0) {
                extra.putIfAbsent("note", "no echoes");
                rows.add(new Row(name, s.server.system(), s.server.variant(), Row.OPS, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, extra));
            } else {
                extra.put("rtt_p99_ns", s.tally.samples().getValueAtPercentile(99));
                Rotation.spread(extra, s.roundRates);
                rows.add(Row.throughput(name, s.server.system(), s.server.variant(), s.echoes * 1e9 / s.nanos,
                        s.echoes, extra));
            }
        }
        for (Subject s : subjects) {
            rows.add(Row.latency(name + "_latency", s.server.system(), s.server.variant(), s.tally,
                    Map.of("connections", CONNECTIONS)));
        }
        return rows;
    }

    /**
     * echo_pingpong_1000's client is the C one, which leaves more of the two CPUs to the server under test; without
     * gcc it is the JDK Selector one (the row says which). vt_echo_pingpong keeps the Selector client.
     */
    private static PingPongDriver client(String name, int port, Progress progress) throws IOException {
        if (name.equals(LOOPS)) {
            try {
                return CPingPongClient.start(port, CONNECTIONS, MESSAGE_BYTES);
            } catch (IOException e) {
                progress.line("%s: the C client is unavailable (%s); the JDK Selector client drives it", name,
                        e.getMessage());
            }
        }
        return new PingPongClient(port, CONNECTIONS, MESSAGE_BYTES);
    }

    /** One measured round, with the server's CPU time and a ringloop server's loop counters read before and after. */
    private static void measure(Subject s, long nanos) throws IOException, InterruptedException {
        boolean ask = s.server.system().startsWith("ringloop");
        Optional<Map<String, Long>> before = ask ? s.server.process().stats(STATS_TIMEOUT) : Optional.empty();
        s.cpu.begin(s.server.process());
        long start = System.nanoTime();
        long echoes = s.client.run(nanos, s.tally);
        long took = System.nanoTime() - start;
        s.cpu.end(s.server.process(), echoes);
        s.nanos += took;
        s.roundRates.add(echoes * 1e9 / took);
        s.echoes += echoes;
        Optional<Map<String, Long>> after = ask ? s.server.process().stats(STATS_TIMEOUT) : Optional.empty();
        if (before.isPresent() && after.isPresent()) {
            after.get().forEach((k, v) -> s.loopCounters.merge(k, v - before.get().getOrDefault(k, 0L), Long::sum));
            s.countedEchoes += echoes;
        }
    }
}
