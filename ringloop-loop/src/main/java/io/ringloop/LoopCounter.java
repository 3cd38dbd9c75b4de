package io.ringloop;

/**
 * One descriptor per counter a loop keeps: its name in {@link LoopStats} (and in JSON), its unit and what it means.
 * {@link LoopStats}, its {@code toString} and every report are derived from this list; adding a counter means adding
 * a constant here (and, for a named accessor, one line in {@link LoopStats}).
 *
 * <p>Every counter is monotonic. Most are written by the loop thread alone and read by others with opaque loads;
 * {@link Source} says which are written by producers instead.
 */
public enum LoopCounter {
    /** Tasks run, including those that threw, and timers fired. */
    TASKS_RUN("tasksRun", "tasks", "tasks run, including those that threw, and timers fired"),
    /** Wake syscalls producers made. */
    WAKEUPS_RUNG("wakeupsRung", "wakes", "wake syscalls producers made (eventfd writes, futex wakes, MSG_RING "
            + "messages)", Source.PRODUCERS),
    /** Publishes that needed no syscall. */
    WAKEUPS_ELIDED("wakeupsElided", "publishes", "publishes that needed no syscall because the loop was awake or "
            + "already being woken", Source.PRODUCERS),
    /** Doorbell re-arms after the kernel ended it. */
    DOORBELL_REARMS("doorbellRearms", "re-arms", "times the doorbell was re-armed after the kernel ended it"),
    /** CQ overflows flushed. */
    CQ_OVERFLOWS("cqOverflows", "overflows", "times the loop found the kernel holding overflowed CQEs and flushed "
            + "them, or a CQE dropped (EBADR)"),
    /** Arms of the wake word. */
    ARMS("arms", "arms", "times the loop armed the wake word to sleep (a re-check that finds work cancels the sleep, "
            + "so parks <= arms; a producer's bell is for an arm, so wakeupsRung <= arms)"),
    /** Sleeps in the kernel. */
    PARKS("parks", "parks", "times the loop went to sleep in the kernel"),
    /** Work found while spinning. */
    SPIN_WAKEUPS("spinWakeups", "wakeups", "times the loop found work while spinning, so did not sleep"),
    /** Scheduled tasks run. */
    TIMERS_FIRED("timersFired", "timers", "scheduled tasks run"),
    /** Tasks, timers and completions that threw. */
    TASKS_FAILED("tasksFailed", "tasks", "tasks, timers and I/O completions that threw"),
    /** Producers that waited for room. */
    PRODUCERS_BLOCKED("producersBlocked", "waits", "times a producer waited for room in a bounded queue",
            Source.PRODUCERS),
    /** Syscalls of the loop thread. */
    LOOP_SYSCALLS("loopSyscalls", "syscalls", "syscalls the loop thread made (io_uring_enter, doorbell drains)"),
    /** I/O requests handed to the kernel. */
    IO_SUBMITTED("ioSubmitted", "requests", "I/O requests handed to the kernel"),
    /** I/O requests finished. */
    IO_COMPLETED("ioCompleted", "requests", "I/O requests finished (their last CQE arrived)"),
    /** I/O requests held back for CQ room. */
    IO_DEFERRED("ioDeferred", "requests", "I/O requests held in user space because the CQ had no room for their "
            + "completions"),
    /** Doorbell CQEs. */
    DOORBELL_CQES("doorbellCqes", "CQEs", "doorbell CQEs the loop consumed itself (poll events, eventfd reads, futex "
            + "waits, ringless MSG_RING messages, other loops' MSG_RING wakes), never handed to user code"),
    /** Empty looks of the idle spin. */
    IDLE_ITERATIONS("idleIterations", "looks", "empty looks while spinning (wake word, CQ tail, SQ flags word; the "
            + "clock once every 64 looks; no syscall but the spin's Thread.yield() every 4 µs)"),
    /** Wakes other loops sent as MSG_RING. */
    MSG_RING_WAKES("msgRingWakes", "wakes", "of wakeupsRung, the wakes another loop's thread sent as an "
            + "IORING_OP_MSG_RING from its own ring instead of ringing this loop's doorbell; one the kernel then "
            + "failed is rung again through the doorbell and counted in wakeupsRung twice", Source.PRODUCERS),
    /** Wakes the doorbell's own mechanism refused. */
    DOORBELL_FALLBACKS("doorbellFallbacks", "wakes", "wakes the doorbell's own mechanism refused (a SEND_MSG_RING "
            + "message the kernel would not take), rung through its backup eventfd instead", Source.PRODUCERS),
    /** MSG_RING wake CQEs other loops posted here. */
    LOOP_WAKE_CQES("loopWakeCqes", "CQEs", "MSG_RING wake CQEs other loops posted into this loop's CQ"),
    /** MSG_RING wakes this loop sent that the kernel failed. */
    MSG_RING_FAILURES("msgRingFailures", "wakes", "MSG_RING wakes this loop sent to others that the kernel failed; "
            + "each was rung again through the target's doorbell"),
    /** io_uring_enter calls of the loop's passes, sleeps and close. */
    RING_ENTERS("ringEnters", "enters", "io_uring_enter calls the loop's passes, sleeps and close made (of "
            + "loopSyscalls; a doorbell's drains and retries through a full SQ are not among them)"),
    /** SQEs those enters handed to the kernel. */
    SQES_SUBMITTED("sqesSubmitted", "SQEs", "SQEs the kernel took in those enters: sqesSubmitted / ringEnters is "
            + "SQEs per enter"),
    /** CQEs the loop's passes consumed. */
    CQES_REAPED("cqesReaped", "CQEs", "CQEs the loop's passes took from the CQ, its doorbell's included"),
    /** Passes that found CQEs. */
    REAPS("reaps", "reaps", "passes that took at least one CQE: cqesReaped / reaps is CQEs per reap"),
    /** Receive completions that brought data (counted by the I/O layer). */
    RECEIVES("receives", "CQEs", "receive completions that brought data (the I/O layer's sockets)"),
    /** Provided buffers those receives filled. */
    RECEIVE_BUFFERS("receiveBuffers", "buffers", "provided buffers the receives filled: more than receives when a CQE "
            + "covers a bundle of them (IORING_RECVSEND_BUNDLE, 6.10)"),
    /** Multishot receives the kernel ended and the I/O layer armed again. */
    RECEIVE_REARMS("receiveRearms", "re-arms", "multishot receives the kernel ended (no F_MORE: CQ overflow, no "
            + "provided buffer left) that the I/O layer armed again; per 10^6 receives it says whether the buffer "
            + "ring keeps up"),
    /** Receives that found no provided buffer. */
    RECEIVE_NO_BUFFERS("receiveNoBuffers", "CQEs", "receives that found no provided buffer (ENOBUFS), of "
            + "receiveRearms"),
    /** Stand-backs instead of arming while producers were mid-offer. */
    BACKOFFS("backoffs", "backoffs", "times the loop ran dry while a producer had claimed a slot whose task it had "
            + "not found stored, and stood back for backoffNanos instead of arming"),
    /** Sleeps on the wake word, without the ring. */
    WORD_SLEEPS("wordSleeps", "parks", "of parks, those on the wake word with futex(2) instead of in io_uring_enter, "
            + "taken when the ring held nothing in flight (LoopOptions.wordSleep); their bells are futex wakes"),
    /** Sends of several queued socket writes at once. */
    WRITE_BATCHES("writeBatches", "sendmsgs", "sendmsg requests that carried several queued writes of one socket "
            + "(the I/O layer's coalesced writes)"),
    /** Zero-copy sends. */
    ZERO_COPY_SENDS("zeroCopySends", "SQEs", "socket sends made with IORING_OP_SEND_ZC (writes at least "
            + "SocketOptions.zeroCopySendThreshold long), each ending at its notification CQE"),
    /** Zero-copy sends' notifications. */
    ZERO_COPY_NOTIFICATIONS("zeroCopyNotifications", "CQEs", "notifications (IORING_CQE_F_NOTIF) that the kernel "
            + "reads a zero-copy send's buffer no more; a write ends only after its last one"),
    /** Socket writes that left inside a batch. */
    WRITES_COALESCED("writesCoalesced", "writes", "socket writes that left inside those sendmsgs: writesCoalesced / "
            + "writeBatches is writes per batch"),
    /** Socket writes sent by a direct call before the ring (the epoll backend). */
    INLINE_SENDS("inlineSends", "sends", "socket writes whose bytes, whole or in part, a direct send(MSG_DONTWAIT) "
            + "on the loop thread took when the write was started, without an SQE (the epoll backend, as Netty's "
            + "epoll transport writes at flush); what it did not take goes through the ring");

