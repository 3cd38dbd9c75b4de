package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.LoopGroup;
import io.ringloop.binding.Errno;
import io.ringloop.binding.IoUringFlags;
import io.ringloop.binding.SubmissionQueue;
import io.ringloop.binding.Syscalls;
import io.ringloop.internal.AbandonableTask;
import io.ringloop.internal.LoopInternals;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listening TCP socket whose accepts go through a loop's ring: one-shot ({@link #accept()}) or multishot
 * ({@link #accept(AcceptHandler)}, one SQE for every connection, re-armed whenever the kernel ends it, for example
 * after a CQ overflow).
 *
 * <pre>
 * AsyncServerSocket server = AsyncServerSocket.bind(loop, new InetSocketAddress("127.0.0.1", 0));
 * server.accept(socket -&gt; socket.receive(...));
 * </pre>
 *
 * The future of a one-shot accept is cancelled only once the kernel has given up the accept (see
 * {@link AsyncChannel}, "Cancelling"); if the kernel accepted first, the future completes with the connection.
 */
public final class AsyncServerSocket extends AsyncChannel {
    /**
     * After a failed accept (EMFILE, ENOMEM), the pause before accepting again, so that a lack of fds does not spin.
     */
    private static final long REARM_AFTER_ERROR_MILLIS = 1;

    private final SocketOptions options;
    private final InetSocketAddress local;
    private MultishotAccept accepting;
    /** Whether multishot accepting was started and has not ended; set from any thread, cleared on the loop thread. */
    private final AtomicBoolean acceptClaimed = new AtomicBoolean();
    /** Written only on the loop thread (so {@code ++} is safe); volatile so that any thread reads a recent count. */
    private volatile long acceptRearms;

    private AsyncServerSocket(EventLoop loop, int fd, String description, SocketOptions options,
            InetSocketAddress local) {
        super(loop, fd, description);
        this.options = options;
        this.local = local;
    }

    /**
     * Binds and listens with the default options.
     *
     * @param loop the loop for this server's accepts and its connections' I/O
     * @param address where to listen (port 0 for any free port)
     * @return the listening server
     * @throws RingIoException naming the address and errno (EADDRINUSE, EACCES, EADDRNOTAVAIL, ...)
     */
    public static AsyncServerSocket bind(EventLoop loop, SocketAddress address) throws RingIoException {
        return bind(loop, address, SocketOptions.defaults());
    }

    /**
     * Binds and listens.
     *
     * @param loop the loop for this server's accepts and its connections' I/O
     * @param address where to listen (IPv4 or IPv6; port 0 for any free port)
     * @param options socket options; {@code reusePort} lets one server per loop share the port
     * @return the listening server
     * @throws RingIoException naming the address and errno
     */
    public static AsyncServerSocket bind(EventLoop loop, SocketAddress address, SocketOptions options)
            throws RingIoException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(options, "options");
        InetSocketAddress a = SocketAddresses.check(address);
        String target = SocketAddresses.describe(a);
        int fd = SocketAddresses.socket(SocketAddresses.family(a), options, true, target);
        MemorySegment sa = SocketAddresses.toNative(a);
        int r = Syscalls.bind(fd, sa);
        if (r < 0) {
            Syscalls.close(fd);
            throw RingIoException.of("bind", target, r);
        }
        r = Syscalls.listen(fd, options.backlog());
        if (r < 0) {
            Syscalls.close(fd);
            throw RingIoException.of("listen", target, r);
        }
        InetSocketAddress bound = SocketAddresses.local(fd);
        return new AsyncServerSocket(loop, fd, bound == null ? target : SocketAddresses.describe(bound), options,
                bound);
    }

    /**
     * One listening socket per loop of a group, all on the same address with {@code SO_REUSEPORT}: the kernel spreads
     * incoming connections over them (by a hash of the connection's addresses), so each loop accepts and serves its
     * own share with no hand-off between loops.
     *
     * @param group the loops
     * @param address where to listen; with port 0, the first socket's port is used for the rest
     * @param options socket options ({@code reusePort} is forced on)
     * @return the servers, in the group's loop order
     * @throws RingIoException naming the address and errno; sockets already bound are closed
     */
    public static List<AsyncServerSocket> bindEach(LoopGroup group, SocketAddress address,
            SocketOptions options) throws RingIoException {
        Objects.requireNonNull(group, "group");
        InetSocketAddress a = SocketAddresses.check(address);
        SocketOptions o = Objects.requireNonNull(options, "options").withReusePort(true);
        List<AsyncServerSocket> servers = new ArrayList<>();
        try {
            for (int i = 0; i < group.size(); i++) {
                AsyncServerSocket s = bind(group.loop(i), a, o);
                servers.add(s);
                a = new InetSocketAddress(a.getAddress(), s.localAddress().getPort());
            }
        } catch (RingIoException | RuntimeException e) {
            for (AsyncServerSocket s : servers) {
                s.close();
            }
            throw e;
        }
        return servers;
    }

    /**
     * The address listened on (with the port the kernel chose for port 0).
     *
     * @return the local address
     */
    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * How many times the multishot accept was re-armed after the kernel ended it.
     *
     * @return the count
     */
    public long acceptRearms() {
        return acceptRearms;
    }

    /**
     * Accepts one connection.
     *
     * @return the connection, on this server's loop
     */
    public CompletableFuture<AsyncSocket> accept() {
        Op op = new Op(this).set(Op.Kind.ACCEPT, 0);
        CompletableFuture<AsyncSocket> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Accepts one connection within a time limit.
     *
     * @param timeout how long, 0 for none
     * @param unit its unit
     * @return the connection, or a failure with {@link IoTimeoutException}
     */
    public CompletableFuture<AsyncSocket> accept(long timeout, TimeUnit unit) {
        Op op = new Op(this).set(Op.Kind.ACCEPT, Buffers.timeout(timeout, unit));
        CompletableFuture<AsyncSocket> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Accepts connections until the server is closed, with one multishot accept. At most one per server.
     *
     * @param handler called on the loop thread for each connection
     * @throws IllegalStateException if multishot accepting already runs, whichever thread started it
     */
    public void accept(AcceptHandler handler) {
        Objects.requireNonNull(handler, "handler");
        // Claimed here, on the caller's thread, so that a second one is refused to its caller at once.
        if (!acceptClaimed.compareAndSet(false, true)) {
            throw new IllegalStateException("already accepting on " + this);
        }
        Runnable r = () -> {
            if (isClosing()) {
                acceptClaimed.set(false);
                handler.onError(new IoClosedException("accept", description, "the channel is closed"));
                return;
            }
            accepting = new MultishotAccept(handler);
            submit(accepting);
        };
        if (loop.inEventLoop()) {
            r.run();
            return;
        }
        Runnable refused = () -> {
            acceptClaimed.set(false);
            handler.onError(new IoClosedException("accept", description, "the loop is closed"));
        };
        try {
            loop.execute(AbandonableTask.of(r, why -> refused.run()));
        } catch (RejectedExecutionException e) {
            refused.run();
        }
    }

    private void acceptEnded() {
        accepting = null;
        acceptClaimed.set(false);
    }

    @Override
    Object resultOf(Op.Kind kind, long value) {
        return kind == Op.Kind.ACCEPT ? accepted((int) value) : super.resultOf(kind, value);
    }

    @Override
    void onClose() {
        MultishotAccept a = accepting;
        if (a != null && a.paused) {
            // Between two accepts the kernel has nothing to cancel, and the loop may end (dropping the pause's
            // timer) before the pause does: it ends here, so that the fd is closed now.
            a.endPause();
        }
    }

    private AsyncSocket accepted(int fd) {
        InetSocketAddress peer = SocketAddresses.remote(fd);
        String d = peer == null ? "accepted on " + description : SocketAddresses.describe(peer);
        try {
            SocketAddresses.apply(fd, options, false, d);
        } catch (RingIoException e) {
            // The connection is usable without its options; say so rather than drop it.
            loop.options().errorHandler().onError(() -> { }, e);
        }
        return new AsyncSocket(loop, fd, d, options.zeroCopySendThreshold());
    }

    /** The multishot accept: re-armed whenever a CQE comes without {@code F_MORE}, until the server closes. */
    private final class MultishotAccept extends ChannelOp {
        private final AcceptHandler handler;
        /** Not in the kernel: waiting out the pause after an error, still linked so that close waits for it. */
        boolean paused;
        /** Before 5.19 each accept is single-shot: its CQE ends it and it is re-armed, which is no news to count. */
        private final boolean multishot = KernelSupport.multishotAccept(loop);

        MultishotAccept(AcceptHandler handler) {
            super(AsyncServerSocket.this);
            this.handler = handler;
        }

        @Override
        String operation() {
            return "accept";
        }

        /** Lives as long as its socket: holds no CQ slot (see {@code IoRequest.cqReservation()}). */
        @Override
        public int cqReservation() {
            return 0;
        }

        @Override
        public void prepare(SubmissionQueue sq, long userData) {
            sq.accept(fd, 0, 0, Syscalls.SOCK_CLOEXEC, multishot, userData);
        }

        @Override
        public boolean complete(int res, int flags) {
            boolean more = (flags & IoUringFlags.CQE_F_MORE) != 0;
            try {
                if (res >= 0) {
                    if (isClosing()) {
                        Syscalls.close(res);
                    } else {
                        handler.onAccept(accepted(res));
                    }
                } else if (res != -Errno.ECANCELED || !isClosing()) {
                    handler.onError(RingIoException.of("accept", description, res));
                }
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) {
                    throw vme;
                }
                loop.options().errorHandler().onError(this, t);
            }
            if (more) {
                return false;
            }
            if (isClosing()) {
                finished(this);
                acceptEnded();
                return true;
            }
            if (multishot) {
                acceptRearms++;
            }
            if (res < 0 && res != -Errno.ECANCELED) {
                // Kept linked during the pause; a close ends the pause (see onClose).
                paused = true;
                try {
                    loop.schedule(this::rearmAfterPause, REARM_AFTER_ERROR_MILLIS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    endPause();
                }
            } else {
                LoopInternals.submitIo(loop, this);
            }
            return true;
        }

        private void rearmAfterPause() {
            if (!paused) {
                // A close ended the pause already.
                return;
            }
            if (isClosing()) {
                endPause();
            } else {
                paused = false;
                LoopInternals.submitIo(loop, this);
            }
        }

        void endPause() {
            paused = false;
            acceptEnded();
            finished(this);
        }

        @Override
        void abort(RingIoException error) {
            acceptEnded();
            handler.onError(error);
        }
    }
}
