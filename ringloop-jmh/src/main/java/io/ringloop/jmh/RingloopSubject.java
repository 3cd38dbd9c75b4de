package io.ringloop.jmh;

import io.ringloop.Doorbell;
import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.binding.Syscalls;

import java.util.concurrent.TimeUnit;

/** A ringloop {@link EventLoop}, with default options except the doorbell (and the spin, for empty_iteration). */
final class RingloopSubject implements Subject {
    private final String name;
    private final EventLoop loop;
    private final int tid;

    private RingloopSubject(String name, EventLoop loop) {
        this.name = name;
        this.loop = loop;
        this.tid = loop.submit(Syscalls::gettid).orTimeout(10, TimeUnit.SECONDS).join();
    }

    static RingloopSubject open(String name, Doorbell doorbell, boolean spinning) {
        LoopOptions.Builder b = LoopOptions.builder().doorbell(doorbell).threadName("ringloop-jmh");
        if (spinning) {
            // The longest spin the options allow; when it ends the loop sleeps at most 1 µs and spins again, so
            // nearly all of its time is empty looks (one short park per second).
            b.spinNanos(TimeUnit.SECONDS.toNanos(1)).maxParkNanos(1_000);
        }
        EventLoop loop = EventLoop.open(b.build());
        try {
            return new RingloopSubject(name, loop);
        } catch (RuntimeException e) {
            loop.close();
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
    public long wakeupsRung() {
        return loop.stats().wakeupsRung();
    }

    @Override
    public long parks() {
        return loop.stats().parks();
    }

    @Override
    public long emptyIterations() {
        return loop.stats().idleIterations();
    }

    @Override
    public void close() {
        loop.close();
    }
}
