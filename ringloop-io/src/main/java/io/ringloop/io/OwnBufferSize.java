package io.ringloop.io;

/**
 * How large a socket's own receive buffer should be, where there is no buffer ring (the epoll backend, kernels before
 * 6.0): one receive reads at most one buffer, so a stream is read in as many calls as its bytes need buffers.
 *
 * <pre>
 *              a receive fills the buffer                 two receives in a row use at most a quarter
 *   size  ---------------------------------> 2 x size    ---------------------------------------------> size / 2
 *   (from {@link #MIN}, doubling up to {@link #MAX})     (never below {@link #MIN})
 * </pre>
 *
 * <p>Why the top is 256 KiB: on the echo_stream benchmark (16 connections, 256 KiB in flight on each) a 64 KiB cap
 * made the epoll server read and send about 58 KB per call where Netty's epoll server, reading up to 16 times per
 * readiness and writing once, sent about 100 KB. On loopback the sender's CPU also runs the receiving side of every
 * segment it sends, so smaller sends cost more per byte: 23 % more segments per message, 55 % more pure ACKs and zero
 * window advertisements Netty never sent. With the 256 KiB cap a receive takes what the peer has sent so far in one
 * call, and the segments per message fell below Netty's. Growth happens only for receives that fill their buffer, so
 * a chatty connection keeps {@link #MIN}; a stream that slows down gives the memory back after two small receives.
 * Loop thread only.
 */
final class OwnBufferSize {
    /** The first buffer: the receive buffer size rounded up to a power of two, as the copy pool's sizes are. */
    static final int MIN = Math.max(CopyBuffers.MIN_SIZE,
            Integer.highestOneBit(LoopResources.RECV_BUFFER_SIZE - 1) << 1);
    /** The largest buffer. */
    static final int MAX = Math.max(MIN, 256 << 10);
    /** Receives in a row that used at most a quarter of the buffer before it halves. */
    static final int SHRINK_AFTER = 2;

    private long size = MIN;
    private int small;

    /** @return the size the next buffer should have */
    long size() {
        return size;
    }

    /**
     * A receive into a buffer of the current size took {@code received} bytes.
     *
     * @param received bytes the receive returned, {@code > 0}
     * @return the size the next buffer should have
     */
    long received(int received) {
        if (received >= size) {
            small = 0;
            size = Math.min(size * 2, MAX);
        } else if (received <= size / 4 && size > MIN) {
            if (++small >= SHRINK_AFTER) {
                small = 0;
                size = Math.max(size / 2, MIN);
            }
        } else {
            small = 0;
        }
        return size;
    }
}
