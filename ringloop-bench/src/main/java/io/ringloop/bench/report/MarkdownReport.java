package io.ringloop.bench.report;

import io.ringloop.bench.loop.Unavailable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Writes showdown.md: how it was measured, one table per benchmark, and for each ringloop row its ratio to the best
 * peer of the same run (Netty and the JDK loop; the C program is the floor, not a peer).
 */
public final class MarkdownReport {
    private record Metric(String name, ToDoubleFunction<Row> value) {
    }

    private static final List<Metric> LATENCY = List.of(new Metric("p50", Row::p50), new Metric("p90", Row::p90),
            new Metric("p99", Row::p99), new Metric("p99.9", Row::p999), new Metric("max", Row::max),
            new Metric("mean", Row::mean));
    private static final List<Metric> RATE = List.of(new Metric("ops/s", Row::mean));
    /** The prefix of the I/O rows' server CPU per operation ({@code server_cpu_ns_per_request}, ...). */
    private static final String SERVER_CPU = "server_cpu_ns_per_";

    private MarkdownReport() {
    }

    /**
     * Writes the file.
     *
     * @param results the run
     * @param plots plot file names to link, relative to the report
     * @param file where
     * @throws IOException if it cannot be written
     */
    public static void write(Results results, List<String> plots, Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Showdown: wakeups and I/O\n\n");
        Map<String, Object> m = results.machine();
        md.append(String.format(Locale.ROOT, "Run: **%s** mode, started %s, took %.0f s.%n%n", results.mode(),
                results.startedAt(), results.seconds()));
        md.append("Machine: ");
        List<String> facts = new ArrayList<>();
        m.forEach((k, v) -> facts.add(k + " `" + v + "`"));
        md.append(String.join(", ", facts)).append(".\n\n");
        md.append("Ratios are ringloop's figure divided by the best peer's in this run (peers: Netty io_uring, epoll, "
                + "NIO and the plain JDK Selector loop; for the I/O benchmarks Netty io_uring and epoll servers, and "
                + "fio for file reads; c-limit is not a peer: the C futex floor of the wakeup rows, the C epoll "
                + "server of the network rows, a ceiling). For latencies and costs below 1.00× means "
                + "ringloop is better; for throughput above 1.00× does.\n\n");

        md.append("## How it was measured\n\n");
        results.methods().forEach((k, v) -> md.append("- **").append(k).append("**: ").append(v).append('\n'));
        md.append('\n');

        if (!results.unavailable().isEmpty()) {
            md.append("## Not in this run\n\n");
            for (Unavailable u : results.unavailable()) {
                md.append("- ").append(u.system()).append(" (").append(u.variant()).append("): ")
                        .append(u.cause().replace("\n", " ")).append('\n');
            }
            md.append('\n');
        }
        if (!plots.isEmpty()) {
            md.append("## Plots\n\n");
            plots.forEach(p -> md.append("![").append(p).append("](").append(p).append(")\n"));
            md.append('\n');
        }

        for (String benchmark : results.benchmarks()) {
            List<Row> rows = results.of(benchmark);
            md.append("## ").append(benchmark).append("\n\n");
            table(rows, md);
            noise(rows, md);
            ratios(rows, md);
        }
        Files.writeString(file, md.toString());
    }

    private static List<Metric> metrics(List<Row> rows) {
        return rows.stream().anyMatch(r -> r.unit().equals(Row.OPS)) ? RATE : LATENCY;
    }

    private static void table(List<Row> rows, StringBuilder md) {
        List<Metric> metrics = metrics(rows);
        // numeric extras become columns, everything else goes into the notes
        Set<String> numeric = new LinkedHashSet<>();
        rows.forEach(r -> r.extra().forEach((k, v) -> {
            if (v instanceof Number) {
                numeric.add(k);
            }
        }));
        md.append("| system | variant |");
        metrics.forEach(x -> md.append(' ').append(x.name()).append(" |"));
        md.append(" count |");
        numeric.forEach(k -> md.append(' ').append(k).append(" |"));
        md.append(" notes |\n|---|---|");
        md.append("---:|".repeat(metrics.size() + 1 + numeric.size())).append("---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.system()).append(" | ").append(r.variant()).append(" |");
            metrics.forEach(x -> md.append(' ').append(Figures.value(x.value().applyAsDouble(r), r.unit()))
                    .append(" |"));
            md.append(' ').append(r.count()).append(" |");
            for (String k : numeric) {
                Object v = r.extra().get(k);
                md.append(' ').append(v instanceof Number n ? number(n) : "").append(" |");
            }
            List<String> notes = new ArrayList<>();
            r.extra().forEach((k, v) -> {
                if (!(v instanceof Number)) {
                    notes.add(k.equals("note") ? String.valueOf(v) : k + ": " + v);
                }
            });
            md.append(' ').append(String.join("; ", notes).replace("|", "\\|").replace("\n", " ")).append(" |\n");
        }
        md.append('\n');
    }

    /**
     * The C ping-pong has no queue and no loop: when even its p90 is several times its median, the machine was busy
     * with other work during this benchmark, and every system's tail says more about that than about itself.
     */
    private static void noise(List<Row> rows, StringBuilder md) {
        rows.stream().filter(r -> r.system().equals("c-limit") && r.measured() && r.p90() > 3 * r.p50()).findFirst()
                .ifPresent(f -> md.append(String.format(Locale.ROOT, "**Noisy:** even c-limit's p90 (%s) is %.0f× "
                        + "its median here, so the machine was busy with other work during this benchmark: trust the "
                        + "medians more than the tails.%n%n", Figures.value(f.p90(), f.unit()), f.p90() / f.p50())));
    }

