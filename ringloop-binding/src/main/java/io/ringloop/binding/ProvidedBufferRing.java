package io.ringloop.binding;

import io.ringloop.kernel.NativeCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A provided-buffer ring (5.19+, {@code IORING_REGISTER_PBUF_RING}): a ring of equal buffers the kernel picks from
 * for a receive with {@code IOSQE_BUFFER_SELECT}, naming the buffer it used in the CQE's upper 16 flag bits. The
 * application owns the buffers again from that CQE until it {@linkplain #recycle recycles} them; recycling appends
 * the buffer at the tail, and the tail is published with a release store so that the kernel, which reads it with
 * an acquire load, sees the entry's address, length and id before the new tail. Owner thread only.
 */
public final class ProvidedBufferRing implements AutoCloseable {
    private static final VarHandle TAIL = JAVA_SHORT.varHandle();

    private final Ring ring;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries;
    private final MemorySegment buffers;
    private final int count;
    private final int mask;
    private final int bufferSize;
    private final short group;
    private short tail;
    /** Which buffer each ring entry names. */
    private final short[] bidAt;
    /** The buffer put into the ring right after each one: a bundle spans consecutive entries. */
    private final short[] successor;
    private boolean closed;

    private ProvidedBufferRing(Ring ring, int group, int count, int bufferSize) {
        this.ring = ring;
        this.group = (short) group;
        this.count = count;
        this.mask = count - 1;
        this.bufferSize = bufferSize;
        this.entries = arena.allocate(BufRing.BUF_SIZE * count, 4096);
        this.buffers = arena.allocate((long) bufferSize * count, 64);
        this.bidAt = new short[count];
        this.successor = new short[count];
    }

    /**
     * Allocates, fills and registers a buffer ring on a ring, from its issuer thread.
     *
     * @param ring the ring
     * @param group the buffer group id that receives name
     * @param count buffers: a power of two from 1 to 32768
     * @param bufferSize bytes per buffer, at least 1
     * @return the registered ring, every buffer given to the kernel
     * @throws IllegalArgumentException if count or size is out of range
     * @throws UnsupportedOperationException if the kernel (less the mask) has no buffer rings (before 5.19)
     * @throws NativeCallException if the kernel refuses (EEXIST for a group in use)
     */
    public static ProvidedBufferRing register(Ring ring, int group, int count, int bufferSize) {
        if (!ring.supports(KernelFeature.REGISTER_PBUF_RING)) {
            throw new UnsupportedOperationException("provided-buffer rings need "
                    + KernelFeature.REGISTER_PBUF_RING.describe() + ", which this kernel lacks or the feature mask"
                    + " hides (" + ring.mask().describe() + ")");
        }
        if (count < 1 || count > 32768 || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("buffer count must be a power of two in [1, 32768], was " + count);
        }
        if (bufferSize < 1) {
            throw new IllegalArgumentException("buffer size must be >= 1, was " + bufferSize);
        }
        if (group < 0 || group > 0xFFFF) {
            throw new IllegalArgumentException("buffer group must be in [0, 65535], was " + group);
        }
        ProvidedBufferRing b = new ProvidedBufferRing(ring, group, count, bufferSize);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(BufRing.REG_LAYOUT);
            reg.set(JAVA_LONG, BufRing.REG_RING_ADDR, b.entries.address());
            reg.set(JAVA_INT, BufRing.REG_RING_ENTRIES, count);
            reg.set(JAVA_SHORT, BufRing.REG_BGID, (short) group);
            int r = ring.register(RegisterOp.REGISTER_PBUF_RING, reg, 1);
            if (r < 0) {
                b.arena.close();
                throw new NativeCallException("io_uring_register(PBUF_RING, group " + group + ")", r);
            }
        }
        for (int bid = 0; bid < count; bid++) {
            b.put(bid);
        }
        b.publish();
        return b;
    }

    /**
     * The group id.
     *
     * @return {@code bgid}
     */
    public int group() {
        return group & 0xFFFF;
    }

    /**
     * Bytes per buffer.
     *
     * @return the buffer size
     */
    public int bufferSize() {
        return bufferSize;
    }

    /**
     * How many buffers.
     *
     * @return the count
     */
    public int count() {
        return count;
    }

    /**
     * The bytes a receive put into a buffer.
     *
     * @param bid the buffer id from the CQE's flags ({@code flags >>> IORING_CQE_BUFFER_SHIFT})
     * @param length the CQE's result
     * @return a view of those bytes, valid until the buffer is recycled
     */
    public MemorySegment slice(int bid, int length) {
        return buffers.asSlice((long) bid * bufferSize, length);
    }

    /**
     * Gives a buffer back to the kernel.
     *
     * @param bid the buffer id
     */
    public void recycle(int bid) {
        if (closed) {
            return;
        }
        put(bid);
        publish();
    }

    /**
     * The buffer put into the ring right after {@code bid}: within a bundle (consecutive entries, the kernel takes
     * them in ring order), the next buffer. Stable while {@code bid} is out of the ring, that is from the CQE that
     * consumed it until it is recycled: ask before recycling any buffer of the bundle. A position in the ring would
     * not do: a buffer recycled since, this bundle's or one of a CQE handled before it, moves the tail over the
     * entries the kernel has consumed.
     *
     * @param bid a buffer the kernel consumed and that is not recycled yet
     * @return the buffer id put after it
     */
    public int next(int bid) {
        return successor[bid] & 0xFFFF;
    }

    private void put(int bid) {
        successor[bidAt[(tail - 1) & mask] & 0xFFFF] = (short) bid;
        bidAt[tail & mask] = (short) bid;
        long e = (long) (tail & mask) * BufRing.BUF_SIZE;
        entries.set(JAVA_LONG, e + BufRing.BUF_ADDR, buffers.address() + (long) bid * bufferSize);
        entries.set(JAVA_INT, e + BufRing.BUF_LEN, bufferSize);
        entries.set(JAVA_SHORT, e + BufRing.BUF_BID, (short) bid);
        tail++;
    }

    private void publish() {
        // Release: the entry written above is visible to the kernel before the tail that covers it.
        TAIL.setRelease(entries, BufRing.TAIL, tail);
    }

    /** Unregisters the group and frees the memory; the caller guarantees no receive still selects from it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!ring.isClosed()) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment reg = a.allocate(BufRing.REG_LAYOUT);
                reg.set(JAVA_SHORT, BufRing.REG_BGID, group);
                ring.register(RegisterOp.UNREGISTER_PBUF_RING, reg, 1);
            }
        }
        arena.close();
    }
}
