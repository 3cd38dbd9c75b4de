package io.ringloop.bench;

import java.time.Duration;

/**
 * How long each part of the run takes. Every slice is one system's turn in one round; rounds rotate the order of the
 * systems so that a noisy moment on the shared machine does not land on one system only. Many short rounds spread
 * such moments more evenly than a few long ones, for the same total time.
 *
 * @param name "quick" or "full"
 * @param targetSeconds what the whole run should stay under
 * @param rounds how many rounds per benchmark
 * @param warmup per loop, before anything is measured
 * @param parkedSlice roundtrip_parked, per slice
 * @param gapSlice each roundtrip_gap benchmark, per slice
 * @param costSlice producer_cost_busy timed phase, per slice
 * @param tracedExecutes executes in the strace-counted phase, once per loop
 * @param throughputSlice execute_throughput window, per slice and producer count
 * @param emptyIterationWindow how long the empty-iteration hook observes a loop
 * @param maxSamplesPerSlice a cap so one fast system cannot fill memory
 * @param io the I/O benchmarks (echo_rtt, http_rps, file_randread_4k)
 */
public record Plan(String name, int targetSeconds, int rounds, Duration warmup, Duration parkedSlice,
                   Duration gapSlice, Duration costSlice, long tracedExecutes, Duration throughputSlice,
                   Duration emptyIterationWindow, int maxSamplesPerSlice, IoPlan io) {
    /** About a minute on two cores (the I/O benchmarks about 25 s of it). */
    public static final Plan QUICK = new Plan("quick", 60, 5, ms(150), ms(90), ms(60), ms(60), 200_000, ms(60),
            ms(100), 100_000, IoPlan.QUICK);
    /** At most five minutes on two cores (the I/O benchmarks about 75 s of it). */
    public static final Plan FULL = new Plan("full", 300, 12, ms(400), ms(375), ms(190), ms(170), 2_000_000, ms(180),
            ms(300), 1_000_000, IoPlan.FULL);

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
