package io.ringloop.bench.measure;

/** Busy-waiting helpers: the producer never sleeps while it measures, so its own wake-up never enters a figure. */
final class Spin {
    private Spin() {
    }

    static void until(long deadlineNanos) {
        while (System.nanoTime() - deadlineNanos < 0) {
            Thread.onSpinWait();
        }
    }
}
