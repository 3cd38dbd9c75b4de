package io.ringloop.io;

import io.ringloop.binding.Iovec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Turning caller buffers into native memory the kernel can use, and checking them first. */
final class Buffers {
    private Buffers() {
    }

    static MemorySegment requireNative(MemorySegment segment, String what) {
        Objects.requireNonNull(segment, what);
        if (!segment.isNative()) {
            throw new IllegalArgumentException(what + " must be a native segment (Arena-allocated or a direct buffer); "
                    + "for heap memory pass a ByteBuffer, which is copied");
        }
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " is larger than 2 GiB: " + segment.byteSize() + " bytes");
        }
        return segment;
    }

    /**
     * A segment a read may land in: native, writable, and not empty (a read of 0 bytes would complete with 0, which
     * means end of stream or of file).
     */
    static MemorySegment requireReadTarget(MemorySegment segment, String what) {
        requireNative(segment, what);
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException(what + " is a read-only segment: a read cannot write into it");
        }
        if (segment.byteSize() == 0) {
            throw new IllegalArgumentException(what + " is empty: a read of 0 bytes would complete with 0, which "
                    + "means end of stream");
        }
        return segment;
    }

    static void requirePosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, was " + position);
        }
    }

    static long timeout(long timeout, java.util.concurrent.TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must be >= 0 (0 = none), was " + timeout + " " + unit);
        }
        return unit.toNanos(timeout);
    }

    /** Sets op.buffer to the remaining bytes of a buffer: direct ones in place, heap ones through a copy. */
    static void fromByteBuffer(Op op, ByteBuffer b, boolean readInto) {
        Objects.requireNonNull(b, "buffer");
        if (readInto && b.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        int n = b.remaining();
        if (readInto && n == 0) {
            throw new IllegalArgumentException("the buffer has no room (position " + b.position() + " = limit): a "
                    + "read of 0 bytes would complete with 0, which means end of stream");
        }
        op.length = n;
        op.advance = b;
        if (b.isDirect()) {
            op.buffer = MemorySegment.ofBuffer(b);
            op.keepAlive = b;
        } else {
            MemorySegment copy = Arena.ofAuto().allocate(Math.max(1, n));
            if (readInto) {
                op.heapTarget = b;
            } else {
                MemorySegment.copy(MemorySegment.ofBuffer(b), 0, copy, 0, n);
            }
            op.buffer = copy;
            op.keepAlive = copy;
        }
    }

    /** An iovec array over native segments; the segments ride along in op.keepAlive. */
    static void iovecs(Op op, MemorySegment[] segments, boolean readInto) {
        Objects.requireNonNull(segments, "buffers");
        if (segments.length == 0 || segments.length > 1024) {
            throw new IllegalArgumentException("vectored I/O takes 1 to 1024 buffers (IOV_MAX), got " + segments.length);
        }
        MemorySegment iov = Arena.ofAuto().allocate(Iovec.LAYOUT, segments.length);
        long total = 0;
        for (int i = 0; i < segments.length; i++) {
            MemorySegment s = requireNative(segments[i], "buffers[" + i + "]");
            if (readInto && s.isReadOnly()) {
                throw new IllegalArgumentException("buffers[" + i + "] is a read-only segment: a read cannot write "
                        + "into it");
            }
            iov.set(JAVA_LONG, i * Iovec.SIZE + Iovec.BASE, s.address());
            iov.set(JAVA_LONG, i * Iovec.SIZE + Iovec.LEN, s.byteSize());
            total += s.byteSize();
        }
        if (readInto && total == 0) {
            throw new IllegalArgumentException("the buffers are all empty: a read of 0 bytes would complete with 0, "
                    + "which means end of file");
        }
        op.buffer = iov;
        op.count = segments.length;
        op.length = total;
        op.keepAlive = new Object[] {iov, segments.clone()};
    }
}
