package io.ringloop;

/**
 * A snapshot of a loop's counters. Each is monotonic; read two snapshots and subtract for a rate.
 *
 * @param tasksRun tasks run (including those that threw)
 * @param wakeupsRung wake syscalls producers made (eventfd writes, futex wakes, MSG_RING messages)
 * @param wakeupsElided publishes that needed no syscall because the loop was awake or already being woken
 * @param doorbellRearms times the doorbell was re-armed after the kernel ended it
 * @param cqOverflows times the loop found the kernel holding overflowed CQEs and flushed them
 * @param arms times the loop armed the wake word to sleep (a re-check that finds work cancels the sleep, so
 *     {@code parks <= arms}; a producer's bell is for an arm, so {@code wakeupsRung <= arms})
 * @param parks times the loop went to sleep in the kernel
 * @param spinWakeups times the loop found work while spinning, so did not sleep
 * @param timersFired scheduled tasks run
 * @param tasksFailed tasks that threw
 * @param producersBlocked times a producer waited for room in a bounded queue
 * @param loopSyscalls syscalls the loop thread made (io_uring_enter and doorbell drains)
 * @param ioSubmitted I/O requests handed to the kernel
 * @param ioCompleted I/O requests finished (their last CQE arrived)
 * @param ioDeferred I/O requests held in user space because the CQ had no room for their completions
 * @param doorbellCqes doorbell CQEs the loop consumed itself (poll events, eventfd reads, futex waits, ringless
 *     MSG_RING messages), never handed to user code
 * @param idleIterations empty looks while spinning (wake word, CQ tail, SQ flags word; the clock is read once every
 *     64 looks; no syscall but the spin's {@code Thread.yield()} every 4 µs): the showdown divides time by this for
 *     its empty-iteration cost
 * @param msgRingWakes of {@code wakeupsRung}, the wakes another loop's thread sent as an {@code IORING_OP_MSG_RING}
 *     from its own ring ({@link Doorbell#MSG_RING}) instead of ringing this loop's doorbell; a message the kernel
 *     then failed is rung again through the doorbell and counted in {@code wakeupsRung} twice
 */
public record LoopStats(long tasksRun, long wakeupsRung, long wakeupsElided, long doorbellRearms, long cqOverflows,
        long arms, long parks, long spinWakeups, long timersFired, long tasksFailed, long producersBlocked, long loopSyscalls,
        long ioSubmitted, long ioCompleted, long ioDeferred, long doorbellCqes,
        long idleIterations, long msgRingWakes) {
}
