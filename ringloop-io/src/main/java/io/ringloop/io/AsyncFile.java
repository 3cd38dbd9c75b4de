package io.ringloop.io;

import io.ringloop.EventLoop;
import io.ringloop.binding.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A file whose reads, writes and syncs go through a loop's ring ({@code IORING_OP_READ}, {@code WRITE},
 * {@code READV}, {@code WRITEV}, {@code FSYNC}), at explicit positions: there is no file pointer, so operations may be
 * in flight together.
 *
 * <pre>
 * try (AsyncFile f = AsyncFile.open(loop, path, StandardOpenOption.READ)) {
 *     ByteBuffer b = ByteBuffer.allocateDirect(4096);
 *     int n = f.read(b, 0).join();
 * }
 * </pre>
 *
 * Every operation returns a {@link CompletableFuture} whose {@code cancel} cancels the kernel operation (the future
 * reports cancelled only once the kernel has let go of the buffer: see {@link AsyncChannel}, "Cancelling"), or takes
 * an {@link IoHandler} (no allocation per call on the loop thread), and has a form with a timeout. Buffers: a native
 * {@link MemorySegment}, or a {@link ByteBuffer} (direct used in place, heap copied). Errors are
 * {@link RingIoException}s naming the operation, the errno and the path.
 */
public final class AsyncFile extends AsyncChannel {
    /**
     * {@code O_DIRECT}: reads and writes go to the device, bypassing the page cache; buffers, positions and lengths
     * must be aligned to its block size. This is the JDK's own {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}
     * (the same object, so {@link java.nio.channels.FileChannel#open} takes it too), or null on a JDK without it.
     */
    public static final OpenOption DIRECT = OpenFlags.jdkDirect();
    /** Whether {@link #readNow} tries {@code RWF_NOWAIT}; cleared for good by the first refusal other than EAGAIN. */
    private volatile boolean nowaitReads = true;

    private AsyncFile(EventLoop loop, int fd, String path) {
        super(loop, fd, path);
    }

