package io.ringloop.io.blocking;

import io.ringloop.EventLoop;
import io.ringloop.LoopGroup;
import io.ringloop.io.AsyncChannel;
import io.ringloop.io.AsyncFile;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A file with blocking calls whose reads, writes and syncs are an {@link AsyncFile}'s on a loop's ring, so a virtual
 * thread waiting for the disk parks instead of holding its carrier (see the
 * {@linkplain io.ringloop.io.blocking package overview}). It is a {@link SeekableByteChannel}, so code written for
 * {@link java.nio.channels.FileChannel} or {@link java.nio.file.Files#newByteChannel} works unchanged, and behaves
 * like a {@code FileChannel}: reads return -1 at the end of the file, writes write every byte, a truncate never
 * grows the file, {@code APPEND} writes at the end.
 *
 * <p>Positional {@link #read(ByteBuffer, long)} and {@link #write(ByteBuffer, long)} do not use the channel's
 * position and may run from many threads at once; the relative ones take turns on the position. Direct buffers are
 * used in place, heap buffers through a native copy.
 */
public final class BlockingFile implements SeekableByteChannel {
    private final AsyncFile file;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    private final ReentrantLock positionLock = new ReentrantLock();
    /** Guarded by positionLock. */
    private long position;
    private volatile boolean closed;

    private BlockingFile(AsyncFile file, boolean readable, boolean writable, boolean append) {
        this.file = file;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
    }

    /**
     * Opens a file on a loop of the group ({@link LoopGroup#next()}: round robin).
     *
     * @param group the loops
     * @param path the file
     * @param options as for {@link #open(EventLoop, Path, OpenOption...)}
     * @return the open file
     * @throws IOException naming the path and errno (ENOENT, EACCES, EEXIST, ...)
     */
    public static BlockingFile open(LoopGroup group, Path path, OpenOption... options) throws IOException {
        return open(group.next(), path, options);
    }

    /**
     * Opens a file.
     *
     * @param loop the loop whose ring runs this file's operations
     * @param path the file
     * @param options {@link StandardOpenOption}s as for {@link java.nio.channels.FileChannel#open}: READ if none;
     *     WRITE, APPEND, CREATE, CREATE_NEW, TRUNCATE_EXISTING, SYNC, DSYNC;
     *     {@link java.nio.file.LinkOption#NOFOLLOW_LINKS}; and {@link io.ringloop.io.AsyncFile#DIRECT}
     *     ({@code O_DIRECT}: every read then goes to the loop, whose ring keeps many in flight while no thread waits
     *     in the kernel)
     * @return the open file, at position 0
     * @throws IOException naming the path and errno (ENOENT, EACCES, EEXIST, ...)
     * @throws IllegalArgumentException for APPEND with READ or with TRUNCATE_EXISTING, as {@code FileChannel}
     * @throws UnsupportedOperationException for DELETE_ON_CLOSE or SPARSE
     */
    public static BlockingFile open(EventLoop loop, Path path, OpenOption... options) throws IOException {
        List<OpenOption> o = List.of(options);
        boolean append = o.contains(StandardOpenOption.APPEND);
        if (append && o.contains(StandardOpenOption.READ)) {
            throw new IllegalArgumentException("READ + APPEND not allowed");
        }
        if (append && o.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
        }
        boolean writable = append || o.contains(StandardOpenOption.WRITE);
        boolean readable = o.contains(StandardOpenOption.READ) || !writable;
        return new BlockingFile(AsyncFile.open(loop, path, options), readable, writable, append);
    }

    /**
     * The loop this file's operations run on.
     *
     * @return the loop
     */
    public EventLoop loop() {
        return file.loop();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        positionLock.lock();
        try {
            int n = read(dst, position);
            if (n > 0) {
                position += n;
            }
            return n;
        } finally {
            positionLock.unlock();
        }
    }

    /**
     * Reads from a position, leaving the channel's position alone.
     *
     * @param dst the buffer; its position advances by the bytes read
     * @param at where in the file, {@code >= 0}
     * @return the bytes read, -1 at or past the end of the file, 0 if the buffer has no room
     * @throws IllegalArgumentException if the position is negative or the buffer read-only
     * @throws NonReadableChannelException if not opened for reading
     * @throws java.nio.channels.ClosedByInterruptException if the thread was interrupted (the file is closed)
     * @throws java.nio.channels.AsynchronousCloseException if another thread closed the file meanwhile
     * @throws IOException for a failure naming the errno
     */
    public int read(ByteBuffer dst, long at) throws IOException {
        Objects.requireNonNull(dst, "dst");
        requirePosition(at);
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        if (!readable) {
            throw new NonReadableChannelException();
        }
        begin();
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (dst.isDirect()) {
            // What the page cache holds is copied on this thread; only a read that must wait for the device goes
            // to the loop, so it never holds this thread (or a virtual thread's carrier) in the kernel.
            MemorySegment target = MemorySegment.ofBuffer(dst);
            int now = Waits.now(() -> file.readNow(target, at), "read");
            if (now != AsyncChannel.WOULD_WAIT) {
                HandOffStats.inlineCall();
                if (now == 0) {
                    return -1;
                }
                dst.position(dst.position() + now);
                return now;
            }
        }
        int n = Waits.await(file.read(dst, at), this, "read");
        return n == 0 ? -1 : n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        positionLock.lock();
        try {
            if (append) {
                // O_APPEND: the kernel writes at the end whatever position is passed; ours follows.
                int n = write(src, 0);
                position = size();
                return n;
            }
            int n = write(src, position);
            position += n;
            return n;
        } finally {
            positionLock.unlock();
        }
    }

    /**
     * Writes all the buffer's remaining bytes at a position, leaving the channel's position alone (for a file opened
     * with APPEND the kernel writes at the end).
     *
     * @param src the buffer; its position advances to its limit
     * @param at where in the file, {@code >= 0}; past the end leaves a hole
     * @return the bytes written
     * @throws IllegalArgumentException if the position is negative
     * @throws NonWritableChannelException if not opened for writing
     * @throws java.nio.channels.ClosedByInterruptException if the thread was interrupted (the file is closed; a part
     *     may have been written)
     * @throws IOException for a failure naming the errno (ENOSPC, EFBIG, ...)
     */
    public int write(ByteBuffer src, long at) throws IOException {
        Objects.requireNonNull(src, "src");
        requirePosition(at);
        if (!writable) {
            throw new NonWritableChannelException();
        }
        begin();
        int total = 0;
        while (src.hasRemaining()) {
            int n = Waits.await(file.write(src, at + total), this, "write");
            if (n == 0) {
                throw new IOException("write " + file.path() + " at " + (at + total) + ": the kernel took no bytes");
            }
            total += n;
        }
        return total;
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        positionLock.lock();
        try {
            return append ? size() : position;
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public BlockingFile position(long newPosition) throws IOException {
        requirePosition(newPosition);
        ensureOpen();
        positionLock.lock();
        try {
            position = newPosition;
        } finally {
            positionLock.unlock();
        }
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return file.size();
    }

    /**
     * Cuts the file to a size if it is larger (never grows it), and moves the position back to the size if it was
     * past it.
     *
     * @param size the size, {@code >= 0}
     * @return this file
     * @throws IllegalArgumentException if the size is negative
     * @throws NonWritableChannelException if not opened for writing
     * @throws IOException for a failure naming the errno
     */
    @Override
    public BlockingFile truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        positionLock.lock();
        try {
            begin();
            if (size < size()) {
                Waits.await(file.truncate(size), this, "truncate");
            }
            if (position > size) {
                position = size;
            }
        } finally {
            positionLock.unlock();
        }
        return this;
    }

    /**
     * Forces written data to the device, as {@link java.nio.channels.FileChannel#force}.
     *
     * @param metaData true for {@code fsync} (data and metadata), false for {@code fdatasync}
     * @throws IOException for a failure naming the errno
     */
    public void force(boolean metaData) throws IOException {
        begin();
        Waits.await(metaData ? file.fsync() : file.fdatasync(), this, metaData ? "fsync" : "fdatasync");
    }

    @Override
    public boolean isOpen() {
        return !closed && file.isOpen();
    }

    /**
     * Closes the file: threads blocked in it wake with {@link java.nio.channels.AsynchronousCloseException} once the
     * kernel has given up their operations, and this returns when the fd is closed. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        file.close();
    }

    @Override
    public String toString() {
        return "BlockingFile[" + file + "]";
    }

    private void begin() throws IOException {
        ensureOpen();
        Waits.begin(file.loop(), this);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private static void requirePosition(long p) {
        if (p < 0) {
            throw new IllegalArgumentException("Negative position: " + p);
        }
    }
}
