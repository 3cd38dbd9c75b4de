package io.ringloop.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The PNG bar charts: roundtrip when parked, roundtrip by idle gap, producer cost and throughput. */
public final class Plots {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 700;

    private Plots() {
    }

    /**
     * Draws every chart there is data for.
     *
     * @param results the run
     * @param dir where the PNGs go
     * @return the file names written
     * @throws IOException if a file cannot be written
     */
    public static List<String> write(Results results, Path dir) throws IOException {
        List<String> written = new ArrayList<>();
        parked(results).ifPresent(c -> written.add(save(c, dir, "roundtrip_parked.png")));
        byGap(results).ifPresent(c -> written.add(save(c, dir, "roundtrip_by_gap.png")));
        producerCost(results).ifPresent(c -> written.add(save(c, dir, "producer_cost_busy.png")));
        throughput(results).ifPresent(c -> written.add(save(c, dir, "execute_throughput.png")));
        return written;
    }

    private static String save(CategoryChart chart, Path dir, String name) {
        try {
            BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CategoryChart chart(String title, String x, String y) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    private static Optional<CategoryChart> parked(Results results) {
        List<Row> rows = results.of("roundtrip_parked").stream().filter(Row::measured).toList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = chart("roundtrip_parked: wake a sleeping loop and see the answer (lower is better)",
                "system", "µs");
        List<String> labels = rows.stream().map(Row::label).toList();
        chart.addSeries("p50", labels, rows.stream().map(r -> r.p50() / 1000).toList());
        chart.addSeries("p99", labels, rows.stream().map(r -> r.p99() / 1000).toList());
        return Optional.of(chart);
    }

    private static Optional<CategoryChart> byGap(Results results) {
        List<String> gaps = results.benchmarks().stream().filter(b -> b.startsWith("roundtrip_gap_")).toList();
        if (gaps.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = chart("roundtrip p50 by idle gap before the signal (lower is better)",
                "idle gap", "µs");
        List<String> x = gaps.stream().map(g -> g.substring("roundtrip_gap_".length())).toList();
        List<String> labels = results.of(gaps.getFirst()).stream().map(Row::label).toList();
        for (String label : labels) {
            List<Double> y = new ArrayList<>();
            for (String g : gaps) {
                // a system without a figure at some gap is drawn as 0 there; the tables say why
                y.add(results.of(g).stream().filter(r -> r.label().equals(label) && r.measured())
                        .mapToDouble(r -> r.p50() / 1000).findFirst().orElse(0));
            }
            chart.addSeries(label, x, y);
        }
        return Optional.of(chart);
    }

    private static Optional<CategoryChart> producerCost(Results results) {
        List<Row> rows = results.of("producer_cost_busy").stream().filter(Row::measured).toList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = chart("producer_cost_busy: ns per execute() into a busy loop (lower is better)",
                "system", "ns");
        List<String> labels = rows.stream().map(Row::label).toList();
        chart.addSeries("mean", labels, rows.stream().map(Row::mean).toList());
        chart.addSeries("p99 of batch means", labels, rows.stream().map(Row::p99).toList());
        return Optional.of(chart);
    }

    private static Optional<CategoryChart> throughput(Results results) {
        List<Row> rows = results.of("execute_throughput").stream().filter(Row::measured).toList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = chart("execute_throughput: tasks per second into one loop (higher is better)",
                "system", "million tasks/s");
        List<String> labels = rows.stream().map(r -> r.system() + "/" + base(r.variant())).distinct().toList();
        for (String prefix : List.of("1p", "2p", "4p")) {
            List<Double> y = new ArrayList<>();
            for (String label : labels) {
                y.add(rows.stream().filter(r -> r.variant().startsWith(prefix + "-")
                        && (r.system() + "/" + base(r.variant())).equals(label)).mapToDouble(r -> r.mean() / 1e6)
                        .findFirst().orElse(0));
            }
            if (y.stream().allMatch(v -> v == 0)) {
                continue; // a results file from before the 4-producer rows
            }
            chart.addSeries(prefix.equals("1p") ? "1 producer" : prefix.charAt(0) + " producers", labels, y);
        }
        return Optional.of(chart);
    }

    private static String base(String variant) {
        int dash = variant.indexOf('-');
        return dash < 0 ? variant : variant.substring(dash + 1);
    }
}