    /**
     * Opens a file (a plain {@code open(2)} on the calling thread: it does not block on a local file system).
     *
     * @param loop the loop whose ring runs this file's operations
     * @param path the file
     * @param options {@link StandardOpenOption}s (READ if none; CREATE, CREATE_NEW, TRUNCATE_EXISTING, APPEND, SYNC,
     *     DSYNC), {@link LinkOption#NOFOLLOW_LINKS} and {@link #DIRECT}
     *     ({@code O_DIRECT}: buffers, positions and lengths must then be aligned to the device's block size, or the
     *     kernel answers EINVAL)
     * @return the open file
     * @throws RingIoException naming the path and the errno (ENOENT, EACCES, EEXIST, EISDIR, ...)
     * @throws UnsupportedOperationException for an option this class does not offer (DELETE_ON_CLOSE, SPARSE)
     */
    public static AsyncFile open(EventLoop loop, Path path, OpenOption... options) throws RingIoException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(path, "path");
        int flags = OpenFlags.of(options);
        String p = path.toString();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = Syscalls.open(arena.allocateFrom(p), flags, 0644);
        }
        if (fd < 0) {
            throw RingIoException.of("open", p, fd);
        }
        if (loop.isClosed()) {
            Syscalls.close(fd);
            throw new IoClosedException("open", p, "the loop is closed");
        }
        AsyncFile file = new AsyncFile(loop, fd, p);
        // O_DIRECT reads wait for the device even with RWF_NOWAIT (it only refuses to wait for locks): never inline
        file.nowaitReads = (flags & Syscalls.O_DIRECT) == 0;
        return file;
    }

    /**
     * The path this file was opened with.
     *
     * @return the path as given
     */
    public String path() {
        return description;
    }

    /**
     * The file's current size.
     *
     * @return bytes
     * @throws RingIoException if the file is closed or the kernel refuses
     */
    public long size() throws RingIoException {
        if (isClosing()) {
            throw new IoClosedException("size", description, "the channel is closed");
        }
        long r = Syscalls.size(fd);
        if (r < 0) {
            throw RingIoException.of("size", description, (int) r);
        }
        return r;
    }

    /**
     * Cuts or extends the file to a length ({@code ftruncate(2)}). It runs on the loop thread, where the fd is
     * closed, so that a concurrent close cannot hand it to another file first; it blocks that loop for the call.
     *
     * @param length the new size in bytes, {@code >= 0}
     * @return completes when done; fails with a {@link RingIoException} (EBADF if not open for writing, EFBIG, ...)
     *     or {@link IoClosedException}
     */
    public CompletableFuture<Void> truncate(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, was " + length);
        }
        try {
            return loop.submit(() -> {
                if (isClosing()) {
                    throw new IoClosedException("truncate", description, "the channel is closed");
                }
                int r = Syscalls.ftruncate(fd, length);
                if (r < 0) {
                    throw RingIoException.of("truncate", description, r);
                }
                return null;
            });
        } catch (RejectedExecutionException e) {
            if (!loop.isClosed()) {
                throw e;
            }
            return CompletableFuture.failedFuture(new IoClosedException("truncate", description, "the loop is closed"));
        }
    }

    // ---------------------------------------------------------------- read

    /**
     * Reads up to {@code dst.byteSize()} bytes at a position.
     *
     * @param dst a native segment to read into: writable, not empty
     * @param position where in the file, {@code >= 0}
     * @return the bytes read; 0 at or past the end of the file
     * @throws IllegalArgumentException if the buffer is read-only or has no room (a read of 0 bytes would
     *     return 0, which means end of stream), or a segment is not native
     */
    public CompletableFuture<Integer> read(MemorySegment dst, long position) {
        return read(dst, position, 0, TimeUnit.NANOSECONDS);
    }

    /**
     * Reads with a timeout ({@code IORING_OP_LINK_TIMEOUT}); a read that times out fails with
     * {@link IoTimeoutException}.
     *
     * @param dst a native segment to read into: writable, not empty
     * @param position where in the file
     * @param timeout how long; 0 for none
     * @param unit its unit
     * @return the bytes read
     * @throws IllegalArgumentException if the buffer is read-only or has no room (a read of 0 bytes would
     *     return 0, which means end of stream), or a segment is not native
     */
    public CompletableFuture<Integer> read(MemorySegment dst, long position, long timeout, TimeUnit unit) {
        Op op = segmentOp(new Op(this), Op.Kind.READ, dst, position, timeout, unit);
        CompletableFuture<Integer> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Reads at a position on the calling thread if that needs no wait: {@code preadv2} with {@code RWF_NOWAIT}, which
     * copies what the page cache holds and refuses when the data must come from the device. A blocking call can try
     * this first and start {@link #read(MemorySegment, long)} only when it would wait: a cached read then costs no
     * hop to the loop, and an uncached one still never holds the calling thread in the kernel.
     *
     * @param dst a native segment to read into: writable, not empty
     * @param position where in the file, {@code >= 0}
     * @return the bytes read (fewer than asked when only part is cached); 0 at or past the end of the file;
     *     {@link #WOULD_WAIT} when the read would wait, or this file cannot be read so (a pipe, a file system
     *     without {@code RWF_NOWAIT}; its failures, if any, are then the ring read's to report)
     * @throws IoClosedException if the file is closing
     * @throws IllegalArgumentException if the segment is read-only, empty or not native, or the position negative
     */
    public int readNow(MemorySegment dst, long position) throws IoClosedException {
        Buffers.requireReadTarget(dst, "buffer");
        Buffers.requirePosition(position);
        if (!nowaitReads) {
            return WOULD_WAIT;
        }
        int n = Inline.preadNowait(this, dst, position);
        if (n == Inline.REFUSED) {
            nowaitReads = false;   // ESPIPE, EOPNOTSUPP, EINVAL...: the same call would fail again
            return WOULD_WAIT;
        }
        return n;
    }

    /**
     * Reads into a buffer's remaining bytes at a position; on success the buffer's position advances.
     *
     * @param dst a buffer with room (a heap buffer is read through a direct copy)
     * @param position where in the file
     * @return the bytes read
     * @throws IllegalArgumentException if the buffer is read-only or has no room (a read of 0 bytes would
     *     return 0, which means end of stream), or a segment is not native
     */
    public CompletableFuture<Integer> read(ByteBuffer dst, long position) {
        Buffers.requirePosition(position);
        Op op = new Op(this).set(Op.Kind.READ, 0);
        Buffers.fromByteBuffer(op, dst, true);
        op.position = position;
        CompletableFuture<Integer> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Reads, completing on a handler: no allocation per call on the loop thread.
     *
     * @param dst a native segment to read into: writable, not empty
     * @param position where in the file
     * @param timeout how long; 0 for none
     * @param unit its unit
     * @param attachment passed back to the handler
     * @param handler called on the loop thread with the bytes read
     * @param <A> the attachment type
     * @throws IllegalArgumentException if the buffer is read-only or has no room (a read of 0 bytes would
     *     return 0, which means end of stream), or a segment is not native
     */
    public <A> void read(MemorySegment dst, long position, long timeout, TimeUnit unit, A attachment,
            IoHandler<? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        Op op = segmentOp(op(), Op.Kind.READ, dst, position, timeout, unit);
        op.withHandler(handler, attachment);
        start(op);
    }

    /**
     * Reads into several buffers in order ({@code preadv}).
     *
     * @param dsts writable native segments, 1 to 1024, not all empty
     * @param position where in the file
     * @return the bytes read in all
     * @throws IllegalArgumentException if the buffer is read-only or has no room (a read of 0 bytes would
     *     return 0, which means end of stream), or a segment is not native
     */
    public CompletableFuture<Long> read(MemorySegment[] dsts, long position) {
        Buffers.requirePosition(position);
        Op op = new Op(this).set(Op.Kind.READV, 0);
        Buffers.iovecs(op, dsts, true);
        op.position = position;
        CompletableFuture<Long> f = op.withFuture();
        start(op);
        return f;
    }

    // ---------------------------------------------------------------- write

    /**
     * Writes a segment at a position; the kernel may write fewer bytes (see {@link #writeAll}).
     *
     * @param src a native segment
     * @param position where in the file
     * @return the bytes written
     */
    public CompletableFuture<Integer> write(MemorySegment src, long position) {
        Op op = segmentOp(new Op(this), Op.Kind.WRITE, src, position, 0, TimeUnit.NANOSECONDS);
        CompletableFuture<Integer> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Writes a buffer's remaining bytes at a position; on success the buffer's position advances.
     *
     * @param src a buffer (a heap buffer is copied)
     * @param position where in the file
     * @return the bytes written
     */
    public CompletableFuture<Integer> write(ByteBuffer src, long position) {
        Buffers.requirePosition(position);
        Op op = new Op(this).set(Op.Kind.WRITE, 0);
        Buffers.fromByteBuffer(op, src, false);
        op.position = position;
        CompletableFuture<Integer> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Writes all of a segment at a position, re-submitting after short writes.
     *
     * @param src a native segment
     * @param position where in the file
     * @return the bytes written (all of them)
     */
    public CompletableFuture<Long> writeAll(MemorySegment src, long position) {
        Op op = segmentOp(new Op(this), Op.Kind.WRITE_ALL, src, position, 0, TimeUnit.NANOSECONDS);
        CompletableFuture<Long> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Writes, completing on a handler: no allocation per call on the loop thread.
     *
     * @param src a native segment
     * @param position where in the file
     * @param timeout how long; 0 for none
     * @param unit its unit
     * @param attachment passed back to the handler
     * @param handler called on the loop thread with the bytes written
     * @param <A> the attachment type
     */
    public <A> void write(MemorySegment src, long position, long timeout, TimeUnit unit, A attachment,
            IoHandler<? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        Op op = segmentOp(op(), Op.Kind.WRITE, src, position, timeout, unit);
        op.withHandler(handler, attachment);
        start(op);
    }

    /**
     * Writes several buffers in order ({@code pwritev}).
     *
     * @param srcs native segments, 1 to 1024
     * @param position where in the file
     * @return the bytes written in all
     */
    public CompletableFuture<Long> write(MemorySegment[] srcs, long position) {
        Buffers.requirePosition(position);
        Op op = new Op(this).set(Op.Kind.WRITEV, 0);
        Buffers.iovecs(op, srcs, false);
        op.position = position;
        CompletableFuture<Long> f = op.withFuture();
        start(op);
        return f;
    }

    // ---------------------------------------------------------------- registered buffers

    /**
     * Reads into part of a buffer registered with the loop ({@link EventLoop#registerBuffers},
     * {@code IORING_OP_READ_FIXED}): the kernel skips mapping the pages on each read.
     *
     * @param bufIndex the registered buffer's index
     * @param dst a slice of that buffer: writable, not empty
     * @param position where in the file
     * @return the bytes read
     * @throws IllegalArgumentException if dst is not inside registered buffer bufIndex, is read-only or is empty
     */
    public CompletableFuture<Integer> readFixed(int bufIndex, MemorySegment dst, long position) {
        Op op = fixedOp(Op.Kind.READ_FIXED, bufIndex, dst, position);
        CompletableFuture<Integer> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Writes from part of a buffer registered with the loop ({@code IORING_OP_WRITE_FIXED}); may write fewer bytes.
     *
     * @param bufIndex the registered buffer's index
     * @param src a slice of that buffer
     * @param position where in the file
     * @return the bytes written
     * @throws IllegalArgumentException if src is not inside registered buffer bufIndex
     */
    public CompletableFuture<Integer> writeFixed(int bufIndex, MemorySegment src, long position) {
        Op op = fixedOp(Op.Kind.WRITE_FIXED, bufIndex, src, position);
        CompletableFuture<Integer> f = op.withFuture();
        start(op);
        return f;
    }

    private Op fixedOp(Op.Kind kind, int bufIndex, MemorySegment seg, long position) {
        if (kind == Op.Kind.READ_FIXED) {
            Buffers.requireReadTarget(seg, "buffer");
        } else {
            Buffers.requireNative(seg, "buffer");
        }
        Buffers.requirePosition(position);
        MemorySegment registered = loop.registeredBuffer(bufIndex);
        if (registered == null) {
            throw new IllegalArgumentException("no buffer " + bufIndex + " is registered with " + loop);
        }
        long start = seg.address() - registered.address();
        if (start < 0 || start + seg.byteSize() > registered.byteSize()) {
            throw new IllegalArgumentException("the buffer is not inside registered buffer " + bufIndex);
        }
        Op op = new Op(this).set(kind, 0);
        op.buffer = seg;
        op.keepAlive = registered;
        op.length = seg.byteSize();
        op.position = position;
        op.bufferIndex = bufIndex;
        return op;
    }

    // ---------------------------------------------------------------- sync

    /**
     * Flushes data and metadata to the device ({@code fsync}).
     *
     * @return completes when durable
     */
    public CompletableFuture<Void> fsync() {
        Op op = new Op(this).set(Op.Kind.FSYNC, 0);
        CompletableFuture<Void> f = op.withFuture();
        start(op);
        return f;
    }

    /**
     * Flushes data, and metadata only as needed to read it back ({@code fdatasync}).
     *
     * @return completes when durable
     */
    public CompletableFuture<Void> fdatasync() {
        Op op = new Op(this).set(Op.Kind.FDATASYNC, 0);
        CompletableFuture<Void> f = op.withFuture();
        start(op);
        return f;
    }

    private static Op segmentOp(Op op, Op.Kind kind, MemorySegment seg, long position, long timeout, TimeUnit unit) {
        if (kind == Op.Kind.READ) {
            Buffers.requireReadTarget(seg, "buffer");
        } else {
            Buffers.requireNative(seg, "buffer");
        }
        Buffers.requirePosition(position);
        op.set(kind, Buffers.timeout(timeout, unit));
        op.buffer = seg;
        op.length = seg.byteSize();
        op.position = position;
        return op;
    }
}
