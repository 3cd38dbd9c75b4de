package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.binding.Errno;
import io.ringloop.binding.Syscalls;
import io.ringloop.internal.AbandonableTask;
import io.ringloop.internal.LoopInternals;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What files and sockets share: a file descriptor owned by one loop, the requests in flight on it, and a close that
 * cancels them and closes the fd only after the kernel has answered every one.
 *
 * <p>Every operation may be started from any thread; it runs on the loop thread (a call already there goes straight
 * to the ring, from elsewhere it hops with one task). Loop-thread state is touched only there.
 *
 * <h2>Cancelling</h2>
 * The future an operation returns is cancelled only once the kernel can no longer read from or write into the
 * operation's buffer, so that a cancelled future's buffer is the caller's again at once. Hence its
 * {@link CompletableFuture#cancel cancel}:
 * <ul>
 * <li>on the loop thread, for an operation the kernel has not seen yet (its hop to the loop has not run, it waits
 *     behind an earlier write of the same socket, or it waits for room in the ring), ends it at once: it returns
 *     true and the future is cancelled; the operation never runs;</li>
 * <li>otherwise asks the kernel to cancel it ({@code IORING_OP_ASYNC_CANCEL}) and returns <b>false</b>: the future
 *     completes later, cancelled ({@link CompletableFuture#isCancelled()}) when the kernel answers that it cancelled
 *     the operation, or normally with the result if the operation finished first (a read keeps the bytes it got);
 *     </li>
 * <li>from any other thread always returns false, and the loop does one of the above.</li>
 * </ul>
 * Completing the future by other means ({@code complete}, {@code orTimeout}, ...) does not stop the operation; use
 * the forms with a timeout, which the kernel enforces.
 */
public abstract class AsyncChannel implements AutoCloseable {
    /**
     * Pooled operations per channel: enough for a pipeline of reads and writes, bounded so idle channels stay small.
     */
    private static final int POOL_LIMIT = 8;
    /**
     * What a {@code readNow} returns when it could not complete without waiting: nothing has arrived on a socket, or
     * a file's data is not in the page cache. The caller then starts the operation on the ring.
     */
    public static final int WOULD_WAIT = -1;

    final EventLoop loop;
    final int fd;
    final String description;
    private final ArrayDeque<Op> pool = new ArrayDeque<>();
    /**
     * Ordered requests started on other threads and not yet on the loop, in the order they were started: a call on
     * the loop thread goes behind them instead of straight to the ring (which would overtake their hops).
     */
    private final ConcurrentLinkedQueue<ChannelOp> inbox = new ConcurrentLinkedQueue<>();
    /** The hop of ordered requests from other threads; if the loop gives up before it runs, they fail as closed. */
    private final Runnable drainInbox = AbandonableTask.of(this::drainInbox, this::abortInbox);
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean fdReleased = new AtomicBoolean();
    /** Callers using the fd on their own threads ({@code readNow}, {@code writeNow}): the fd outlives them. */
    private final FdUsers users = new FdUsers();
    /** Set on the loop thread; read there (volatile only so that {@link #isOpen()} answers from any thread). */
    private volatile boolean closing;
    final LoopResources resources;
    private ChannelOp head;
    private int live;

    AsyncChannel(EventLoop loop, int fd, String description) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.fd = fd;
        this.description = description;
        this.resources = LoopResources.of(loop);
        resources.opened(this);
        if (loop.isTerminated()) {
            // Too late for the loop's own sweep: nothing can run on it, so close now.
            closeAsync();
        }
    }

    /**
     * The loop this channel's operations run on.
     *
     * @return the loop
     */
    public final EventLoop loop() {
        return loop;
    }

    /**
     * Whether the channel is open (close not yet started).
     *
     * @return true if open
     */
    public final boolean isOpen() {
        return !closing;
    }

    /**
     * Operations handed to the kernel or waiting for room, not yet finished. Loop thread only.
     *
     * @return the count
     */
    final int live() {
        return live;
    }

    // ---------------------------------------------------------------- starting operations

    /** An operation object for a callback-form call: pooled on the loop thread, fresh elsewhere. */
    final Op op() {
        if (loop.inEventLoop()) {
            Op o = pool.poll();
            if (o != null) {
                return o;
            }
            o = new Op(this);
            o.pooled = true;
            return o;
        }
        return new Op(this);
    }

    final void recycle(Op op) {
        if (op.pooled && pool.size() < POOL_LIMIT) {
            pool.push(op);
        }
    }

    /** Starts an operation from any thread. */
    final void start(ChannelOp op) {
        boolean ordered = ordered(op);
        if (loop.inEventLoop()) {
            if (ordered && !inbox.isEmpty()) {
                // Earlier ordered requests from other threads are still on their way here: this one goes after them.
                inbox.add(op);
                drainInbox();
            } else {
                submit(op);
            }
            return;
        }
        try {
            if (ordered) {
                inbox.add(op);
                loop.execute(drainInbox);
            } else {
                loop.execute(op);
            }
        } catch (RejectedExecutionException e) {
            // (An ordered request a drain already took is failed there: the loop is closed.)
            if (!ordered || inbox.remove(op)) {
                op.abort(loop.isClosed() ? new IoClosedException(op.operation(), description, "the loop is closed")
                        : new RingIoException(op.operation(), description, Errno.EAGAIN,
                                "the loop's bounded task queue is full (QueueFullPolicy.REJECT): " + e.getMessage()));
            }
        }
    }

    /** Hook: whether requests like this one must reach the ring in the order they were started (a socket's writes). */
    boolean ordered(ChannelOp op) {
        return false;
    }

    /** On the loop thread: submits the ordered requests that arrived, in the order they were started. */
    private void drainInbox() {
        ChannelOp op;
        while ((op = inbox.poll()) != null) {
            // Submits it, unless it was cancelled on its way.
            op.run();
        }
    }

    private void abortInbox(RejectedExecutionException why) {
        ChannelOp op;
        while ((op = inbox.poll()) != null) {
            op.abandoned(why);
        }
    }

    /** On the loop thread: links the request and hands it to the ring, or fails it if the channel is closing. */
    final void submit(ChannelOp op) {
        if (isClosing()) {
            op.abort(new IoClosedException(op.operation(), description,
                    closing ? "the channel is closed" : "the loop is closed"));
            return;
        }
        if (holdBack(op)) {
            return;
        }
        link(op);
        if (doneInline(op)) {
            return;
        }
        LoopInternals.submitIo(loop, op);
    }

    /** Hook: keeps a request back (a socket's writes go one at a time, in order); it is submitted later. */
    boolean holdBack(ChannelOp op) {
        return false;
    }

    /**
     * Hook: does the request's work with a direct call instead of the ring, if it can (a socket's send on the epoll
     * backend). True if the request is done (it ends on a later turn of the loop); false if it goes to the ring,
     * perhaps with less left to do.
     */
    boolean doneInline(ChannelOp op) {
        return false;
    }

    /** Hook: a writeAll failed after some of its bytes were sent (before it is unlinked). */
    void writeStoppedPartWay(RingIoException error, long sent, long length) {
    }

    /** Hook: a request finished (after it was unlinked, before its handler runs). */
    void afterFinished(ChannelOp op) {
    }

    /** On the loop thread, from a request's last completion: unlinks it, and closes the fd after the last one. */
    final void finished(ChannelOp op) {
        unlink(op);
        afterFinished(op);
        if (closing) {
            tryReleaseFd();
        }
    }

    // ---------------------------------------------------------------- calls on the caller's thread

    /**
     * Before a system call on the caller's own thread: keeps the fd open until {@link #exitDirect()}.
     *
     * @param operation for the exception
     * @throws IoClosedException if the channel is closing
     */
    final void enterDirect(String operation) throws IoClosedException {
        if (isClosing() || !users.enter()) {
            throw new IoClosedException(operation, description, "the channel was closed");
        }
    }

    /** After that system call: the last caller out of a closing channel has the fd released. */
    final void exitDirect() {
        if (users.exit()) {
            try {
                loop.executeEvenIfFull(AbandonableTask.of(this::tryReleaseFd, why -> releaseFdAtTermination()));
            } catch (RejectedExecutionException e) {
                releaseFdAtTermination();
            }
        }
    }

    /**
     * Hook: a cancelled request the kernel has inside another one (a write in a socket's {@link WriteBatch}): that one
     * is cancelled, and the request ends when it does. True if so.
     */
    boolean cancelWithin(Op op) {
        return false;
    }

    /** Hook: takes a request out of wherever {@link #holdBack} kept it; true if it was there. */
    boolean withdraw(ChannelOp op) {
        return false;
    }

    /**
     * A future's cancel, on the loop thread. A request the kernel never saw (its hop to the loop has not run yet, or it
     * waits behind another write or for CQ room) ends now, cancelled; one the kernel has gets an
     * {@code ASYNC_CANCEL} and ends when the kernel answers.
     */
    final void cancel(Op op) {
        if (op.cancelRequested || op.future == null) {
            // Asked already, or already completed.
            return;
        }
        op.cancelRequested = true;
        if (op.linked) {
            LoopInternals.cancelIo(loop, op);
        } else if (!cancelWithin(op)) {
            withdraw(op);
            op.abort(new IoCancelledException(op.operation(), description));
        }
    }

    private void link(ChannelOp op) {
        if (op.linked) {
            return;
        }
        op.linked = true;
        op.prev = null;
        op.next = head;
        if (head != null) {
            head.prev = op;
        }
        head = op;
        live++;
    }

    private void unlink(ChannelOp op) {
        if (!op.linked) {
            return;
        }
        op.linked = false;
        if (op.prev != null) {
            op.prev.next = op.next;
        } else {
            head = op.next;
        }
        if (op.next != null) {
            op.next.prev = op.prev;
        }
        op.prev = null;
        op.next = null;
        live--;
    }

    /** Closing, or the loop is: either way nothing new may reach the kernel and nothing ended may be re-armed. */
    final boolean isClosing() {
        return closing || loop.isClosed();
    }

    // ---------------------------------------------------------------- closing

    /**
     * Starts closing: new operations fail with {@link IoClosedException}; operations in flight are cancelled in the
     * kernel and complete with {@link IoClosedException} (or their result if they finished first); the fd is closed
     * once the kernel has answered every one. Callable from any thread; idempotent.
     *
     * @return a future completed when the fd is closed
     */
    public final CompletableFuture<Void> closeAsync() {
        if (loop.inEventLoop()) {
            beginClose();
        } else {
            try {
                // Past a full bounded queue too: a close refused for lack of room would wait for the loop's end.
                loop.executeEvenIfFull(AbandonableTask.of(this::beginClose, why -> closeAtTermination()));
            } catch (RejectedExecutionException e) {
                closeAtTermination();
            }
        }
        return closed.copy();
    }

    private void beginClose() {
        if (closing) {
            return;
        }
        closing = true;
        users.close();
        onClose();
        if (head == null) {
            tryReleaseFd();
            return;
        }
        // Cancel from a snapshot walk: a waiting request is failed (and unlinked) synchronously by cancelIo.
        ChannelOp op = head;
        while (op != null) {
            ChannelOp next = op.next;
            LoopInternals.cancelIo(loop, op);
            op = next;
        }
    }

    /**
     * The loop refused the close, or gave up before it ran: the loop cancels and completes all I/O before it
     * terminates, and nothing new can start, so the fd is safe to close once it has.
     */
    private void closeAtTermination() {
        loop.terminationFuture().whenComplete((v, t) -> {
            closing = true;
            if (users.close()) {
                releaseFd();
            }
        });
    }

    /** The last direct caller left a closing channel whose loop is gone or going: no ring operation is left then. */
    private void releaseFdAtTermination() {
        loop.terminationFuture().whenComplete((v, t) -> releaseFd());
    }

    /** The future's value for a successful operation of this channel. */
    Object resultOf(Op.Kind kind, long value) {
        return switch (kind) {
            case FSYNC, FDATASYNC, SHUTDOWN -> null;
            case READV, WRITEV, WRITE_ALL, SEND_ALL -> value;
            default -> (int) value;
        };
    }

    /** Hook: an operation of this kind failed (a failed connect closes its socket). */
    void failedOp(Op.Kind kind) {
    }

    /** Hook for subclasses to stop re-arming multishot requests; runs on the loop thread when closing begins. */
    void onClose() {
    }

    /** On the loop thread, while closing: releases the fd once no ring operation and no caller uses it. */
    private void tryReleaseFd() {
        if (head == null && users.idle()) {
            releaseFd();
        }
    }

    private void releaseFd() {
        if (fdReleased.compareAndSet(false, true)) {
            int r = Syscalls.close(fd);
            resources.closed(this);
            pool.clear();
            if (r < 0) {
                closed.completeExceptionally(RingIoException.of("close", description, r));
            } else {
                closed.complete(null);
            }
        }
    }

    /**
     * Closes the channel: from another thread, waits until the fd is closed; on the loop thread, starts closing
     * (the fd closes once in-flight operations are cancelled, see {@link #closeAsync()}).
     */
    @Override
    public void close() {
        CompletableFuture<Void> f = closeAsync();
        if (!loop.inEventLoop()) {
            f.exceptionally(t -> null).join();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + description + ", fd " + fd + (closing ? ", closed" : "") + "]";
    }
}
