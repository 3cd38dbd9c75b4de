package io.ringloop.bench.report;

import java.util.Locale;

/** Formats figures for people: nanoseconds below a microsecond, microseconds above; rates in thousands or millions. */
public final class Figures {
    private Figures() {
    }

    /**
     * A figure with its unit.
     *
     * @param v the value, NaN for none
     * @param unit {@link Row#NS} or {@link Row#OPS}
     * @return e.g. "7.13 µs", "41 ns", "12.50 M/s", "98.3 k/s" or a dash
     */
    public static String value(double v, String unit) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (unit.equals(Row.OPS)) {
            return v < 1e6 ? String.format(Locale.ROOT, "%.1f k/s", v / 1e3)
                    : String.format(Locale.ROOT, "%.2f M/s", v / 1e6);
        }
        if (v < 1000) {
            return String.format(Locale.ROOT, "%.0f ns", v);
        }
        if (v < 1_000_000) {
            return String.format(Locale.ROOT, "%.2f µs", v / 1000);
        }
        return String.format(Locale.ROOT, "%.2f ms", v / 1_000_000);
    }

    /**
     * A ratio.
     *
     * @param r the ratio
     * @return e.g. "0.83×"
     */
    public static String ratio(double r) {
        return Double.isNaN(r) ? "–" : String.format(Locale.ROOT, "%.2f×", r);
    }
}
