package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.binding.KernelFeature;
import io.ringloop.binding.ProvidedBufferRing;
import io.ringloop.internal.AbandonableTask;
import io.ringloop.internal.LoopInternals;
import io.ringloop.kernel.NativeCallException;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP connection whose I/O goes through a loop's ring: {@code IORING_OP_CONNECT}, {@code RECV}, {@code SEND},
 * {@code SHUTDOWN}, and a multishot receive into the loop's provided buffers.
 *
 * <pre>
 * AsyncSocket s = AsyncSocket.connect(loop, new InetSocketAddress("127.0.0.1", 8080)).join();
 * s.writeAll(request).join();
 * int n = s.read(buffer).join();
 * </pre>
 *
 * Every operation returns a {@link CompletableFuture}, or takes an {@link IoHandler} (no allocation per call on the
 * loop thread), and has a form with a timeout. A future's {@code cancel} cancels the kernel operation, and the future
 * reports cancelled only once the kernel has let go of its buffer: see {@link AsyncChannel}, "Cancelling" (a read
 * whose bytes arrived before the kernel saw the cancel completes with them; none is lost). Errors are
 * {@link RingIoException}s naming the operation, the errno (ECONNREFUSED, ECONNRESET, EPIPE, ...) and the peer.
 * Sends never raise SIGPIPE ({@code MSG_NOSIGNAL}). Writes leave in the order they were called, from whichever
 * threads (one called on the loop thread goes behind earlier ones still on their way from other threads): the socket
 * hands the kernel one write at a time and queues the rest; a write cancelled while it waits in that queue is never
 * sent. Writes that queued up leave together, as one {@code sendmsg} (see {@code WriteBatch}; {@code SENDMSG} in the
 * feature mask turns it off), each completing with its own result as if sent alone. A {@link #writeAll} that fails,
 * times out or is cancelled after sending part of its bytes ends the ordered stream: every later write fails (naming
 * that first error, which is its cause) rather than follow a truncated message.
 */
public final class AsyncSocket extends AsyncChannel {
    private MultishotReceive receiving;
    /** Whether a receive was started and has not ended; set from any thread, cleared on the loop thread. */
    private final AtomicBoolean receiveClaimed = new AtomicBoolean();
    /** The writes, and the shutdown, in the order they were called. */
    private final SocketWrites writes = new SocketWrites(this);

    /** Writes this long or longer are sent without a copy; 0 never (SocketOptions.zeroCopySendThreshold). */
    private final int zeroCopyThreshold;
    /** Whether the kernel grants SEND_ZC: 0 not asked yet, 1 yes, -1 no (or masked). */
    private int zeroCopyGranted;
    /** Whether a write first tries a direct send on the loop thread ({@link InlineSend}): the epoll backend. */
    private final boolean sendsInline;
    /** Whether a receive can wait for readiness before its first attempt ({@code RECVSEND_POLL_FIRST}, 5.19). */
    private final boolean pollFirstGranted;
    /**
     * A hint: {@link #readNow} found nothing on its last try, so the read started next (a blocking reader's, on the
     * same thread) need not try before it waits. Plain: from another thread it may be seen late or stale, which costs
     * at most a receive tried first, or a poll armed on a socket that is ready already and fires at once.
     */
    private boolean lookedEmpty;
    /** Reads started with the hint, counted where they start; for tests. */
    int pollFirstReads;

    AsyncSocket(EventLoop loop, int fd, String description, int zeroCopyThreshold) {
        super(loop, fd, description);
        this.zeroCopyThreshold = zeroCopyThreshold;
        this.sendsInline = InlineSend.enabled(loop);
        this.pollFirstGranted = LoopInternals.supports(loop, KernelFeature.RECVSEND_POLL_FIRST);
    }

    /**
     * Connects to a server with the default options.
     *
     * @param loop the loop for this socket's I/O
     * @param remote the server's address
     * @return the connected socket
     */
    public static CompletableFuture<AsyncSocket> connect(EventLoop loop, SocketAddress remote) {
        return connect(loop, remote, SocketOptions.defaults(), 0, TimeUnit.NANOSECONDS);
    }

    /**
     * Connects to a server.
     *
     * @param loop the loop for this socket's I/O
     * @param remote the server's address (IPv4 or IPv6)
     * @param options socket options
     * @param timeout how long to wait for the connection, 0 for the kernel's own limit
     * @param unit its unit
     * @return the connected socket; on failure the socket is closed and the future fails with a
     *     {@link RingIoException} (ECONNREFUSED, ETIMEDOUT, ENETUNREACH, ...) or {@link IoTimeoutException}
     */
    public static CompletableFuture<AsyncSocket> connect(EventLoop loop, SocketAddress remote, SocketOptions options,
            long timeout, TimeUnit unit) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(options, "options");
        InetSocketAddress a = SocketAddresses.check(remote);
        long nanos = Buffers.timeout(timeout, unit);
        String target = SocketAddresses.describe(a);
        int fd;
        try {
            fd = SocketAddresses.socket(SocketAddresses.family(a), options, false, target);
        } catch (RingIoException e) {
            return CompletableFuture.failedFuture(e);
        }
        AsyncSocket s = new AsyncSocket(loop, fd, target, options.zeroCopySendThreshold());
        Op op = new Op(s).set(Op.Kind.CONNECT, nanos);
        MemorySegment sockaddr = SocketAddresses.toNative(a);
        op.buffer = sockaddr;
        op.keepAlive = sockaddr;
        op.length = sockaddr.byteSize();
        CompletableFuture<AsyncSocket> f = op.withFuture();
        s.start(op);
        return f;
    }

    @Override
    Object resultOf(Op.Kind kind, long value) {
        return kind == Op.Kind.CONNECT ? this : super.resultOf(kind, value);
    }

    @Override
    boolean ordered(ChannelOp op) {
        return op instanceof Op o && SocketWrites.inWriteOrder(o.kind);
    }

    @Override
    boolean holdBack(ChannelOp op) {
        if (zeroCopyThreshold > 0 && op instanceof Op o && (o.kind == Op.Kind.SEND || o.kind == Op.Kind.SEND_ALL)) {
            o.zeroCopy = o.length >= zeroCopyThreshold && zeroCopyGranted();
        }
        if (!writes.holdBack(op)) {
            return false;
        }
        if (op instanceof Op o) {
            // It waits behind another write, past the receive handler's return: borrowed bytes become its own now.
            ReceivedBytes.keep(o, resources);
        }
        return true;
    }

    private boolean zeroCopyGranted() {
        if (zeroCopyGranted == 0) {
            zeroCopyGranted = LoopInternals.supports(loop, KernelFeature.SEND_ZC) ? 1 : -1;
        }
        return zeroCopyGranted > 0;
    }

    @Override
    boolean doneInline(ChannelOp op) {
        if (!sendsInline || !(op instanceof Op o)) {
            return false;
        }
        if (InlineSend.trySend(this, o)) {
            return true;
        }
        // Not all of it left: the ring sends the rest later, so borrowed bytes become the write's own now.
        ReceivedBytes.keep(o, resources);
        return false;
    }

    @Override
    boolean withdraw(ChannelOp op) {
        return writes.withdraw(op);
    }

    @Override
    void afterFinished(ChannelOp op) {
        writes.finished(op);
    }

    @Override
    boolean cancelWithin(Op op) {
        return writes.cancelWithin(op);
    }

    @Override
    void writeStoppedPartWay(RingIoException error, long sent, long length) {
        writes.stoppedPartWay(error, sent, length);
    }

    @Override
    void onClose() {
        writes.abortQueued();
    }

    /** Loop thread: whether a write is inside the batch the kernel has now (for tests in this package). */
    boolean batchInFlightHolds(Op op) {
        return writes.batchInFlightHolds(op);
    }

    @Override
    void failedOp(Op.Kind kind) {
        if (kind == Op.Kind.CONNECT) {
            closeAsync();
        }
    }

    /**
     * This side's address.
     *
     * @return the local address, or null if the socket is closed
     */
    public InetSocketAddress localAddress() {
        return isOpen() ? SocketAddresses.local(fd) : null;
    }

    /**
     * The peer's address.
     *
     * @return the remote address, or null if not connected or closed
     */
    public InetSocketAddress remoteAddress() {
        return isOpen() ? SocketAddresses.remote(fd) : null;
    }

    // ---------------------------------------------------------------- read

    /**
     * Reads what has arrived, up to the segment's size, waiting for at least one byte.
     *
     * @param dst a native segment to read into: writable, not empty
     * @return the bytes read; 0 when the peer has closed its side
     * @throws IllegalArgumentException if the buffer is read-only or has no room (a read of 0 bytes would
     *     return 0, which means end of stream), or a segment is not native
     */
    public CompletableFuture<Integer> read(MemorySegment dst) {
        return read(dst, 0, TimeUnit.NANOSECONDS);
    }

    /**
     * Reads with a timeout; fails with {@link IoTimeoutException} when nothing arrived in time.
     *
     * @param dst a native segment to read into: writable, not empty
     * @param timeout how long, 0 for none
     * @param unit its unit
     * @return the bytes read; 0 at end of stream
     * @throws IllegalArgumentException if the buffer is read-only or has no room (a read of 0 bytes would
     *     return 0, which means end of stream), or a segment is not native
     */
    public CompletableFuture<Integer> read(MemorySegment dst, long timeout, TimeUnit unit) {
        Op op = segmentOp(new Op(this), Op.Kind.RECV, dst, timeout, unit);
        op.pollFirst = takeEmptyHint();
        CompletableFuture<Integer> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Reads what has already arrived, on the calling thread, without waiting ({@code recv} with
     * {@code MSG_DONTWAIT}): no hop to the loop and no completion to wait for. A blocking call can try this first and
     * start {@link #read(MemorySegment)} only when nothing is there; that read then lets the kernel wait for data
     * before its first attempt (5.19+), as one made just now would fail. Any thread may call it, the loop's too; it
     * must not race another read of this socket, or the two split the bytes between them.
     *
     * @param dst a native segment to read into: writable, not empty
     * @return the bytes read; 0 when the peer has closed its side; {@link #WOULD_WAIT} when nothing has arrived
     * @throws IoClosedException if the socket is closing
     * @throws RingIoException for a failure of the connection, naming the errno (a reset: ECONNRESET)
     * @throws IllegalArgumentException if the segment is read-only, empty or not native
     */
    public int readNow(MemorySegment dst) throws RingIoException {
        int n = Inline.recv(this, dst);
        lookedEmpty = n == WOULD_WAIT;
        return n;
    }

    /**
     * Whether the read being started may skip its first attempt: {@link #readNow} has just found the socket empty,
     * and an attempt now would almost surely fail with EAGAIN before the kernel armed its poll anyway (a blocking
     * read that waits costs one receive the less in the kernel). Consumes the hint.
     */
    private boolean takeEmptyHint() {
        if (!lookedEmpty) {
            return false;
        }
        lookedEmpty = false;
        if (!pollFirstGranted) {
            return false;
        }
        pollFirstReads++;
        return true;
    }

    /**
     * Sends what the socket's buffer has room for, on the calling thread, without waiting ({@code send} with
     * {@code MSG_DONTWAIT}). The bytes go out ahead of any write still queued on the loop, so call it only when this
     * socket has no write outstanding (a blocking writer that holds its own lock across each write does that).
     *
     * @param src a native segment, not empty
     * @return the bytes sent, 0 if the socket's send buffer is full
     * @throws IoClosedException if the socket is closing
     * @throws RingIoException for a failure of the connection, naming the errno (EPIPE once the peer is gone)
     * @throws IllegalArgumentException if the segment is empty or not native
     */
    public int writeNow(MemorySegment src) throws RingIoException {
        return Inline.send(this, src);
    }

    /**
     * Reads into a buffer's remaining bytes; on success its position advances.
     *
     * @param dst a buffer with room (a heap buffer is read through a direct copy)
     * @return the bytes read; 0 at end of stream
     * @throws IllegalArgumentException if the buffer is read-only or has no room (a read of 0 bytes would
     *     return 0, which means end of stream), or a segment is not native
     */
    public CompletableFuture<Integer> read(ByteBuffer dst) {
        Op op = new Op(this).set(Op.Kind.RECV, 0);
        op.pollFirst = takeEmptyHint();
        Buffers.fromByteBuffer(op, dst, true);
        CompletableFuture<Integer> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Reads, completing on a handler: no allocation per call on the loop thread.
     *
     * @param dst a native segment to read into: writable, not empty
     * @param timeout how long, 0 for none
     * @param unit its unit
     * @param attachment passed back
     * @param handler called on the loop thread with the bytes read (0 at end of stream)
     * @param <A> the attachment type
     * @throws IllegalArgumentException if the buffer is read-only or has no room (a read of 0 bytes would
     *     return 0, which means end of stream), or a segment is not native
     */
    public <A> void read(MemorySegment dst, long timeout, TimeUnit unit, A attachment, IoHandler<? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        Op op = segmentOp(op(), Op.Kind.RECV, dst, timeout, unit);
        op.pollFirst = takeEmptyHint();
        op.withHandler(handler, attachment);
        start(op);
    }

    /**
     * Receives continuously with one multishot receive into the loop's provided buffers: no buffer per connection,
     * no SQE per read. Re-armed by itself whenever the kernel ends it for lack of buffers or CQ room. At most one
     * receive per socket; reads and a receive do not mix.
     *
     * @param handler called on the loop thread for each arrival and once at the end
     * @throws IllegalStateException if a receive is already running (its handler's {@code onEnd} has not been called),
     *     whichever thread started it
     */
    public void receive(ReceiveHandler handler) {
        Objects.requireNonNull(handler, "handler");
        // Claimed here, on the caller's thread, so that a second receive is refused to its caller at once.
        if (!receiveClaimed.compareAndSet(false, true)) {
            throw new IllegalStateException("a receive is already running on " + this);
        }
        Runnable r = () -> {
            if (isClosing()) {
                receiveClaimed.set(false);
                handler.onEnd(this, new IoClosedException("receive", description, "the channel is closed"));
                return;
            }
            ProvidedBufferRing buffers = null;
            if (KernelSupport.multishotReceive(loop)) {
                try {
                    buffers = resources.buffers(loop);
                } catch (NativeCallException e) {
                    // Nothing started: the handler hears why, and a later receive may try again.
                    receiveClaimed.set(false);
                    RingIoException error = new RingIoException("receive", description, e.errno(),
                            "the loop's receive buffers could not be registered");
                    error.initCause(e);
                    handler.onEnd(this, error);
                    return;
                }
            }
            receiving = new MultishotReceive(this, handler, buffers);
            submit(receiving);
        };
        if (loop.inEventLoop()) {
            r.run();
            return;
        }
        Runnable refused = () -> {
            receiveClaimed.set(false);
            handler.onEnd(this, new IoClosedException("receive", description, "the loop is closed"));
        };
        try {
            loop.execute(AbandonableTask.of(r, why -> refused.run()));
        } catch (RejectedExecutionException e) {
            refused.run();
        }
    }

    /** Stops a running {@link #receive}: its handler's {@code onEnd} follows with an {@link IoCancelledException}. */
    public void stopReceiving() {
        Runnable r = () -> {
            MultishotReceive m = receiving;
            if (m != null && !m.stopped) {
                m.stopped = true;
                LoopInternals.cancelIo(loop, m);
            }
        };
        if (loop.inEventLoop()) {
            r.run();
        } else {
            // If the loop gives up before this runs, its last cancel has ended the receive already.
            loop.execute(AbandonableTask.of(r, why -> { }));
        }
    }

    void receiveEnded(MultishotReceive m) {
        if (receiving == m) {
            receiving = null;
            receiveClaimed.set(false);
        }
    }

    // ---------------------------------------------------------------- write

    /**
     * Sends what the kernel takes now (maybe fewer bytes than given; see {@link #writeAll}).
     *
     * @param src a native segment
     * @return the bytes sent
     */
    public CompletableFuture<Integer> write(MemorySegment src) {
        Op op = segmentOp(new Op(this), Op.Kind.SEND, src, 0, TimeUnit.NANOSECONDS);
        CompletableFuture<Integer> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Sends a buffer's remaining bytes, maybe fewer; on success its position advances.
     *
     * @param src a buffer (a heap buffer is copied)
     * @return the bytes sent
     */
    public CompletableFuture<Integer> write(ByteBuffer src) {
        Op op = new Op(this).set(Op.Kind.SEND, 0);
        Buffers.fromByteBuffer(op, src, false);
        CompletableFuture<Integer> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Sends all of a segment, re-submitting the rest after partial sends.
     *
     * @param src a native segment
     * @return the bytes sent: all of them, or a failure (never fewer bytes; see the class comment on what a
     *     failure after part of them means for later writes)
     */
    public CompletableFuture<Long> writeAll(MemorySegment src) {
        return writeAll(src, 0, TimeUnit.NANOSECONDS);
    }

    /**
     * Sends all of a segment within a time limit for the whole.
     *
     * @param src a native segment
     * @param timeout how long for all of it, 0 for none
     * @param unit its unit
     * @return the bytes sent: all of them, or a failure (never fewer bytes; see the class comment on what a
     *     failure after part of them means for later writes)
     */
    public CompletableFuture<Long> writeAll(MemorySegment src, long timeout, TimeUnit unit) {
        Op op = segmentOp(new Op(this), Op.Kind.SEND_ALL, src, timeout, unit);
        CompletableFuture<Long> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Sends all of a buffer's remaining bytes; on success its position reaches its limit.
     *
     * @param src a buffer (a heap buffer is copied)
     * @return the bytes sent
     */
    public CompletableFuture<Long> writeAll(ByteBuffer src) {
        Op op = new Op(this).set(Op.Kind.SEND_ALL, 0);
        Buffers.fromByteBuffer(op, src, false);
        CompletableFuture<Long> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Sends all of a segment, completing on a handler: no allocation per call on the loop thread.
     *
     * @param src a native segment, untouched until the handler runs
     * @param timeout how long for all of it, 0 for none
     * @param unit its unit
     * @param attachment passed back
     * @param handler called on the loop thread with the bytes sent
     * @param <A> the attachment type
     */
    public <A> void writeAll(MemorySegment src, long timeout, TimeUnit unit, A attachment,
            IoHandler<? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        Op op = segmentOp(op(), Op.Kind.SEND_ALL, src, timeout, unit);
        op.withHandler(handler, attachment);
        start(op);
    }

    /**
     * Sends all of bytes a {@link ReceiveHandler} was just given, without copying them, when called from inside its
     * {@link ReceiveHandler#onData onData}: the loop's provided buffer they lie in stays out of the kernel's pool
     * until this write has ended (so no receive can write over them meanwhile), then goes back. An echo server or a
     * proxy between sockets of one loop sends what it received this way. On a kernel without buffer rings it copies
     * them first (or, from 2 KiB up, takes the socket's own receive buffer), except on the epoll backend, where the
     * write first goes out from where the bytes lie and makes them its own only if it must wait or the socket took
     * part of it. Called anywhere else, or with bytes that are not (a slice of) what the handler is being given, it
     * copies them first and is {@link #writeAll(MemorySegment)}. A held buffer is one receive buffer fewer for the
     * loop's sockets: writes that wait long on a slow peer make receives run short ({@code ENOBUFS}, counted in
     * {@code LoopStats.receiveNoBuffers}), which slows the senders down.
     *
     * @param data the bytes, as given to {@code onData} (or a slice of them)
     * @return the bytes sent: all of them, or a failure, as {@link #writeAll(MemorySegment)}
     */
    public CompletableFuture<Long> writeAllReceived(MemorySegment data) {
        Op op = receivedOp(new Op(this), data);
        CompletableFuture<Long> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * {@link #writeAllReceived(MemorySegment)}, completing on a handler: no allocation per call.
     *
     * @param data the bytes, as given to {@code onData} (or a slice of them)
     * @param attachment passed back
     * @param handler called on the loop thread with the bytes sent
     * @param <A> the attachment type
     */
    public <A> void writeAllReceived(MemorySegment data, A attachment, IoHandler<? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        Op op = receivedOp(op(), data);
        op.withHandler(handler, attachment);
        start(op);
    }

    /** A future's op is its own for good, a handler's may be pooled: the caller picks. */
    private Op receivedOp(Op op, MemorySegment data) {
        Objects.requireNonNull(data, "data");
        return ReceivedBytes.prepare(op, data, resources, loop.inEventLoop(), sendsInline);
    }

    /**
     * Closes the sending side ({@code shutdown(SHUT_WR)}) once the writes called before it have ended: the peer reads
     * everything they sent, then end of stream; reading goes on.
     *
     * @return completes when done; fails with {@link UnsupportedOperationException} before 5.11, which has no
     *     {@code IORING_OP_SHUTDOWN}
     */
    public CompletableFuture<Void> shutdownOutput() {
        if (!LoopInternals.supports(loop, KernelFeature.SHUTDOWN)) {
            return CompletableFuture.failedFuture(
                    KernelSupport.missing(loop, "shutdownOutput", KernelFeature.SHUTDOWN));
        }
        Op op = new Op(this).set(Op.Kind.SHUTDOWN, 0);
        CompletableFuture<Void> f = op.withFuture();
        start(op);
        return f;
    }

    private static Op segmentOp(Op op, Op.Kind kind, MemorySegment seg, long timeout, TimeUnit unit) {
        if (kind == Op.Kind.RECV) {
            Buffers.requireReadTarget(seg, "buffer");
        } else {
            Buffers.requireNative(seg, "buffer");
        }
        op.set(kind, Buffers.timeout(timeout, unit));
        op.buffer = seg;
        op.length = seg.byteSize();
        return op;
    }
}
