package io.ringloop.bench.loop;

import io.ringloop.Doorbell;
import io.ringloop.EventLoop;
import io.ringloop.LoopOptions;
import io.ringloop.LoopStats;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A ringloop {@link EventLoop} with one doorbell and otherwise default options, used the way an application would. */
public final class RingloopLoop implements LoopUnderTest {
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
        EventLoop loop = EventLoop.open(options(doorbell).build());
        try {
            return new RingloopLoop(doorbell, loop);
        } catch (RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    private static LoopOptions.Builder options(Doorbell doorbell) {
        return LoopOptions.builder().doorbell(doorbell).threadName("ringloop-" + doorbell.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public String system() {
        return "ringloop";
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

    /**
     * Reads the loop's own iteration counter over a window while a dedicated loop spins idle.
     *
     * <p>The counter is looked up by name among {@link LoopStats}'s components, so this hook starts to report as soon
     * as the loop counts its passes, and says which components exist until then.
     */
    @Override
    public EmptyIteration emptyIteration(long windowNanos) {
        Optional<RecordComponent> counter = Arrays.stream(LoopStats.class.getRecordComponents())
                .filter(c -> c.getType() == long.class && c.getName().toLowerCase(Locale.ROOT).contains("iteration"))
                .findFirst();
        if (counter.isEmpty()) {
            return EmptyIteration.unmeasurable("LoopStats counts no loop iterations yet (it has "
                    + Arrays.stream(LoopStats.class.getRecordComponents()).map(RecordComponent::getName)
                    .collect(Collectors.joining(", ")) + "); this hook reads a component named *iteration* "
                    + "once there is one");
        }
        // a loop of its own whose spin outlasts the window, so every pass observed is an empty one (the options allow
        // at most 1 s: the full plan's 300 ms window asked for 1.2 s and the row said "not measurable")
        long spin = Math.min(TimeUnit.SECONDS.toNanos(1),
                Math.max(windowNanos * 4, TimeUnit.MILLISECONDS.toNanos(100)));
        if (windowNanos >= spin) {
            return EmptyIteration.unmeasurable("window " + windowNanos + " ns is not shorter than the longest spin "
                    + "(1 s)");
        }
        try (EventLoop spinner = EventLoop.open(options(loop.doorbell()).spinNanos(spin)
                .threadName("ringloop-empty-iteration").build())) {
            spinner.submit(() -> null).join();
            long before = read(counter.get(), spinner.stats());
            long t0 = System.nanoTime();
            TimeUnit.NANOSECONDS.sleep(windowNanos);
            long after = read(counter.get(), spinner.stats());
            long t1 = System.nanoTime();
            long passes = after - before;
            if (passes <= 0) {
                return EmptyIteration.unmeasurable("LoopStats." + counter.get().getName() + " did not move while "
                        + "the loop spun idle");
            }
            return new EmptyIteration((t1 - t0) / (double) passes, passes, "window / LoopStats."
                    + counter.get().getName() + " delta, on a loop spinning idle (spinNanos " + spin + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EmptyIteration.unmeasurable("interrupted");
        }
    }

    private static long read(RecordComponent component, LoopStats stats) {
        try {
            return (Long) component.getAccessor().invoke(stats);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read LoopStats." + component.getName(), e);
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
