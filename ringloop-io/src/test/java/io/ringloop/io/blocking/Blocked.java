package io.ringloop.io.blocking;

import java.io.File;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers: a call on a virtual thread, seen to block, and what it threw; fd counts. */
final class Blocked {
    /** A blocking call under test. */
    interface Call {
        Object run() throws Exception;
    }

    private Blocked() {
    }

    /** Starts a call on a virtual thread and returns once the thread is seen parked in it (bounded). */
    static Running start(Call call) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(call.run());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // A parked virtual thread reports WAITING (or TIMED_WAITING); poll its state rather than sleep.
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertThat(outcome).as("the call returned instead of blocking").isNotDone();
            assertThat(System.nanoTime()).as("the call did not block within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
        return new Running(t, outcome);
    }

    /** A call in progress on a virtual thread. */
    record Running(Thread thread, CompletableFuture<Object> outcome) {
        /** Waits (bounded) for the call to end and returns what it threw. */
        Throwable failure() throws Exception {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(thread.isAlive()).as("the blocked call did not end within 10 s").isFalse();
            assertThat(outcome).isCompletedExceptionally();
            return outcome.handle((v, e) -> e).get();
        }

        Object value() throws Exception {
            return outcome.get(10, TimeUnit.SECONDS);
        }
    }

    static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
