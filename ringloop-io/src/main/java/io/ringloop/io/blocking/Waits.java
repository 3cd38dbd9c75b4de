package io.ringloop.io.blocking;

import io.ringloop.EventLoop;
import io.ringloop.io.AsyncChannel;
import io.ringloop.io.IoCancelledException;
import io.ringloop.io.IoClosedException;
import io.ringloop.io.IoTimeoutException;
import io.ringloop.io.RingIoException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * How a blocking call waits for its operation's future, and what it throws: the one place where an interrupt becomes
 * a kernel cancel and a closed channel, and where the io layer's exceptions become the JDK's. A socket read has no
 * operation to wait for (it parks until its receive delivers, {@code BlockingSocket.receive}); it ends an interrupt
 * the same way, with no kernel cancel because the kernel holds none of its buffers.
 */
final class Waits {
    private Waits() {
    }

    /**
     * Before an operation starts: refuses the loop thread (it would wait for itself) and honours an interrupt that
     * came first, as the JDK's interruptible channels do (the channel is closed and the call throws).
     */
    static void begin(EventLoop loop, AutoCloseable channel) throws IOException {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("a blocking call on " + loop + "'s own thread would wait for itself; "
                    + "call it from another thread (a virtual thread is cheap)");
        }
        if (Thread.currentThread().isInterrupted()) {
            closeQuietly(channel);
            throw new ClosedByInterruptException();
        }
    }

    /** A non-blocking call on the caller's thread ({@code readNow}, {@code writeNow}). */
    interface Now {
        int run() throws RingIoException;
    }

    /**
     * Runs a non-blocking call on the caller's thread, its failure translated as {@link #await}'s.
     *
     * @param call the call
     * @param what the operation, for messages
     */
    static int now(Now call, String what) throws IOException {
        try {
            return call.run();
        } catch (RingIoException e) {
            throw translate(e, what);
        }
    }

    /**
     * Waits for an operation. {@code get()} parks a virtual thread without pinning its carrier; a platform thread
     * simply blocks.
     *
     * <p>On interrupt the kernel operation is cancelled, and this thread waits (uninterruptibly) until the future has
     * settled, that is until the kernel has let go of the buffer, which is the caller's again when this throws. Then
     * the channel is closed, the interrupt status set again, and {@link ClosedByInterruptException} thrown. A value
     * the operation produced anyway (a socket accepted or connected) is closed.
     *
     * @param f the operation's future
     * @param channel what an interrupt closes, or null (a connect has no channel yet)
     * @param what the operation, for messages
     */
    static <T> T await(CompletableFuture<T> f, AutoCloseable channel, String what) throws IOException {
        HandOffStats.call(f.isDone());
        try {
            return f.get();
        } catch (InterruptedException e) {
            HandOffStats.countInterrupt();
            f.cancel(false);
            Object late = f.handle((v, t) -> v).join();
            if (late instanceof AsyncChannel c) {
                c.closeAsync();
            }
            closeQuietly(channel);
            Thread.currentThread().interrupt();
            ClosedByInterruptException x = new ClosedByInterruptException();
            x.initCause(e);
            throw x;
        } catch (ExecutionException e) {
            throw translate(e.getCause(), what);
        } catch (CancellationException e) {
            // Only this class cancels, on interrupt; another party holding the future could too.
            AsynchronousCloseException x = new AsynchronousCloseException();
            x.initCause(e);
            throw x;
        }
    }

    /** The io layer's failure as the exception a JDK channel or socket throws in the same case. */
    static IOException translate(Throwable t, String what) {
        if (t instanceof IoTimeoutException e) {
            SocketTimeoutException x = new SocketTimeoutException(what + " timed out (" + e.getMessage() + ")");
            x.initCause(e);
            return x;
        }
        if (t instanceof IoClosedException || t instanceof IoCancelledException) {
            // Closed by another thread (or the loop ended) while this one waited.
            AsynchronousCloseException x = new AsynchronousCloseException();
            x.initCause(t);
            return x;
        }
        if (t instanceof RingIoException e) {
            IOException x = switch (e.errnoName()) {
                case "ECONNREFUSED" -> new ConnectException("Connection refused: " + e.getMessage());
                case "ECONNRESET" -> new SocketException("Connection reset: " + e.getMessage());
                case "EPIPE" -> new SocketException("Broken pipe: " + e.getMessage());
                default -> null;
            };
            if (x == null) {
                return e;
            }
            x.initCause(e);
            return x;
        }
        if (t instanceof IOException e) {
            return e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IOException(what + " failed", t);
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // Closing after an interrupt: the interrupt is what the caller hears about.
        }
    }
}
