package io.ringloop.bench.measure;

import io.ringloop.bench.loop.LoopUnderTest;
import io.ringloop.binding.Syscalls;

import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Optional CPU placement, the same for every system: producers on one CPU, loop threads on another.
 *
 * <p>Unpinned is how applications run, and on a small shared machine the scheduler may wake a loop onto its producer's
 * CPU, where a loop that spins before sleeping holds the producer off for its whole spin. Pinned shows each design with
 * a core of its own. Set once, before any producer starts.
 */
public final class Pinning {
    private static volatile int producerCpu = -1;
    private static volatile int loopCpu = -1;

    private Pinning() {
    }

    /**
     * Turns pinning on.
     *
     * @param producer the CPU for every producer thread
     * @param loop the CPU for every loop thread
     */
    public static void enable(int producer, int loop) {
        producerCpu = producer;
        loopCpu = loop;
    }

    /**
     * Whether pinning is on.
     *
     * @return true when enabled
     */
    public static boolean enabled() {
        return producerCpu >= 0;
    }

    /**
     * The CPU for loop threads, which the I/O benchmarks also give their server processes.
     *
     * @return the CPU, or -1 when pinning is off
     */
    public static int loopCpu() {
        return enabled() ? loopCpu : -1;
    }

    /**
     * For the report.
     *
     * @return where threads run
     */
    public static String describe() {
        return enabled() ? "producers on CPU " + producerCpu + ", loop threads on CPU " + loopCpu
                : "none (the scheduler places every thread)";
    }

    /** Pins the calling thread as a producer, if pinning is on. */
    public static void pinProducer() {
        if (enabled()) {
            pin(producerCpu);
        }
    }

    /**
     * Pins a loop's thread, from inside the loop, if pinning is on.
     *
     * @param loop the loop
     */
    public static void pinLoop(LoopUnderTest loop) {
        pinLoopSide(loop::execute);
    }

    /**
     * Pins an event loop's thread to the loop CPU, from inside the loop, if pinning is on.
     *
     * @param loop runs a task on the loop thread
     */
    public static void pinLoopSide(Executor loop) {
        if (enabled()) {
            pinFromInside(loop, loopCpu);
        }
    }

    /**
     * Pins an event loop's thread to the producer CPU, from inside the loop, if pinning is on: for a loop that plays
     * the producer, as loop A of a loop-to-loop roundtrip does.
     *
     * @param loop runs a task on the loop thread
     */
    public static void pinProducerSide(Executor loop) {
        if (enabled()) {
            pinFromInside(loop, producerCpu);
        }
    }

    private static void pinFromInside(Executor loop, int cpu) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                pin(cpu);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        done.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /**
     * The arguments that make the C program pin the same way.
     *
     * @return "pin P L" or nothing
     */
    static String[] cArguments() {
        return enabled() ? new String[] {"pin", Integer.toString(producerCpu), Integer.toString(loopCpu)}
                : new String[0];
    }

    private static void pin(int cpu) {
        BitSet set = new BitSet();
        set.set(cpu);
        int r = Syscalls.setAffinity(set);
        if (r < 0) {
            throw new IllegalStateException("sched_setaffinity(CPU " + cpu + ") failed: errno " + -r);
        }
    }
}
