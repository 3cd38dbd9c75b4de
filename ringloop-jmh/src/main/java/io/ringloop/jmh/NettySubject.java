package io.ringloop.jmh;

import io.netty.channel.EventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.ringloop.binding.Syscalls;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A one-thread Netty 4.2 event loop group with one IoHandler, used exactly as an application would.
 *
 * <p>For empty_iteration ({@link Systems#openSpinning}) the IoHandler is wrapped: every {@code run} is counted, and
 * the context it gets answers {@code canBlock() == false}. That is the path Netty's loop takes whenever tasks are
 * pending: {@code IoUringIoHandler.run} then reaps without waiting (no syscall unless SQEs are pending or the SQ flags
 * ask for one) and the loop goes on to {@code runAllTasks}. Netty has no spin mode, so this forced non-blocking pass
 * is the closest peer of ringloop's empty spin look: one pass of Netty's loop with nothing to do.
 */
final class NettySubject implements Subject {
    /** Netty's Linux transports. */
    enum Transport {
        /** {@code IoUringIoHandler}. */
        IO_URING,
        /** {@code EpollIoHandler}. */
        EPOLL;

        IoHandlerFactory factory() {
            return switch (this) {
                case IO_URING -> {
                    if (!IoUring.isAvailable()) {
                        throw new IllegalStateException("Netty io_uring is unavailable here",
                                IoUring.unavailabilityCause());
                    }
                    yield IoUringIoHandler.newFactory();
                }
                case EPOLL -> {
                    if (!Epoll.isAvailable()) {
                        throw new IllegalStateException("Netty epoll is unavailable here", Epoll.unavailabilityCause());
                    }
                    yield EpollIoHandler.newFactory();
                }
            };
        }
    }

    private final String name;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final int tid;
    private final CountingHandler counting;

    private NettySubject(String name, MultiThreadIoEventLoopGroup group, CountingHandler counting) {
        this.name = name;
        this.group = group;
        this.loop = group.next();
        this.counting = counting;
        CompletableFuture<Integer> t = new CompletableFuture<>();
        loop.execute(() -> t.complete(Syscalls.gettid()));
        this.tid = t.orTimeout(10, TimeUnit.SECONDS).join();
    }

    static NettySubject open(String name, Transport transport, boolean spinning) {
        IoHandlerFactory factory = transport.factory();
        CountingHandler[] made = new CountingHandler[1];
        IoHandlerFactory used = !spinning ? factory : executor -> {
            made[0] = new CountingHandler(factory.newHandler(executor));
            return made[0];
        };
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, used);
        try {
            return new NettySubject(name, group, made[0]);
        } catch (RuntimeException e) {
            shutdown(group);
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public int loopTid() {
        return tid;
    }

    @Override
    public long emptyIterations() {
        return counting == null ? UNKNOWN : counting.runs();
    }

    @Override
    public void close() {
        shutdown(group);
    }

    private static void shutdown(MultiThreadIoEventLoopGroup group) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** Counts the loop's passes and never lets it block; everything else goes to Netty's own handler. */
    private static final class CountingHandler implements IoHandler {
        private static final VarHandle RUNS;

        static {
            try {
                RUNS = MethodHandles.lookup().findVarHandle(CountingHandler.class, "runs", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final IoHandler delegate;
        /** Written by the loop thread only; read by the benchmark thread with opaque loads. */
        private long runs;
        private IoHandlerContext seen;
        private IoHandlerContext nonBlocking;

        CountingHandler(IoHandler delegate) {
            this.delegate = delegate;
        }

        long runs() {
            return (long) RUNS.getOpaque(this);
        }

        @Override
        public void initialize() {
            delegate.initialize();
        }

        @Override
        public int run(IoHandlerContext context) {
            RUNS.setOpaque(this, runs + 1);
            if (context != seen) {
                seen = context;
                nonBlocking = new NonBlocking(context);
            }
            return delegate.run(nonBlocking);
        }

        @Override
        public void prepareToDestroy() {
            delegate.prepareToDestroy();
        }

        @Override
        public void destroy() {
            delegate.destroy();
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
            return delegate.register(handle);
        }

        @Override
        public void wakeup() {
            delegate.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return delegate.isCompatible(handleType);
        }
    }

    /** Netty's context, except that the handler may never block. */
    private record NonBlocking(IoHandlerContext context) implements IoHandlerContext {
        @Override
        public boolean canBlock() {
            return false;
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return context.delayNanos(currentTimeNanos);
        }

        @Override
        public long deadlineNanos() {
            return context.deadlineNanos();
        }

        @Override
        public void reportActiveIoTime(long activeNanos) {
            context.reportActiveIoTime(activeNanos);
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            return context.shouldReportActiveIoTime();
        }
    }
}
