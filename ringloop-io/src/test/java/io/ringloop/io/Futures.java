package io.ringloop.io;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits on the I/O layer's futures, for tests: a future that never completes fails the test, saying so. */
final class Futures {
    /** Seconds; long, because a loaded 2-CPU machine can stall a healthy operation for seconds. */
    static final long WAIT = 60;

    private Futures() {
    }

    /** The future's value, within {@link #WAIT}. */
    static <T> T await(CompletableFuture<T> f) throws Exception {
        return await(f, f.toString());
    }

    /** The future's value, within {@link #WAIT}; {@code what} names it if it does not come. */
    static <T> T await(CompletableFuture<T> f, String what) throws Exception {
        try {
            return f.get(WAIT, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + WAIT + " s", e);
        }
    }

    /** The exception the future failed with (a {@link CancellationException} if cancelled), within {@link #WAIT}. */
    static Throwable failureOf(CompletableFuture<?> f) throws Exception {
        try {
            f.get(WAIT, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        } catch (TimeoutException e) {
            throw new AssertionError(f + " did not complete within " + WAIT + " s", e);
        }
        throw new AssertionError("expected a failure, got success: " + f);
    }
}
