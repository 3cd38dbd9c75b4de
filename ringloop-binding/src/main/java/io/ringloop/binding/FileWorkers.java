package io.ringloop.binding;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the epoll backend runs regular-file requests: a regular file is always "ready" to epoll (it refuses to watch
 * one), so a read of an uncached page would stall the loop. Like the JDK's {@code AsynchronousFileChannel}, a small
 * bounded pool of daemon threads makes the blocking call and hands the result back to the loop, which completes the
 * request on its own thread. Threads are started on demand and leave after a minute idle.
 *
 * <p>A request is taken with a CAS from QUEUED to RUNNING; a cancel that wins the CAS first completes it as
 * cancelled, and the worker then skips it. Once RUNNING the call cannot be stopped: the cancel reports
 * {@code EALREADY} and the request completes with its result, so its buffer is never used after its CQE.
 */
final class FileWorkers {
    static final int THREADS = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    private static final AtomicInteger NEXT_ID = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = pool();

    private FileWorkers() {
    }

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor p = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "ringloop-file-" + NEXT_ID.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    static void submit(EmulatedOp op, EpollRing ring) {
        POOL.execute(() -> {
            if (op.claim(EmulatedOp.QUEUED, EmulatedOp.RUNNING)) {
                op.result = run(op);
                ring.fileDone(op);
            }
        });
    }

    /**
     * The blocking call, vectored or not: {@code preadv2}/{@code pwritev2}, whose offset -1 means the file position,
     * as {@code IORING_FEAT_RW_CUR_POS} would.
     */
    static long run(EmulatedOp op) {
        return switch (op.opcode) {
            case Opcode.READ, Opcode.READ_FIXED -> Syscalls.preadv2(op.fd, Native.at(op.addr, op.len), op.off, 0);
            case Opcode.WRITE, Opcode.WRITE_FIXED -> Syscalls.pwritev2(op.fd, Native.at(op.addr, op.len), op.off, 0);
            case Opcode.READV -> Native.preadv2(op.fd, op.addr, op.len, op.off, 0);
            case Opcode.WRITEV -> EpollNative.pwritev2(op.fd, op.addr, op.len, op.off, 0);
            case Opcode.FSYNC -> EpollNative.fsync(op.fd, (op.opFlags & IoUringFlags.FSYNC_DATASYNC) != 0);
            default -> -Errno.EINVAL;
        };
    }
}
