package io.ringloop.bench.loop;

import io.ringloop.Backend;
import io.ringloop.Doorbell;
import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** A ringloop {@link EventLoop} with one doorbell and otherwise default options, used the way an application would. */
public final class RingloopLoop implements LoopUnderTest {
    /** The longest spin the options allow. */
    private static final long SPIN_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a spinning loop sleeps when its spin ends, before it spins again. */
    private static final long SPINNING_PARK_NANOS = 1_000;

    /** The system name of ringloop's rows on the epoll backend. */
    public static final String EPOLL_SYSTEM = "ringloop-epoll";

    private final Doorbell asked;
    private final EventLoop loop;
    private final int tid;

    private RingloopLoop(Doorbell asked, EventLoop loop) {
        this.asked = asked;
        this.loop = loop;
        this.tid = LoopTid.of(loop);
    }

    /**
     * Opens a loop with the given doorbell.
     *
     * @param doorbell the doorbell asked for; AUTO lets the loop choose
     * @return the running loop
     */
    public static RingloopLoop open(Doorbell doorbell) {
        return open(doorbell, options(doorbell));
    }

    /**
     * Opens a loop with the given doorbell on a chosen backend.
     *
     * @param doorbell the doorbell asked for; AUTO lets the loop choose
     * @param backend what the loop runs on
     * @return the running loop
     */
    public static RingloopLoop open(Doorbell doorbell, Backend backend) {
        return open(doorbell, options(doorbell).backend(backend)
                .threadName("ringloop-" + backend.name().toLowerCase(Locale.ROOT) + "-"
                        + doorbell.name().toLowerCase(Locale.ROOT)));
    }

    /**
     * Opens a loop that spins while idle and counts its empty looks ({@code LoopStats.idleIterations}). It spins as
     * long as the options allow and then sleeps at most 1 µs before it spins again, so nearly all of its time is
     * empty looks (one short park per second).
     *
     * @param doorbell the doorbell asked for; AUTO lets the loop choose
     * @return the running loop
     */
    public static RingloopLoop openSpinning(Doorbell doorbell) {
        return open(doorbell, options(doorbell).spinNanos(SPIN_NANOS).maxParkNanos(SPINNING_PARK_NANOS));
    }

    private static RingloopLoop open(Doorbell doorbell, LoopOptions.Builder options) {
        EventLoop loop = EventLoop.open(options.build());
        try {
            return new RingloopLoop(doorbell, loop);
        } catch (RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    private static LoopOptions.Builder options(Doorbell doorbell) {
        return LoopOptions.builder().doorbell(doorbell)
                .threadName("ringloop-" + doorbell.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public String system() {
        return loop.backend() == Backend.EPOLL ? EPOLL_SYSTEM : "ringloop";
    }

    @Override
    public String variant() {
        // AUTO is reported with what it resolved to, so a reader can match it with the explicit rows
        return asked == Doorbell.AUTO ? "AUTO:" + loop.doorbell() : asked.name();
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
    public OptionalLong wakeupsRung() {
        return OptionalLong.of(loop.stats().wakeupsRung());
    }

    @Override
    public OptionalLong parks() {
        return OptionalLong.of(loop.stats().parks());
    }

    @Override
    public OptionalLong emptyIterations() {
        return OptionalLong.of(loop.stats().idleIterations());
    }

    /**
     * Reads the empty looks of a spinning twin of this loop (same doorbell) over a window: every pass it makes in the
     * window is an empty one, and the window divided by their number is the cost of one.
     */
    @Override
    public EmptyIteration emptyIteration(long windowNanos) {
        try (RingloopLoop spinner = open(loop.doorbell(), options(loop.doorbell()).backend(loop.backend())
                .spinNanos(SPIN_NANOS).maxParkNanos(SPINNING_PARK_NANOS))) {
            long before = spinner.loop.stats().idleIterations();
            long t0 = System.nanoTime();
            TimeUnit.NANOSECONDS.sleep(windowNanos);
            long after = spinner.loop.stats().idleIterations();
            long t1 = System.nanoTime();
            long passes = after - before;
            if (passes <= 0) {
                return EmptyIteration.unmeasurable("LoopStats.idleIterations did not move while the loop spun idle");
            }
            return new EmptyIteration((t1 - t0) / (double) passes, passes, "window / LoopStats.idleIterations delta, "
                    + "on a loop spinning idle (spinNanos " + SPIN_NANOS + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EmptyIteration.unmeasurable("interrupted");
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
