package io.ringloop.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes showdown.json: machine, methods, unavailable systems and one object per result row. */
public final class JsonReport {
    private JsonReport() {
    }

    /**
     * Writes the file.
     *
     * @param results the run
     * @param file where
     * @throws IOException if it cannot be written
     */
    public static void write(Results results, Path file) throws IOException {
        Map<String, Object> machine = new LinkedHashMap<>(results.machine());
        machine.put("mode", results.mode());
        machine.put("started_at", results.startedAt());
        machine.put("duration_s", results.seconds());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine);
        root.put("methods", results.methods());
        List<Object> unavailable = new ArrayList<>();
        for (var u : results.unavailable()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("system", u.system());
            o.put("variant", u.variant());
            o.put("cause", u.cause());
            unavailable.add(o);
        }
        root.put("unavailable", unavailable);
        List<Object> rows = new ArrayList<>();
        for (Row r : results.rows()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("benchmark", r.benchmark());
            o.put("system", r.system());
            o.put("variant", r.variant());
            o.put("unit", r.unit());
            o.put("p50", r.p50());
            o.put("p90", r.p90());
            o.put("p99", r.p99());
            o.put("p999", r.p999());
            o.put("max", r.max());
            o.put("mean", r.mean());
            o.put("count", r.count());
            o.putAll(r.extra());
            rows.add(o);
        }
        root.put("results", rows);
        Files.writeString(file, Json.write(root));
    }
}
