package io.ringloop.io.blocking;

import io.ringloop.EventLoop;
import io.ringloop.LoopGroup;
import io.ringloop.io.AsyncSocket;
import io.ringloop.io.RingIoException;
import io.ringloop.io.SocketOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP connection with blocking calls, whose I/O is an {@link AsyncSocket}'s on a loop's ring: reads take what the
 * socket's multishot receive delivered, parking until it has delivered something; a write sends what the socket's
 * buffer takes at once and hands the rest to the loop. See the {@linkplain io.ringloop.io.blocking package overview}
 * for what a virtual thread gains, interrupts and closing.
 *
 * <p>Like a blocking {@link java.nio.channels.SocketChannel}: {@link #read} returns what has arrived (at least one
 * byte, or -1 at end of stream) and {@link #write} returns only once all the buffer's bytes are sent. One read and one
 * write may run at a time (from different threads); further readers, and writers, wait their turn. The
 * {@linkplain #setSoTimeout read timeout} applies to reads, as {@code SO_TIMEOUT} does to a {@link java.net.Socket}'s
 * reads, and ends them with {@link java.net.SocketTimeoutException}; the socket stays usable. A reset connection
 * fails with {@link java.net.SocketException} ("Connection reset", "Broken pipe"), a refused connect with
 * {@link java.net.ConnectException}.
 *
 * <p>Writes from heap buffers go through a native buffer of this socket's ({@value #SCRATCH} bytes at a time);
 * direct buffers are sent in place.
 */
public final class BlockingSocket implements ByteChannel {
    /** Bytes of the native bounce buffer for writes from heap buffers and streams. */
    static final int SCRATCH = 16 * 1024;

    private final AsyncSocket socket;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    /** What the socket's receive has delivered and no read has taken. */
    private final Inbound inbound;
    /** Guarded by writeLock. */
    private MemorySegment writeScratch;
    private volatile int soTimeoutMillis;
    private volatile boolean closed;
    private final InputStream in = new SocketInputStream(this);
    private final OutputStream out = new SocketOutputStream(this);

    BlockingSocket(AsyncSocket socket) {
        this.socket = socket;
        this.inbound = new Inbound(socket);
    }

    /**
     * Connects, on a loop of the group ({@link LoopGroup#next()}: round robin).
     *
     * @param group the loops
     * @param remote the server
     * @return the connected socket
     * @throws IOException {@link java.net.ConnectException} if refused, or another failure naming the errno;
     *     {@link java.nio.channels.ClosedByInterruptException} if interrupted
     */
    public static BlockingSocket connect(LoopGroup group, SocketAddress remote) throws IOException {
        return connect(group.next(), remote, SocketOptions.defaults(), 0);
    }

    /**
     * Connects, with the default options and no time limit but the kernel's.
     *
     * @param loop the loop for this socket's I/O
     * @param remote the server
     * @return the connected socket
     * @throws IOException {@link java.net.ConnectException} if refused, or another failure naming the errno;
     *     {@link java.nio.channels.ClosedByInterruptException} if interrupted
     */
    public static BlockingSocket connect(EventLoop loop, SocketAddress remote) throws IOException {
        return connect(loop, remote, SocketOptions.defaults(), 0);
    }

    /**
     * Connects.
     *
     * @param loop the loop for this socket's I/O
     * @param remote the server (IPv4 or IPv6)
     * @param options socket options
     * @param timeoutMillis how long to wait, 0 for the kernel's limit
     * @return the connected socket
     * @throws IOException {@link java.net.SocketTimeoutException} on timeout, {@link java.net.ConnectException} if
     *     refused, {@link java.nio.channels.ClosedByInterruptException} if interrupted (the half-made socket is
     *     closed)
     */
    public static BlockingSocket connect(EventLoop loop, SocketAddress remote, SocketOptions options,
            int timeoutMillis) throws IOException {
        Objects.requireNonNull(loop, "loop");
        requireTimeout(timeoutMillis);
        Waits.begin(loop, null);
        AsyncSocket s = Waits.await(AsyncSocket.connect(loop, remote, options, timeoutMillis, TimeUnit.MILLISECONDS),
                null, "connect to " + remote);
        return new BlockingSocket(s);
    }

    /**
     * The loop this socket's operations run on.
     *
     * @return the loop
     */
    public EventLoop loop() {
        return socket.loop();
    }

    /**
     * Reads what has arrived into the buffer's remaining room, waiting for at least one byte.
     *
     * @param dst the buffer; its position advances by the bytes read
     * @return the bytes read, -1 at end of stream, 0 if the buffer has no room
     * @throws IllegalArgumentException if the buffer is read-only
     * @throws java.net.SocketTimeoutException if nothing arrived within the {@linkplain #setSoTimeout read timeout}
     * @throws java.nio.channels.ClosedByInterruptException if the thread was interrupted (the socket is closed)
     * @throws java.nio.channels.AsynchronousCloseException if another thread closed the socket meanwhile
     * @throws IOException for a failure of the connection, such as a reset
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        readLock.lock();
        try {
            ensureOpen();
            Waits.begin(socket.loop(), this);
            if (!dst.hasRemaining()) {
                return 0;
            }
            return receive(dst);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Takes what the socket's receive has delivered, parking until something is there: the receive stays armed in
     * the kernel, so a read that waits hands nothing to the loop, and the loop's unpark is the only hand-off.
     */
    private int receive(ByteBuffer dst) throws IOException {
        int millis = soTimeoutMillis;
        long deadline = millis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis) : 0;
        boolean parked = false;
        while (true) {
            int n;
            try {
                n = inbound.takeOrWait(dst);
            } catch (RingIoException e) {
                throw Waits.translate(e, "read");
            }
            if (n != Inbound.NOTHING) {
                if (parked) {
                    HandOffStats.call(false);
                } else {
                    HandOffStats.inlineCall();
                }
                return n == Inbound.END ? -1 : n;
            }
            // Registered as the waiter before this look: a close after it finds this thread and unparks it.
            if (closed) {
                inbound.giveUp();
                throw new AsynchronousCloseException();
            }
            if (deadline == 0) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    inbound.giveUp();
                    throw new SocketTimeoutException("read timed out after " + millis + " ms");
                }
                LockSupport.parkNanos(this, left);
            }
            parked = true;
            if (Thread.currentThread().isInterrupted()) {
                inbound.giveUp();
                HandOffStats.countInterrupt();
                close();
                throw new ClosedByInterruptException();
            }
        }
    }

    /**
     * How many bytes a read would return now without waiting: those the socket's receive has delivered and no read
     * has taken (0 before the first read, which starts the receive).
     *
     * @return the bytes held
     * @throws ClosedChannelException if closed
     */
    int available() throws ClosedChannelException {
        ensureOpen();
        return inbound.held();
    }

    /**
     * Writes all of the buffer's remaining bytes, returning once the kernel has taken them.
     *
     * @param src the buffer; its position advances to its limit
     * @return the bytes written
     * @throws java.nio.channels.ClosedByInterruptException if the thread was interrupted (the socket is closed; the
     *     peer may have received a part)
     * @throws java.nio.channels.AsynchronousCloseException if another thread closed the socket meanwhile
     * @throws IOException for a failure of the connection, such as a reset ("Broken pipe")
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        writeLock.lock();
        try {
            ensureOpen();
            Waits.begin(socket.loop(), this);
            int total = 0;
            while (src.hasRemaining()) {
                MemorySegment from;
                if (src.isDirect()) {
                    from = MemorySegment.ofBuffer(src);
                } else {
                    if (writeScratch == null) {
                        writeScratch = Arena.ofAuto().allocate(SCRATCH);
                    }
                    from = writeScratch.asSlice(0, Math.min(src.remaining(), SCRATCH));
                    MemorySegment.copy(MemorySegment.ofBuffer(src), 0, from, 0, from.byteSize());
                }
                int n = send(from);
                src.position(src.position() + n);
                total += n;
            }
            return total;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sends all of a segment: what the socket's buffer takes at once on this thread (no write of this socket is
     * outstanding: the write lock is held), the rest through the loop, waiting for it.
     */
    private int send(MemorySegment from) throws IOException {
        int now = Waits.now(() -> socket.writeNow(from), "write");
        if (now == from.byteSize()) {
            HandOffStats.inlineCall();
            return now;
        }
        Waits.await(socket.writeAll(from.asSlice(now)), this, "write");
        return (int) from.byteSize();
    }

    /**
     * Closes the sending side: the peer reads end of stream; this side can still read.
     *
     * @throws IOException if closed, or the kernel has no {@code IORING_OP_SHUTDOWN} (before 5.11)
     */
    public void shutdownOutput() throws IOException {
        ensureOpen();
        Waits.begin(socket.loop(), this);
        try {
            Waits.await(socket.shutdownOutput(), this, "shutdownOutput");
        } catch (UnsupportedOperationException e) {
            throw new IOException("shutdownOutput: " + e.getMessage(), e);
        }
    }

    /**
     * Sets the read timeout, as {@link java.net.Socket#setSoTimeout}: a read that waits longer throws
     * {@link java.net.SocketTimeoutException} (no byte is lost: what arrives later waits for the next read), and the
     * socket stays usable.
     *
     * @param millis the timeout in milliseconds, 0 for none
     * @throws IllegalArgumentException if negative
     */
    public void setSoTimeout(int millis) {
        requireTimeout(millis);
        soTimeoutMillis = millis;
    }

    /**
     * The read timeout.
     *
     * @return milliseconds, 0 for none
     */
    public int getSoTimeout() {
        return soTimeoutMillis;
    }

    /**
     * A stream over this socket: {@code read} as {@link #read}, -1 at end of stream; an interrupt closes the socket
     * and throws {@link java.io.InterruptedIOException}. Closing the stream closes the socket.
     *
     * @return the stream (the same one each time)
     */
    public InputStream getInputStream() {
        return in;
    }

    /**
     * A stream over this socket: {@code write} sends every byte before it returns; an interrupt closes the socket and
     * throws {@link java.io.InterruptedIOException}. Closing the stream closes the socket.
     *
     * @return the stream (the same one each time)
     */
    public OutputStream getOutputStream() {
        return out;
    }

    /**
     * This side's address.
     *
     * @return the local address, or null if closed
     */
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /**
     * The peer's address.
     *
     * @return the remote address, or null if closed
     */
    public InetSocketAddress remoteAddress() {
        return socket.remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return !closed && socket.isOpen();
    }

    /**
     * Closes the socket: threads blocked in it wake with {@link java.nio.channels.AsynchronousCloseException} once the
     * kernel has given up their operations, and this returns when the fd is closed. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        inbound.wake();
        socket.close();
    }

    /** @return what the receive has delivered and no read has taken (tests) */
    Inbound inbound() {
        return inbound;
    }

    @Override
    public String toString() {
        return "BlockingSocket[" + socket + "]";
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    static void requireTimeout(int millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout must be >= 0 ms (0 = none), was " + millis);
        }
    }
}
