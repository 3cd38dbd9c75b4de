package io.ringloop.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A loop's spare buffers for copies of received bytes: {@link AsyncSocket#writeAllReceived} copies when it cannot
 * hold the receive buffer the bytes arrived in (no buffer ring: the epoll backend and kernels before 6.0, or a caller
 * off the loop thread), and the copy must live until the write's CQE. A fresh native allocation per echo costs a
 * malloc, first-touch page faults and a GC-driven free; a copy from here costs none of them once warm.
 *
 * <pre>
 *   free --take--> a write's copy --the write's end (after its CQE)--> free (or dropped past MAX_FREE)
 * </pre>
 *
 * Sizes double from 512 bytes to 256 KiB (a socket's largest own receive buffer), so that a 512-byte echo does not
 * pin a large buffer while its write waits. Loop thread only: copies are taken when a handler runs and given back
 * when the write ends, both on the loop.
 */
final class CopyBuffers {
    /** The smallest buffer; sizes go up by doubling to {@link #MAX_SIZE}, a single-shot receive's largest buffer. */
    static final int MIN_SIZE = 512;
    static final int MAX_SIZE = OwnBufferSize.MAX;
    /**
     * Spare bytes kept per size (at least 16 buffers); beyond this, returned buffers are left to the garbage
     * collector, and a take that finds none allocates (malloc, zeroing, a Cleaner registration). A loop whose
     * thousand connections each echo one message between two reaps takes a thousand copies before the first write's
     * end gives one back: 4 MiB keeps 8192 spares of 512 bytes and 512 of 8 KiB.
     */
    static final int MAX_FREE_BYTES = 4 << 20;

    /** Spare buffers by size class: class k holds buffers of {@code MIN_SIZE << k} bytes. */
    private final List<ArrayDeque<MemorySegment>> free = new ArrayList<>();

    CopyBuffers() {
        for (int size = MIN_SIZE; size <= MAX_SIZE; size *= 2) {
            free.add(new ArrayDeque<>());
        }
    }

    private static int sizeClass(long size) {
        long s = Math.max(size, MIN_SIZE);
        return 64 - Long.numberOfLeadingZeros(s - 1) - Integer.numberOfTrailingZeros(MIN_SIZE);
    }

    /**
     * A buffer for a copy of {@code size} bytes: the smallest size class that holds it.
     *
     * @return a buffer of at least {@code size} bytes, or null when {@code size} exceeds {@link #MAX_SIZE} (the
     *     caller allocates)
     */
    MemorySegment take(long size) {
        if (size > MAX_SIZE) {
            return null;
        }
        int k = sizeClass(size);
        MemorySegment s = free.get(k).poll();
        return s != null ? s : Arena.ofAuto().allocate((long) MIN_SIZE << k, 64);
    }

    /** The write that sent from {@code s} (a buffer {@link #take} gave) has ended: the kernel reads it no more. */
    void give(MemorySegment s) {
        ArrayDeque<MemorySegment> q = free.get(sizeClass(s.byteSize()));
        if (q.size() < Math.max(16, MAX_FREE_BYTES / s.byteSize())) {
            q.push(s);
        }
    }

    /**
     * @param size a buffer size
     * @return spare buffers now in the size class that holds {@code size} bytes (for tests)
     */
    int spare(long size) {
        return free.get(sizeClass(size)).size();
    }

    /** @return spare buffers now, every size (for tests) */
    int spare() {
        int n = 0;
        for (ArrayDeque<MemorySegment> q : free) {
            n += q.size();
        }
        return n;
    }
}
