package io.ringloop.bench.loop;

/**
 * A system that could not take part in this run, and the cause, so the report can say so instead of leaving a gap.
 *
 * @param system the system's name
 * @param variant the variant
 * @param cause what went wrong, as printed
 */
public record Unavailable(String system, String variant, String cause) {
    /**
     * Describes a throwable with its cause chain, which is where Netty puts the real reason (a missing native library,
     * a kernel too old, a seccomp filter).
     *
     * @param system the system
     * @param variant the variant
     * @param failure what was thrown
     * @return the record
     */
    public static Unavailable of(String system, String variant, Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- caused by ");
            }
            text.append(t.getClass().getName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return new Unavailable(system, variant, text.toString());
    }
}
