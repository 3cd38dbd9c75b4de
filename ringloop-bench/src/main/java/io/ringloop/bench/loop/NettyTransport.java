package io.ringloop.bench.loop;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Netty 4.2's three IoHandlers on Linux, each with the availability check Netty provides for it. */
public enum NettyTransport {
    /** {@code IoUringIoHandler}: io_uring, woken by an eventfd the ring reads. */
    IO_URING("netty-io_uring", "IoUringIoHandler") {
        @Override
        public Optional<Throwable> unavailability() {
            return IoUring.isAvailable() ? Optional.empty() : Optional.of(IoUring.unavailabilityCause());
        }

        @Override
        public IoHandlerFactory factory() {
            return IoUringIoHandler.newFactory();
        }
    },
    /** {@code EpollIoHandler}: epoll_wait, woken by an eventfd in the epoll set. */
    EPOLL("netty-epoll", "EpollIoHandler") {
        @Override
        public Optional<Throwable> unavailability() {
            return Epoll.isAvailable() ? Optional.empty() : Optional.of(Epoll.unavailabilityCause());
        }

        @Override
        public IoHandlerFactory factory() {
            return EpollIoHandler.newFactory();
        }
    },
    /** {@code NioIoHandler}: a JDK Selector, woken by {@code Selector.wakeup()}. */
    NIO("netty-nio", "NioIoHandler") {
        @Override
        public Optional<Throwable> unavailability() {
            return Optional.empty();
        }

        @Override
        public IoHandlerFactory factory() {
            return NioIoHandler.newFactory();
        }
    };

    private final String system;
    private final String variant;

    NettyTransport(String system, String variant) {
        this.system = system;
        this.variant = variant;
    }

    /**
     * The system's name in the results.
     *
     * @return e.g. netty-epoll
     */
    public String system() {
        return system;
    }

    /**
     * Netty's own availability check, as the benchmarks' error.
     *
     * @throws UnavailableException when Netty reports the transport unusable here, with Netty's cause
     */
    public void requireAvailable() throws UnavailableException {
        Throwable cause;
        try {
            cause = unavailability().orElse(null);
        } catch (LinkageError e) {
            cause = e;
        }
        if (cause != null) {
            throw new UnavailableException(Unavailable.of(system, variant, cause));
        }
    }

    /**
     * Shuts a group of this transport down the way every benchmark does: no quiet period, bounded waits.
     *
     * @param group the group
     */
    static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * The IoHandler's class name.
     *
     * @return the variant
     */
    public String variant() {
        return variant;
    }

    /**
     * Netty's own answer to whether this transport works here.
     *
     * @return empty when usable, else Netty's cause (a missing native library, a kernel too old, a seccomp filter)
     */
    public abstract Optional<Throwable> unavailability();

    /**
     * The factory of this transport's IoHandler, for a {@code MultiThreadIoEventLoopGroup}.
     *
     * @return a new factory
     */
    public abstract IoHandlerFactory factory();
}
