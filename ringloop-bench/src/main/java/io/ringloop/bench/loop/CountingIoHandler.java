package io.ringloop.bench.loop;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * Wraps a Netty IoHandler so that its loop spins idle and counts its passes: every {@code run} is counted, and the
 * context it gets answers {@code canBlock() == false}.
 *
 * <p>That is the path Netty's loop takes whenever tasks are pending: {@code IoUringIoHandler.run} then reaps without
 * waiting (no syscall unless SQEs are pending or the SQ flags ask for one) and the loop goes on to
 * {@code runAllTasks}. Netty has no spin mode, so this forced non-blocking pass is the closest peer of ringloop's
 * empty spin look: one pass of Netty's loop with nothing to do.
 */
final class CountingIoHandler implements IoHandler {
    private static final VarHandle RUNS;

    static {
        try {
            RUNS = MethodHandles.lookup().findVarHandle(CountingIoHandler.class, "runs", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IoHandler delegate;
    /** Written by the loop thread only; read by other threads with opaque loads. */
    private long runs;
    private IoHandlerContext seen;
    private IoHandlerContext nonBlocking;

    private CountingIoHandler(IoHandler delegate) {
        this.delegate = delegate;
    }

    /**
     * A factory whose handlers wrap those of another.
     *
     * @param factory Netty's factory
     * @param made receives each handler made (a one-thread group makes one)
     * @return the wrapping factory
     */
    static IoHandlerFactory wrapping(IoHandlerFactory factory, Consumer<CountingIoHandler> made) {
        return executor -> {
            CountingIoHandler h = new CountingIoHandler(factory.newHandler(executor));
            made.accept(h);
            return h;
        };
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