    /** Who writes a counter. */
    public enum Source {
        /** The loop thread alone, with opaque stores. */
        LOOP,
        /** Producer threads, with atomic read-modify-writes (or derived from the wake word). */
        PRODUCERS
    }

    private static final LoopCounter[] ALL = values();

    private final String statName;
    private final String unit;
    private final String description;
    private final Source source;

    LoopCounter(String statName, String unit, String description) {
        this(statName, unit, description, Source.LOOP);
    }

    LoopCounter(String statName, String unit, String description, Source source) {
        this.statName = statName;
        this.unit = unit;
        this.description = description;
        this.source = source;
    }

    /**
     * The counter's name in {@link LoopStats}, its {@code toString} and JSON, such as {@code "tasksRun"}.
     *
     * @return the name
     */
    public String statName() {
        return statName;
    }

    /**
     * What one count is, such as {@code "tasks"}.
     *
     * @return the unit, plural
     */
    public String unit() {
        return unit;
    }

    /**
     * What the counter counts.
     *
     * @return one sentence
     */
    public String description() {
        return description;
    }

    /**
     * Who writes it.
     *
     * @return the writer
     */
    public Source source() {
        return source;
    }

    static int count() {
        return ALL.length;
    }

    static LoopCounter at(int ordinal) {
        return ALL[ordinal];
    }
}
