package io.ringloop.bench;

import java.time.Duration;

/**
 * How long the I/O benchmarks take. Servers run in their own JVMs and are warmed up (JIT) before anything is measured;
 * then the systems take turns, rotated round by round like the wakeup benchmarks.
 *
 * @param echoWarmup echo_rtt: round trips per server before measuring
 * @param echoRounds echo_rtt: rounds
 * @param echoSlice echo_rtt: per server and round
 * @param httpWarmup http_rps: one wrk run per server before measuring (whole seconds)
 * @param httpRounds http_rps: rounds
 * @param httpRun http_rps: one wrk run per server and round (whole seconds)
 * @param fileWarmup file_randread_4k: ringloop's reads before measuring (fio needs no JIT)
 * @param fileRounds file_randread_4k: rounds
 * @param fileRun file_randread_4k: per system and round (whole seconds)
 * @param fileBytes file_randread_4k: the file's size, read from the page cache
 * @param vtFileBytes vt_file_randread_4k: the file's size, read from the page cache (it takes the other file_*
 *        figures from file_randread_4k's)
 */
public record IoPlan(Duration echoWarmup, int echoRounds, Duration echoSlice, Duration httpWarmup, int httpRounds,
                     Duration httpRun, Duration fileWarmup, int fileRounds, Duration fileRun, long fileBytes,
                     long vtFileBytes) {
    /**
     * About 25 s for the three on two quiet cores, most of it JVM starts and warm-ups: a server's first 2 s under wrk
     * were seen with p99 latencies of 90-350 ms (C2 compiling), its later seconds with 3-6 ms.
     */
    public static final IoPlan QUICK = new IoPlan(ms(300), 3, ms(250), ms(2000), 1, ms(2000), ms(300), 1, ms(2000),
            256L << 20, 256L << 20);
    /**
     * About 100 s for the three; http_rps takes three rounds, the fewest a spread can be read from. echo_rtt warms up
     * for 3 s like the others: at 1 s, the epoll backend's server was still compiling (C2) during the measured slices,
     * at 1.27-1.30x Netty epoll's CPU per echo, against 1.07-1.25x after 3 s.
     */
    public static final IoPlan FULL = new IoPlan(ms(3000), 10, ms(500), ms(3000), 3, ms(4000), ms(1000), 2, ms(4000),
            256L << 20, 1088L << 20);

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
