package io.ringloop.bench;

import io.ringloop.bench.io.NettyServer;
import io.ringloop.bench.io.ServerUnderTest;
import io.ringloop.bench.io.Tools;
import io.ringloop.bench.io.Wrk;
import io.ringloop.bench.loop.Unavailable;
import io.ringloop.bench.report.Row;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * http_rps: wrk against ringloop's example HTTP server and the same server on Netty io_uring and epoll, each in its own
 * JVM, wrk runs interleaved round by round, at 64 and 256 connections; first every server on one event loop thread,
 * then every server on one per CPU (when there is more than one). Requests per second go into http_rps; wrk's latency
 * distribution under that load into http_rps_latency. Each row says its connections and loops.
 */
final class HttpRpsBenchmark {
    static final String NAME = "http_rps";
    static final String LATENCY = "http_rps_latency";
    static final int WRK_THREADS = 1;
    static final int WRK_CONNECTIONS = 64;
    static final List<Integer> CONNECTIONS = List.of(WRK_CONNECTIONS, 256);
    private static final Duration STATS_TIMEOUT = Duration.ofSeconds(2);

    private HttpRpsBenchmark() {
    }

    /**
     * One HTTP benchmark: its servers, and wrk's connection counts (each measured against every server in a round).
     *
     * @param name the rate rows' benchmark
     * @param latency the latency rows' benchmark
     * @param servers ringloop's first, then its peers
     * @param connections wrk -c values
     * @param rounds measured rounds
     * @param loops event loop threads per server, reported in each row; 0 for servers that do not say
     */
    record Spec(String name, String latency, List<ServerUnderTest> servers, List<Integer> connections, int rounds,
            int loops) {
        Spec(String name, String latency, List<ServerUnderTest> servers, List<Integer> connections, int rounds) {
            this(name, latency, servers, connections, rounds, 0);
        }
    }

    private static final class Subject {
        final ServerFleet.Running server;
        /** wrk's runs by connection count. */
        final Map<Integer, List<Wrk.Result>> runs = new LinkedHashMap<>();
        /**
         * The server's loop counters over the measured runs, by connection count (ringloop only: its example answers
         * a stats request), and the requests of those runs.
         */
        final Map<Integer, Map<String, Long>> loopCounters = new LinkedHashMap<>();
        final Map<Integer, Long> countedRequests = new LinkedHashMap<>();
        /** The server's CPU per request over the measured runs, by connection count. */
        final Map<Integer, ServerCpu> cpu = new LinkedHashMap<>();
        String failure;

        Subject(ServerFleet.Running server) {
            this.server = server;
        }

        List<Wrk.Result> runs(int connections) {
            return runs.computeIfAbsent(connections, c -> new ArrayList<>());
        }
    }

