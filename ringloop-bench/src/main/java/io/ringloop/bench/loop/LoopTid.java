package io.ringloop.bench.loop;

import io.ringloop.binding.Syscalls;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Learns a loop thread's kernel id the only way that works for every loop: by asking from inside it. */
public final class LoopTid {
    private LoopTid() {
    }

    /**
     * Runs {@code gettid()} on the loop.
     *
     * @param loop the loop
     * @return the loop thread's tid
     * @throws IllegalStateException if the loop does not run the task within 10 s
     */
    public static int of(Executor loop) {
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        loop.execute(() -> tid.complete(Syscalls.gettid()));
        try {
            return tid.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the loop for its tid", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the loop did not run a task within 10 s", e);
        }
    }
}
