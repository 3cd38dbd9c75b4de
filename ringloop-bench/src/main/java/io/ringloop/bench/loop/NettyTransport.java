package io.ringloop.bench.loop;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;

import java.util.Optional;

/** Netty 4.2's three IoHandlers on Linux, each with the availability check Netty provides for it. */
public enum NettyTransport {
    /** {@code IoUringIoHandler}: io_uring, woken by an eventfd the ring reads. */
    IO_URING("netty-io_uring", "IoUringIoHandler") {
        @Override
        Optional<Throwable> unavailability() {
            return IoUring.isAvailable() ? Optional.empty() : Optional.of(IoUring.unavailabilityCause());
        }

        @Override
        IoHandlerFactory factory() {
            return IoUringIoHandler.newFactory();
        }
    },
    /** {@code EpollIoHandler}: epoll_wait, woken by an eventfd in the epoll set. */
    EPOLL("netty-epoll", "EpollIoHandler") {
        @Override
        Optional<Throwable> unavailability() {
            return Epoll.isAvailable() ? Optional.empty() : Optional.of(Epoll.unavailabilityCause());
        }

        @Override
        IoHandlerFactory factory() {
            return EpollIoHandler.newFactory();
        }
    },
    /** {@code NioIoHandler}: a JDK Selector, woken by {@code Selector.wakeup()}. */
    NIO("netty-nio", "NioIoHandler") {
        @Override
        Optional<Throwable> unavailability() {
            return Optional.empty();
        }

        @Override
        IoHandlerFactory factory() {
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
     * The IoHandler's class name.
     *
     * @return the variant
     */
    public String variant() {
        return variant;
    }

    abstract Optional<Throwable> unavailability();

    abstract IoHandlerFactory factory();
}