    private static String number(Number n) {
        double d = n.doubleValue();
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }

    private static void ratios(List<Row> rows, StringBuilder md) {
        List<Row> ours = rows.stream().filter(r -> r.isRingloop() && r.measured()).toList();
        if (ours.isEmpty()) {
            boolean any = rows.stream().anyMatch(Row::isRingloop);
            md.append(any ? "_No ringloop figures in this benchmark (see notes above)._\n\n"
                    : "_ringloop did not take part in this run, so there are no ratios._\n\n");
            return;
        }
        List<Metric> metrics = metrics(rows);
        boolean higherIsBetter = metrics == RATE;
        boolean anyFloor = rows.stream().anyMatch(r -> r.system().equals("c-limit") && r.measured());
        md.append("Ratio to the best peer (the peer named is the best for p50):\n\n| ringloop variant |");
        metrics.forEach(x -> md.append(' ').append(x.name()).append(" |"));
        md.append(" best peer (p50) |");
        if (anyFloor) {
            // a latency's floor, or a rate's ceiling: the C program that does the least a system can
            md.append(higherIsBetter ? " rate vs c-limit (ceiling) |" : " p50 vs c-limit |");
        }
        Optional<String> cpuKey = rows.stream().flatMap(r -> r.extra().keySet().stream())
                .filter(k -> k.startsWith(SERVER_CPU)).findFirst();
        cpuKey.ifPresent(k -> md.append(" server CPU per op vs the leanest peer |"));
        md.append("\n|---|").append("---:|".repeat(metrics.size())).append("---|");
        if (anyFloor) {
            md.append("---:|");
        }
        cpuKey.ifPresent(k -> md.append("---:|"));
        md.append('\n');
        for (Row r : ours) {
            List<Row> peers = rows.stream().filter(p -> p.isPeer() && p.measured() && sameLoad(p, r)).toList();
            Optional<Row> floor = rows.stream().filter(f -> f.system().equals("c-limit") && f.measured()
                    && sameLoad(f, r)).findFirst();
            // the epoll backend's rows name their system: their variants are the io_uring rows' too
            md.append("| ").append(r.system().equals("ringloop") ? "" : r.system() + "/").append(r.variant());
            // rows of one variant that differ in load say so (http_rps: -c64 and -c256)
            if (r.extra().get("connections") != null && ours.stream().anyMatch(o -> o != r
                    && o.variant().equals(r.variant()))) {
                md.append(", ").append(r.extra().get("connections")).append(" connections");
            }
            md.append(" |");
            for (Metric x : metrics) {
                if (Double.isNaN(x.value().applyAsDouble(r))) {
                    md.append(" – |"); // a figure this benchmark does not have (wrk prints no 99.9th percentile)
                    continue;
                }
                Optional<Row> best = best(peers, x, higherIsBetter);
                md.append(' ').append(best.map(b -> Figures.ratio(x.value().applyAsDouble(r)
                        / x.value().applyAsDouble(b))).orElse("no peer")).append(" |");
            }
            Optional<Row> bestP50 = best(peers, metrics.getFirst(), higherIsBetter);
            md.append(' ').append(bestP50.map(b -> b.label() + " "
                    + Figures.value(metrics.getFirst().value().applyAsDouble(b), b.unit())).orElse("–")).append(" |");
            if (anyFloor) {
                md.append(' ').append(floor.map(f -> Figures.ratio(r.p50() / f.p50())).orElse("–")).append(" |");
            }
            cpuKey.ifPresent(k -> md.append(' ').append(cpuRatio(r, peers, k)).append(" |"));
            md.append('\n');
        }
        md.append('\n');
    }

    /** Whether two rows ran under the same load: producers, connections, loops and cache alike. */
    private static boolean sameLoad(Row a, Row b) {
        return Objects.equals(a.extra().get("producers"), b.extra().get("producers"))
                && Objects.equals(a.extra().get("connections"), b.extra().get("connections"))
                && Objects.equals(a.extra().get("loops"), b.extra().get("loops"))
                && Objects.equals(a.extra().get("cache"), b.extra().get("cache"));
    }

    /** ringloop's server CPU per operation over the lowest of its peers' (below 1.00× it needs less). */
    private static String cpuRatio(Row r, List<Row> peers, String key) {
        if (!(r.extra().get(key) instanceof Number ours)) {
            return "–";
        }
        OptionalDouble least = peers.stream().map(p -> p.extra().get(key)).filter(v -> v instanceof Number)
                .mapToDouble(v -> ((Number) v).doubleValue()).filter(v -> v > 0).min();
        return least.isPresent() ? Figures.ratio(ours.doubleValue() / least.getAsDouble()) : "no peer";
    }

    private static Optional<Row> best(List<Row> peers, Metric metric, boolean higherIsBetter) {
        Row best = null;
        for (Row p : peers) {
            double v = metric.value().applyAsDouble(p);
            if (Double.isNaN(v)) {
                continue;
            }
            if (best == null || (higherIsBetter ? v > metric.value().applyAsDouble(best)
                    : v < metric.value().applyAsDouble(best))) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }
}
