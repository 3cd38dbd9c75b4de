package io.ringloop.jmh;

import java.util.concurrent.TimeUnit;

/** Settings shared by every benchmark's annotations (the launcher's defaults match them). */
final class Jvm {
    /** Every forked VM makes native calls (ringloop's binding, Netty's natives). */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Short by design: 2 CPUs shared with builds; {@code ./ringloop jmh -wi/-i/-w/-r} override them. */
    static final int WARMUP_ITERATIONS = 3;
    /** Measured iterations of 1 s each. */
    static final int MEASUREMENT_ITERATIONS = 5;
    /** How long a loop may take to run the backlog left at the end of an iteration before a lost wake is reported. */
    static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Jvm() {
    }
}
