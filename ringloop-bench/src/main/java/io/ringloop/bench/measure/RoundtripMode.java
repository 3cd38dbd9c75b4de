package io.ringloop.bench.measure;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How idle the loop is when a roundtrip starts.
 *
 * @param benchmark the benchmark's name in the results
 * @param gapNanos the idle time to wait before signalling, or -1 for "until the loop thread is seen asleep"
 */
public record RoundtripMode(String benchmark, long gapNanos) {
    /** Signal only once {@code /proc} shows the loop thread in state 'S'. */
    public static final RoundtripMode PARKED = new RoundtripMode("roundtrip_parked", -1);

    /** The idle gaps, chosen to straddle the spin windows loops use (tens to hundreds of microseconds). */
    public static final List<RoundtripMode> GAPS = List.of(gap(10), gap(50), gap(200), gap(1000));

    /**
     * A roundtrip after exactly this much idle time, without looking at the loop's state.
     *
     * @param micros the gap
     * @return the mode
     */
    public static RoundtripMode gap(long micros) {
        return new RoundtripMode("roundtrip_gap_" + micros + "us", TimeUnit.MICROSECONDS.toNanos(micros));
    }

    /**
     * Whether this mode waits for the sleep state.
     *
     * @return true for {@link #PARKED}
     */
    public boolean parked() {
        return gapNanos < 0;
    }
}
