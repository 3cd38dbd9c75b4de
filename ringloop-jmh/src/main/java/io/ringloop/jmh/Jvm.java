package io.ringloop.jmh;

/** Settings shared by every benchmark's annotations (the launcher's defaults match them). */
final class Jvm {
    /** Every forked VM makes native calls (ringloop's binding, Netty's natives). */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Short by design: 2 CPUs shared with builds; {@code ./ringloop jmh -wi/-i/-w/-r} override them. */
    static final int WARMUP_ITERATIONS = 3;
    /** Measured iterations of 1 s each. */
    static final int MEASUREMENT_ITERATIONS = 5;

    private Jvm() {
    }
}
