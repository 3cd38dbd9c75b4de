package io.ringloop;

import io.ringloop.binding.Iovec;
import io.ringloop.binding.ProvidedBufferRing;
import io.ringloop.binding.RegisterOp;
import io.ringloop.binding.Ring;
import io.ringloop.kernel.NativeCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The memory a loop registers with its ring: fixed buffers ({@code IORING_REGISTER_BUFFERS}) for fixed-buffer file
 * I/O, and provided-buffer rings ({@code IORING_REGISTER_PBUF_RING}) for receives that pick their own buffer.
 * Registration runs on the loop thread (a {@code SINGLE_ISSUER} ring refuses it from any other).
 */
final class BufferRegistry {
    private final Ring ring;
    private final List<ProvidedBufferRing> bufferRings = new ArrayList<>();
    private int nextBufferGroup;
    /** Read from any thread (I/O calls check their buffer index against it); written on the loop thread. */
    private volatile MemorySegment[] registeredBuffers;

    BufferRegistry(Ring ring) {
        this.ring = ring;
    }

    /** What {@link EventLoop#registerBuffers} accepts: 1 to 16384 native segments, each named if it is not. */
    static MemorySegment[] checked(MemorySegment[] buffers) {
        Objects.requireNonNull(buffers, "buffers");
        if (buffers.length < 1 || buffers.length > 16384) {
            throw new IllegalArgumentException("register 1 to 16384 buffers, not " + buffers.length);
        }
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] == null || !buffers[i].isNative()) {
                throw new IllegalArgumentException("buffers[" + i + "] must be a native segment");
            }
        }
        return buffers;
    }

    void registerBuffers(MemorySegment[] buffers) {
        if (registeredBuffers != null) {
            throw new IllegalStateException("buffers are already registered on this loop; unregister them first");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(Iovec.LAYOUT, buffers.length);
            for (int i = 0; i < buffers.length; i++) {
                iov.set(ValueLayout.JAVA_LONG, i * Iovec.SIZE + Iovec.BASE, buffers[i].address());
                iov.set(ValueLayout.JAVA_LONG, i * Iovec.SIZE + Iovec.LEN, buffers[i].byteSize());
            }
            // The kernel copies the iovecs and pins the pages during the call.
            int r = ring.register(RegisterOp.REGISTER_BUFFERS, iov, buffers.length);
            if (r < 0) {
                throw new NativeCallException("io_uring_register(REGISTER_BUFFERS, " + buffers.length + " buffers)", r);
            }
        }
        registeredBuffers = buffers.clone();
    }

    void unregisterBuffers() {
        if (registeredBuffers == null) {
            return;
        }
        // The kernel keeps a registered buffer alive for requests still using it (5.13+ resource nodes).
        int r = ring.register(RegisterOp.UNREGISTER_BUFFERS, MemorySegment.NULL, 0);
        if (r < 0) {
            throw new NativeCallException("io_uring_register(UNREGISTER_BUFFERS)", r);
        }
        registeredBuffers = null;
    }

    MemorySegment registeredBuffer(int index) {
        MemorySegment[] b = registeredBuffers;
        return b == null || index < 0 || index >= b.length ? null : b[index];
    }

    ProvidedBufferRing openBufferRing(int count, int bufferSize) {
        ProvidedBufferRing b = ProvidedBufferRing.register(ring, nextBufferGroup++, count, bufferSize);
        bufferRings.add(b);
        return b;
    }

    /** After the I/O drained (or the loop gave up on it): no receive can still select from these buffers. */
    void close() {
        for (ProvidedBufferRing b : bufferRings) {
            b.close();
        }
        bufferRings.clear();
    }
}
