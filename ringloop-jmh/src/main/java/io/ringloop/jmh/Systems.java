package io.ringloop.jmh;

import io.ringloop.Doorbell;

import java.util.Locale;

/**
 * Opens the loop named by a benchmark's {@code system} parameter.
 *
 * <ul>
 *   <li>{@code ringloop}: an {@code EventLoop} with default options (doorbell AUTO); {@code ringloop:FUTEX_WAIT} and
 *       the like pick a doorbell.</li>
 *   <li>{@code netty-io_uring}: a one-thread {@code MultiThreadIoEventLoopGroup} with {@code IoUringIoHandler}, the
 *       peer every benchmark runs by default.</li>
 *   <li>{@code netty-epoll}: the same with {@code EpollIoHandler} (not in the defaults; {@code -p system=...}).</li>
 * </ul>
 */
public final class Systems {
    private Systems() {
    }

    /**
     * Opens a loop used the way an application would.
     *
     * @param system the parameter value
     * @return the running loop
     */
    public static Subject open(String system) {
        return open(system, false);
    }

    /**
     * Opens a loop that never sleeps while idle and counts its empty iterations: ringloop with a 1 s spin window,
     * Netty with its IoHandler always told that it may not block (see {@link NettySubject}).
     *
     * @param system the parameter value
     * @return the running loop
     */
    public static Subject openSpinning(String system) {
        return open(system, true);
    }

    private static Subject open(String system, boolean spinning) {
        String s = system.trim().toLowerCase(Locale.ROOT);
        if (s.equals("ringloop")) {
            return RingloopSubject.open(system, Doorbell.AUTO, spinning);
        }
        if (s.startsWith("ringloop:")) {
            Doorbell d = Doorbell.valueOf(system.substring("ringloop:".length()).trim().toUpperCase(Locale.ROOT));
            return RingloopSubject.open(system, d, spinning);
        }
        return switch (s) {
            case "netty-io_uring" -> NettySubject.open(system, NettySubject.Transport.IO_URING, spinning);
            case "netty-epoll" -> NettySubject.open(system, NettySubject.Transport.EPOLL, spinning);
            default -> throw new IllegalArgumentException("unknown system '" + system
                    + "': use ringloop, ringloop:<DOORBELL>, netty-io_uring or netty-epoll");
        };
    }
}
