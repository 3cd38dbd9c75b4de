/**
 * Blocking files and sockets for virtual threads, whose waits are io_uring completions: {@link
 * io.ringloop.io.blocking.BlockingFile} (a {@link java.nio.channels.SeekableByteChannel}), {@link
 * io.ringloop.io.blocking.BlockingSocket} (a {@link java.nio.channels.ByteChannel} with streams and a read timeout) and
 * {@link io.ringloop.io.blocking.BlockingServerSocket}. Plain blocking code, one thread per connection:
 * {@snippet class="io.ringloop.io.blocking.snippets.BlockingSnippets" region="server"}
 *
 * <h2>How a call waits</h2>
 * A socket's reads take what its multishot receive ({@link io.ringloop.io.AsyncSocket#receive}) has delivered: the
 * first read starts the receive, which then stays armed in the kernel; each arrival is copied on the loop into the
 * socket's own buffer and unparks the reader if one waits. So a read that has to wait hands the loop nothing, and the
 * loop's unpark is the whole hand-off. A reader that falls behind holds at most about 256 KiB: the receive is stopped
 * above that and started again once the reader has taken all but 64 KiB. Every other call starts one operation of
 * the async layer ({@link io.ringloop.io.AsyncFile}, {@link
 * io.ringloop.io.AsyncSocket}, {@link io.ringloop.io.AsyncServerSocket}) on the channel's loop and waits on its
 * future. The loop's thread does the I/O; the caller only waits. On a <b>virtual thread</b> the wait parks the thread
 * and frees its carrier for other virtual threads (a {@code CompletableFuture} wait does not pin), and the loop's
 * completion makes it runnable again. What it gains over the JDK's own blocking I/O: a file read does not hold a
 * carrier for the length of the disk access (the JDK's {@code FileChannel} blocks the carrier, and the scheduler
 * makes up for it by starting more carrier threads), and a socket's wait is an io_uring completion rather than an
 * epoll readiness followed by a second system call. A <b>platform thread</b> works the same way; it simply blocks.
 * Calls on a loop's own thread are refused with {@link java.lang.IllegalStateException}: they would wait for
 * themselves.
 *
 * <h2>Which loop</h2>
 * A channel keeps one loop for its life: the one passed, or, when opened from a {@link io.ringloop.LoopGroup}, the
 * group's {@link io.ringloop.LoopGroup#next()} (round robin over the loops, one per call). So a thread that opens many
 * channels spreads them over the loops, and a server's accepted connections use the server's loop.
 *
 * <h2>Sizing a loop</h2>
 * A loop never lets the kernel owe more completions than its CQ holds, except for operations that wait on somebody
 * else: a socket's read, write, accept or connect waits for its peer, for as long as the peer likes, so it holds no CQ
 * room, and ten thousand idle connections on a loop with the default 512-entry CQ leave room for everything else. When
 * more of them complete at once than the CQ holds, the kernel keeps the excess in its overflow list and the loop
 * flushes it ({@link io.ringloop.LoopStats#cqOverflows()} counts those passes), which costs more than a CQ with room:
 * a server whose connections are busy all at once does better with a larger CQ
 * ({@link io.ringloop.LoopOptions.Builder#cqEntries}, up to 65,536). A file operation ends on its own and holds one
 * CQ slot while in flight; operations that find no room wait, in order, until room frees.
 *
 * <h2>Interrupts and closing</h2>
 * As with the JDK's interruptible channels: interrupting a thread blocked in a call cancels its kernel operation
 * ({@code IORING_OP_ASYNC_CANCEL}), waits until the kernel has let go of the buffer, closes the channel and throws
 * {@link java.nio.channels.ClosedByInterruptException} with the interrupt status set; a socket's streams throw
 * {@link java.io.InterruptedIOException} instead. A call started with the interrupt status already set closes the
 * channel the same way. Closing a channel from another thread wakes every thread blocked in it with {@link
 * java.nio.channels.AsynchronousCloseException}; a call on a closed channel throws {@link
 * java.nio.channels.ClosedChannelException}.
 *
 * <h2>The hand-off</h2>
 * A call that can finish at once finishes on the calling thread, as the JDK's channels try the system call before
 * they park: a socket read of bytes the receive has already delivered, a send the socket's buffer takes, a file block
 * the page cache holds ({@link io.ringloop.io.AsyncSocket#writeNow}, {@link io.ringloop.io.AsyncFile#readNow}). Only
 * a write or file call that would wait goes to the loop; a socket read that would wait parks until the receive's next
 * arrival.
 * {@link io.ringloop.io.blocking.HandOffStats} counts the calls, those finished inline, how many had to park, and how
 * many were interrupted;
 * the loop's {@link io.ringloop.LoopStats#wakeupsRung()} counts the doorbell rings. Measured on this machine
 * (2 cores, one loop, one virtual thread doing 20,000 sequential 64-byte echo round trips over loopback; see
 * {@code HandOffCostTest}): see the README's "Virtual threads" section for the figures.
 */
package io.ringloop.io.blocking;
