/**
 * io_uring event loops: one thread owns one ring and is the only thread that ever touches it; other threads hand it
 * work through a lock-free queue and wake it only when it has announced that it is about to sleep, and then only one
 * of them, once per sleep.
 *
 * <h2>A loop</h2>
 * {@link io.ringloop.EventLoop} is an {@link java.util.concurrent.Executor} with timers; {@link
 * io.ringloop.LoopOptions} chooses its doorbell ({@link io.ringloop.Doorbell}), ring size, spin window and queue bound,
 * and {@link io.ringloop.EventLoop#stats()} counts what it did ({@link io.ringloop.LoopStats}, each counter described
 * by a {@link io.ringloop.LoopCounter}).
 * {@snippet class="io.ringloop.snippets.LoopSnippets" region="quick-start"}
 *
 * <h2>Several loops</h2>
 * A {@link io.ringloop.LoopGroup} hands loops out round robin; a loop that hands work to another, sleeping loop wakes
 * it with {@code IORING_OP_MSG_RING} from its own ring, with no eventfd in between.
 * {@snippet class="io.ringloop.snippets.LoopSnippets" region="group"}
 *
 * <h2>When something goes wrong</h2>
 * A task, timer or I/O callback that throws is counted and handed to the loop's
 * {@link io.ringloop.TaskErrorHandler}; the loop carries on. A {@link VirtualMachineError} (a task's
 * {@link StackOverflowError}) or an errno the loop cannot handle ends it in order: new tasks are rejected, accepted
 * ones run, pending I/O fails once the kernel has let go of its buffers, and
 * {@link io.ringloop.EventLoop#terminationFuture()} fails with the error.
 *
 * <p>Files and sockets on a loop are in {@code io.ringloop.io}.
 */
package io.ringloop;
