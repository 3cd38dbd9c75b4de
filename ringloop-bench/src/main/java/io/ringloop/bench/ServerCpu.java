package io.ringloop.bench;

import io.ringloop.bench.io.ServerProcess;

import java.util.Map;

/**
 * What a server's process spent on the CPU per operation over the measured runs: its CPU time (every thread, user and
 * system) before and after each run, over the operations of those runs. On two shared vCPUs a server's rate swings
 * with whatever else the machine does; the CPU it needs per operation moves much less, so the two side by side tell a
 * server that is slower from one that got less of the machine. Clock-tick resolution (10 ms): meaningful over runs
 * that use a second of CPU or more.
 */
final class ServerCpu {
    private long nanos;
    private long ops;
    private long started = -1;

    /** Before a measured run. */
    void begin(ServerProcess process) {
        started = process.cpuNanos();
    }

    /**
     * After a measured run.
     *
     * @param process the same process
     * @param runOps the operations the run completed
     */
    void end(ServerProcess process, long runOps) {
        long now = process.cpuNanos();
        if (started >= 0 && now >= started && runOps > 0) {
            nanos += now - started;
            ops += runOps;
        }
        started = -1;
    }

    /**
     * Adds {@code server_cpu_ns_per_<unit>} to a row's extra fields, if any run was counted.
     *
     * @param extra the row's fields
     * @param unit what one operation is: request, echo, message
     */
    void put(Map<String, Object> extra, String unit) {
        if (ops > 0) {
            extra.put("server_cpu_ns_per_" + unit, (double) nanos / ops);
        }
    }
}
