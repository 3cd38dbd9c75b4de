package io.ringloop;

import java.util.Locale;

/**
 * What a loop runs on. Both backends give the same API and the same guarantees (every future completes once, a
 * buffer is ours again when its future completes, one bell per sleep); they differ in what the kernel does for them.
 *
 * <ul>
 *   <li>{@link #IO_URING}: a ring per loop. The kernel completes requests; the loop submits and reaps.</li>
 *   <li>{@link #EPOLL}: the same ring layout in memory of our own, driven by {@code epoll_wait} and non-blocking calls
 *       (regular files on a small thread pool), with the feature set of a 5.11 ring. For hosts that refuse
 *       io_uring: Docker's and containerd's default seccomp profiles, {@code kernel.io_uring_disabled}, old
 *       kernels.</li>
 *   <li>{@link #AUTO}: io_uring where a ring can be set up, else epoll, saying once through {@link System.Logger}
 *       why.</li>
 * </ul>
 *
 * The system property {@value #PROPERTY} sets the default; the feature mask {@code IO_URING}
 * ({@code -Dringloop.kernel.mask=IO_URING}) makes ring setup fail as a seccomp refusal does, so AUTO falls back.
 */
public enum Backend {
    /** io_uring if the kernel lets us set up a ring, else epoll. */
    AUTO,
    /** io_uring only: opening a loop fails with {@code IoUringUnavailableException} where it is refused. */
    IO_URING,
    /** epoll, even where io_uring is available. */
    EPOLL;

    /** The system property that sets the default backend: {@code auto}, {@code io_uring} or {@code epoll}. */
    public static final String PROPERTY = "ringloop.backend";

    /**
     * Parses a backend's name, case-insensitively.
     *
     * @param name {@code auto}, {@code io_uring} (or {@code iouring}) or {@code epoll}; null or blank is AUTO
     * @return the backend
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static Backend parse(String name) {
        if (name == null || name.isBlank()) {
            return AUTO;
        }
        String n = name.trim().toUpperCase(Locale.ROOT).replace("-", "_");
        return switch (n) {
            case "AUTO" -> AUTO;
            case "IO_URING", "IOURING" -> IO_URING;
            case "EPOLL" -> EPOLL;
            default -> throw new IllegalArgumentException("unknown backend '" + name.trim() + "' in " + PROPERTY
                    + "; expected auto, io_uring or epoll");
        };
    }
}
