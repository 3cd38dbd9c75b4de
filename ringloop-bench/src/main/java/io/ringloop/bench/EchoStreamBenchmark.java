package io.ringloop.bench;

import io.ringloop.bench.io.NettyServer;
import io.ringloop.bench.io.ServerUnderTest;
import io.ringloop.bench.io.StreamClient;
import io.ringloop.bench.loop.Unavailable;
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
 * echo_stream: 16 connections, each streaming 512-byte messages to the echo server as fast as it echoes them (up to
 * {@link StreamClient#WINDOW} bytes in flight per connection). Where echo_pingpong_1000 has one message in flight
 * per connection, here the server reads many at once and its writes queue behind each other: what it costs to send
 * a stream, per message. ringloop's echo example (one loop) against the same server on Netty io_uring and epoll,
 * each in a JVM of its own, interleaved round by round; ringloop's row adds its loop's kernel entries and how many
 * of its writes left together ({@code writes_per_batch}).
 */
final class EchoStreamBenchmark {
    static final String NAME = "echo_stream";
    static final int CONNECTIONS = 16;
    static final int MESSAGE_BYTES = 512;
    private static final Duration STATS_TIMEOUT = Duration.ofSeconds(2);

    private EchoStreamBenchmark() {
    }

    private static final class Subject {
        final ServerFleet.Running server;
        final Map<String, Long> loopCounters = new LinkedHashMap<>();
        final ServerCpu cpu = new ServerCpu();
        StreamClient client;
        String failure;
        long messages;
        long countedMessages;
        long nanos;
        final List<Double> roundRates = new ArrayList<>();

        Subject(ServerFleet.Running server) {
            this.server = server;
        }

        void fail(IOException e) {
            failure = e.getMessage() + server.death();
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
                    s.client = new StreamClient(s.server.port(), CONNECTIONS, MESSAGE_BYTES);
                    s.client.run(io.httpWarmup().toNanos());
                } catch (IOException e) {
                    s.fail(e);
                }
            }
            Rotation.rounds(subjects, io.echoRounds(), (round, s) -> {
                if (s.failure != null) {
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
            subjects.forEach(s -> s.failure = "interrupted");
        }
        List<Row> rows = new ArrayList<>();
        for (Subject s : subjects) {
            rows.add(row(s));
        }
        return rows;
    }

    private static Row row(Subject s) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("connections", CONNECTIONS);
        extra.put("message_bytes", MESSAGE_BYTES);
        s.cpu.put(extra, "message");
        HttpRpsBenchmark.kernelEntries(extra, s.loopCounters, s.countedMessages);
        if (extra.containsKey("ring_enters_per_request")) {
            extra.put("ring_enters_per_message", extra.remove("ring_enters_per_request"));
            extra.put("loop_syscalls_per_message", extra.remove("loop_syscalls_per_request"));
        }
        long batches = s.loopCounters.getOrDefault("writeBatches", 0L);
        long writes = s.loopCounters.getOrDefault("writesCoalesced", 0L);
        if (s.server.system().startsWith("ringloop") && !s.loopCounters.isEmpty()) {
            extra.put("write_batches", batches);
            extra.put("writes_per_batch", batches == 0 ? 0.0 : (double) writes / batches);
        }
        if (s.failure != null) {
            extra.put("failure", s.failure);
        }
        if (s.messages == 0 || s.nanos == 0) {
            extra.putIfAbsent("note", "no echoes");
            return new Row(NAME, s.server.system(), s.server.variant(), Row.OPS, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, extra);
        }
        Rotation.spread(extra, s.roundRates);
        return Row.throughput(NAME, s.server.system(), s.server.variant(), s.messages * 1e9 / s.nanos, s.messages,
                extra);
    }

    /** One measured round, with the server's CPU time and a ringloop server's loop counters read before and after. */
    private static void measure(Subject s, long nanos) throws IOException, InterruptedException {
        boolean ask = s.server.system().startsWith("ringloop");
        Optional<Map<String, Long>> before = ask ? s.server.process().stats(STATS_TIMEOUT) : Optional.empty();
        s.cpu.begin(s.server.process());
        long start = System.nanoTime();
        long messages = s.client.run(nanos);
        long took = System.nanoTime() - start;
        s.cpu.end(s.server.process(), messages);
        s.nanos += took;
        s.roundRates.add(messages * 1e9 / took);
        s.messages += messages;
        Optional<Map<String, Long>> after = ask ? s.server.process().stats(STATS_TIMEOUT) : Optional.empty();
        if (before.isPresent() && after.isPresent()) {
            after.get().forEach((k, v) -> s.loopCounters.merge(k, v - before.get().getOrDefault(k, 0L), Long::sum));
            s.countedMessages += messages;
        }
    }
}
