package io.ringloop.jmh;

import io.ringloop.Doorbell;
import io.ringloop.bench.loop.LoopUnderTest;
import io.ringloop.bench.loop.NettyLoop;
import io.ringloop.bench.loop.NettyTransport;
import io.ringloop.bench.loop.RingloopLoop;
import io.ringloop.bench.loop.UnavailableException;

import java.util.Locale;

/**
 * Opens the loop named by a benchmark's {@code system} parameter, with the showdown's adapters.
 *
 * <ul>
 *   <li>{@code ringloop}: an {@code EventLoop} with default options (doorbell AUTO); {@code ringloop:FUTEX_WAIT} and
 *       the like pick a doorbell.</li>
 *   <li>{@code netty-io_uring}: a one-thread {@code MultiThreadIoEventLoopGroup} with {@code IoUringIoHandler}, the
 *       peer every benchmark runs by default.</li>
 *   <li>{@code netty-epoll}, {@code netty-nio}: the same with {@code EpollIoHandler} or {@code NioIoHandler} (in
 *       execute_throughput's defaults, whose showdown ratio is to the best peer; elsewhere {@code -p system=...}).</li>
 * </ul>
 */
public final class Systems {
    private static final String RINGLOOP = "ringloop";

    private Systems() {
    }

    /**
     * Opens a loop used the way an application would.
     *
     * @param system the parameter value
     * @return the running loop
     */
    public static LoopUnderTest open(String system) {
        return open(system, false);
    }

    /**
     * Opens a loop that never sleeps while idle and counts its empty iterations: ringloop spinning as long as its
     * options allow, Netty with its IoHandler always told that it may not block.
     *
     * @param system the parameter value
     * @return the running loop
     */
    public static LoopUnderTest openSpinning(String system) {
        return open(system, true);
    }

    private static LoopUnderTest open(String system, boolean spinning) {
        String s = system.trim().toLowerCase(Locale.ROOT);
        if (s.equals(RINGLOOP) || s.startsWith(RINGLOOP + ":")) {
            Doorbell d = s.equals(RINGLOOP) ? Doorbell.AUTO
                    : Doorbell.valueOf(s.substring(RINGLOOP.length() + 1).trim().toUpperCase(Locale.ROOT));
            return spinning ? RingloopLoop.openSpinning(d) : RingloopLoop.open(d);
        }
        for (NettyTransport t : NettyTransport.values()) {
            if (t.system().equals(s)) {
                try {
                    return spinning ? NettyLoop.openSpinning(t) : NettyLoop.open(t);
                } catch (UnavailableException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        }
        throw new IllegalArgumentException("unknown system '" + system
                + "': use ringloop, ringloop:<DOORBELL>, netty-io_uring, netty-epoll or netty-nio");
    }
}