    static List<Row> run(Plan plan, Predicate<String> wanted, Progress progress, List<Unavailable> unavailable) {
        List<Row> rows = new ArrayList<>(run(new Spec(NAME, LATENCY, ServerUnderTest.of(NettyServer.Kind.HTTP),
                CONNECTIONS, plan.io().httpRounds(), 1), plan, wanted, progress, unavailable));
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus > 1) {
            rows.addAll(run(new Spec(NAME, LATENCY, ServerUnderTest.of(NettyServer.Kind.HTTP, cpus), CONNECTIONS,
                    plan.io().httpRounds(), cpus), plan, wanted, progress, unavailable));
        }
        return rows;
    }

    static List<Row> run(Spec spec, Plan plan, Predicate<String> wanted, Progress progress,
            List<Unavailable> unavailable) {
        IoPlan io = plan.io();
        List<ServerUnderTest> servers = spec.servers().stream().filter(s -> wanted.test(s.system())).toList();
        Path wrk;
        try {
            wrk = Tools.require("wrk", "wrk", progress::line);
        } catch (Tools.ToolUnavailableException e) {
            unavailable.add(new Unavailable("wrk", spec.name(), e.getMessage()));
            return servers.stream().map(s -> Row.unmeasurable(spec.name(), s.system(), s.variant(), Row.OPS,
                    "wrk unavailable: " + e.getMessage())).toList();
        }
        String version = Tools.version(wrk, "-v");
        List<Subject> subjects = new ArrayList<>();
        try (ServerFleet fleet = ServerFleet.start(spec.name(), servers, progress, unavailable)) {
            fleet.running().forEach(r -> subjects.add(new Subject(r)));
            for (Subject s : subjects) {
                try {
                    String answer = oneRequest(s.server.port());
                    if (!answer.equals(NettyServer.HTTP_RESPONSE)) {
                        s.failure = "wrong response: " + answer.replace("\r\n", "\\r\\n");
                        continue;
                    }
                    warmUp(s, wrk, spec.connections(), io.httpWarmup());
                } catch (IOException e) {
                    s.failure = "warm-up: " + e.getMessage() + s.server.death();
                }
            }
            Rotation.rounds(subjects, spec.rounds(), (round, s) -> {
                for (int connections : spec.connections()) {
                    if (s.failure != null || Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    measure(s, wrk, connections, io.httpRun());
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Row> rows = new ArrayList<>();
        for (int connections : spec.connections()) {
            for (Subject s : subjects) {
                rows.add(withLoops(rate(spec.name(), s, connections, version), spec));
            }
        }
        for (int connections : spec.connections()) {
            for (Subject s : subjects) {
                rows.add(withLoops(latency(spec.latency(), s, connections), spec));
            }
        }
        return rows;
    }

    /**
     * Warms a server up with what the rounds will do: one wrk run per connection count, each opening its connections,
     * serving them and closing them. A JIT compiles a server's hot path without the branches it has not yet seen, and
     * the first close of a connection takes several of them; the compiled loop is then thrown away and rebuilt while it
     * serves (on two CPUs, a second or more of slower code and compiler time). Warmed up this way, every server has
     * taken those branches before its first measured run.
     */
    private static void warmUp(Subject s, Path wrk, List<Integer> connections, Duration each)
            throws IOException, InterruptedException {
        for (int c : connections) {
            Wrk.run(wrk, s.server.port(), WRK_THREADS, c, each);
        }
    }

    /** One measured wrk run, with the server's CPU time and a ringloop server's loop counters read before and after. */
    private static void measure(Subject s, Path wrk, int connections, Duration run) {
        boolean ask = s.server.server().system().startsWith("ringloop");
        try {
            Optional<Map<String, Long>> before = ask ? s.server.process().stats(STATS_TIMEOUT) : Optional.empty();
            ServerCpu cpu = s.cpu.computeIfAbsent(connections, c -> new ServerCpu());
            cpu.begin(s.server.process());
            Wrk.Result result = Wrk.run(wrk, s.server.port(), WRK_THREADS, connections, run);
            cpu.end(s.server.process(), result.requests());
            s.runs(connections).add(result);
            Optional<Map<String, Long>> after = ask ? s.server.process().stats(STATS_TIMEOUT) : Optional.empty();
            if (before.isPresent() && after.isPresent()) {
                Map<String, Long> counters = s.loopCounters.computeIfAbsent(connections, c -> new LinkedHashMap<>());
                after.get().forEach((k, v) -> counters.merge(k, v - before.get().getOrDefault(k, 0L), Long::sum));
                s.countedRequests.merge(connections, result.requests(), Long::sum);
            }
            if (!s.server.process().isAlive()) {
                s.failure = "died" + s.server.death();
            }
        } catch (IOException e) {
            s.failure = e.getMessage() + s.server.death();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one GET and reads as many bytes as the expected response has. */
    static String oneRequest(int port) throws IOException {
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.setSoTimeout(5_000);
            c.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = c.getInputStream();
            return new String(in.readNBytes(NettyServer.HTTP_RESPONSE.length()), StandardCharsets.US_ASCII);
        }
    }

    private static Row withLoops(Row r, Spec spec) {
        if (spec.loops() > 0) {
            r.extra().put("loops", spec.loops());
        }
        return r;
    }

    private static Row rate(String name, Subject s, int connections, String version) {
        List<Wrk.Result> runs = s.runs(connections);
        Map<String, Object> extra = new LinkedHashMap<>();
        long requests = runs.stream().mapToLong(Wrk.Result::requests).sum();
        double seconds = runs.stream().mapToDouble(Wrk.Result::seconds).sum();
        long socketErrors = runs.stream().mapToLong(Wrk.Result::socketErrors).sum();
        long non2xx = runs.stream().mapToLong(Wrk.Result::non2xx).sum();
        extra.put("connections", connections);
        if (socketErrors > 0) {
            extra.put("socket_errors", socketErrors);
        }
        if (non2xx > 0) {
            extra.put("non_2xx", non2xx);
        }
        if (!runs.isEmpty()) {
            extra.put("wrk_runs", runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.requestsPerSecond()))
                    .collect(Collectors.joining(", ", "", " req/s")));
            Rotation.spread(extra, runs.stream().map(Wrk.Result::requestsPerSecond).toList());
        }
        extra.put("load", String.format(Locale.ROOT, "%s -t%d -c%d", version, WRK_THREADS, connections));
        ServerCpu cpu = s.cpu.get(connections);
        if (cpu != null) {
            cpu.put(extra, "request");
        }
        kernelEntries(extra, s.loopCounters.getOrDefault(connections, Map.of()),
                s.countedRequests.getOrDefault(connections, 0L));
        if (s.failure != null) {
            extra.put("failure", s.failure);
        }
        if (requests == 0 || seconds <= 0) {
            return new Row(name, s.server.system(), s.server.variant(), Row.OPS, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, 0, extra);
        }
        return Row.throughput(name, s.server.system(), s.server.variant(), requests / seconds, requests, extra);
    }

    private static Row latency(String name, Subject s, int connections) {
        List<Wrk.Result> runs = s.runs(connections);
        long requests = runs.stream().mapToLong(Wrk.Result::requests).sum();
        if (runs.isEmpty() || requests == 0) {
            Row r = Row.unmeasurable(name, s.server.system(), s.server.variant(), Row.NS,
                    s.failure != null ? "failed: " + s.failure : "no wrk run");
            r.extra().put("connections", connections);
            return r;
        }
        double mean = runs.stream().mapToDouble(r -> r.latencyMeanNanos() * r.requests()).sum() / requests;
        double max = runs.stream().mapToDouble(Wrk.Result::latencyMaxNanos).max().orElse(Double.NaN);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("connections", connections);
        extra.put("note", "wrk's percentiles (it prints 50/75/90/99, no 99.9), averaged over " + runs.size()
                + " run(s)");
        return new Row(name, s.server.system(), s.server.variant(), Row.NS, average(runs, 50), average(runs, 90),
                average(runs, 99), Double.NaN, max, mean, requests, extra);
    }

    private static double average(List<Wrk.Result> runs, int percentile) {
        return runs.stream().mapToDouble(r -> r.percentile(percentile)).average().orElse(Double.NaN);
    }

    /**
     * What the server's loops did in the kernel per request, from their counters over the measured runs: how many
     * io_uring_enter calls a request cost, how many SQEs left per enter, how many CQEs came per reap, how often the
     * kernel ended a multishot receive per 10^6 receives.
     */
    static void kernelEntries(Map<String, Object> extra, Map<String, Long> c, long requests) {
        long enters = c.getOrDefault("ringEnters", 0L);
        if (enters <= 0 || requests <= 0) {
            return;
        }
        extra.put("ring_enters_per_request", (double) enters / requests);
        extra.put("loop_syscalls_per_request", (double) c.getOrDefault("loopSyscalls", 0L) / requests);
        extra.put("sqes_per_enter", (double) c.getOrDefault("sqesSubmitted", 0L) / enters);
        long receives = c.getOrDefault("receives", 0L);
        if (receives > 0) {
            extra.put("receive_rearms_per_million", c.getOrDefault("receiveRearms", 0L) * 1e6 / receives);
        }
        long reaps = c.getOrDefault("reaps", 0L);
        if (reaps > 0) {
            extra.put("cqes_per_reap", (double) c.getOrDefault("cqesReaped", 0L) / reaps);
        }
    }
}
