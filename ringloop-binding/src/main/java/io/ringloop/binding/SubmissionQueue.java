package io.ringloop.binding;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The submission side of a {@link Ring}: owns the SQ ring's offsets and the SQE array.
 *
 * <p>Only the ring's owner thread calls it. Each {@code prep} method fills the whole 64-byte SQE (no stale field
 * from an earlier use survives) with plain stores and returns false when the SQ is full; nothing reaches the kernel
 * until {@link #publish()} stores the tail with release order, which orders every SQE store before the kernel's
 * acquire load of the tail. The kernel's head is read with acquire order, so that a slot is reused only after the
 * kernel has finished reading it. No method allocates.
 */
public final class SubmissionQueue {
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final MemorySegment sqes;
    private final long headOffset;
    private final long tailOffset;
    private final long flagsOffset;
    private final long droppedOffset;
    private final int mask;
    private final int entries;
    /** Our tail: the next slot to fill. Ahead of the kernel's tail until {@link #publish()}. */
    private int tail;
    /** The kernel's head as last read; refreshed only when the queue looks full. */
    private int cachedHead;
    /** The offset of the SQE last prepared, for {@link #orFlagsOfLast(byte)}; -1 if none. */
    private long lastSqe = -1;
    /** Our tail just after the SQE last prepared: that SQE is unconsumed while the kernel's head is below this. */
    private int lastTail;
    private boolean closed;

    SubmissionQueue(MemorySegment ring, MemorySegment sqes, long headOffset, long tailOffset, long flagsOffset,
            long droppedOffset, int mask, int entries) {
        this.ring = ring;
        this.sqes = sqes;
        this.headOffset = headOffset;
        this.tailOffset = tailOffset;
        this.flagsOffset = flagsOffset;
        this.droppedOffset = droppedOffset;
        this.mask = mask;
        this.entries = entries;
        this.tail = (int) INT.getAcquire(ring, tailOffset);
        this.cachedHead = (int) INT.getAcquire(ring, headOffset);
    }

    /**
     * The number of SQ slots.
     *
     * @return {@code sq_entries}
     */
    public int entries() {
        return entries;
    }

    /**
     * Free slots.
     *
     * @return how many SQEs can be prepared before the queue is full
     */
    public int available() {
        cachedHead = (int) INT.getAcquire(ring, headOffset);
        return entries - (tail - cachedHead);
    }

    /**
     * SQEs prepared that the kernel has not consumed yet.
     *
     * @return the count to pass as {@code to_submit}
     */
    public int pending() {
        cachedHead = (int) INT.getAcquire(ring, headOffset);
        return tail - cachedHead;
    }

    /**
     * Whether any prepared SQE awaits submission, without reading kernel memory when the answer is known.
     *
     * @return true if {@link #pending()} is positive
     */
    public boolean hasPending() {
        return tail != cachedHead && pending() > 0;
    }

    /**
     * The SQ ring's flags word, written by the kernel ({@code IORING_SQ_*}), read with acquire order so that a
     * TASKRUN or CQ_OVERFLOW bit seen here is followed by the state it announces.
     *
     * @return the flags
     */
    public int kernelFlags() {
        return (int) INT.getAcquire(ring, flagsOffset);
    }

    /**
     * SQEs the kernel dropped as invalid (without SQ array there are none).
     *
     * @return {@code sq.dropped}
     */
    public int dropped() {
        return (int) INT.getAcquire(ring, droppedOffset);
    }

    /** Makes every prepared SQE visible to the kernel: a release store of the tail. */
    public void publish() {
        INT.setRelease(ring, tailOffset, tail);
    }

    void close() {
        closed = true;
    }

    private long claim() {
        if (closed) {
            throw new IllegalStateException("ring is closed");
        }
        if (tail - cachedHead >= entries) {
            cachedHead = (int) INT.getAcquire(ring, headOffset);
            if (tail - cachedHead >= entries) {
                return -1;
            }
        }
        long offset = (long) (tail & mask) * Sqe.SIZE;
        tail++;
        lastSqe = offset;
        lastTail = tail;
        return offset;
    }

    /**
     * Prepares an SQE with every field given: the primitive that the typed methods call.
     *
     * @param opcode an {@link Opcode}
     * @param sqeFlags {@code IOSQE_*}
     * @param ioprio {@code ioprio} (accept and recv flags live here)
     * @param fd {@code fd}
     * @param off {@code off} / {@code addr2}
     * @param addr {@code addr}
     * @param len {@code len}
     * @param opFlags the per-opcode flags union
     * @param userData {@code user_data}
     * @param bufIndex {@code buf_index} / {@code buf_group}
     * @param fileIndex {@code file_index} / {@code addr_len}
     * @param addr3 {@code addr3}
     * @return false if the SQ is full
     */
    public boolean prep(byte opcode, byte sqeFlags, short ioprio, int fd, long off, long addr, int len, int opFlags,
            long userData, short bufIndex, int fileIndex, long addr3) {
        long o = claim();
        if (o < 0) {
            return false;
        }
        MemorySegment s = sqes;
        s.set(JAVA_BYTE, o + Sqe.OPCODE, opcode);
        s.set(JAVA_BYTE, o + Sqe.FLAGS, sqeFlags);
        s.set(JAVA_SHORT, o + Sqe.IOPRIO, ioprio);
        s.set(JAVA_INT, o + Sqe.FD, fd);
        s.set(JAVA_LONG, o + Sqe.OFF, off);
        s.set(JAVA_LONG, o + Sqe.ADDR, addr);
        s.set(JAVA_INT, o + Sqe.LEN, len);
        s.set(JAVA_INT, o + Sqe.OP_FLAGS, opFlags);
        s.set(JAVA_LONG, o + Sqe.USER_DATA, userData);
        s.set(JAVA_SHORT, o + Sqe.BUF_INDEX, bufIndex);
        s.set(JAVA_SHORT, o + Sqe.PERSONALITY, (short) 0);
        s.set(JAVA_INT, o + Sqe.FILE_INDEX, fileIndex);
        s.set(JAVA_LONG, o + Sqe.ADDR3, addr3);
        s.set(JAVA_LONG, o + Sqe.PAD2, 0L);
        return true;
    }

    /**
     * ORs {@code IOSQE_*} flags into the SQE prepared last, for links ({@code IO_LINK}) and skips
     * ({@code CQE_SKIP_SUCCESS}).
     *
     * @param sqeFlags the flags to add
     */
    public void orFlagsOfLast(byte sqeFlags) {
        if (lastSqe < 0) {
            throw new IllegalStateException("no SQE prepared yet");
        }
        long at = lastSqe + Sqe.FLAGS;
        sqes.set(JAVA_BYTE, at, (byte) (sqes.get(JAVA_BYTE, at) | sqeFlags));
    }

    /**
     * Turns the SQE prepared last into a {@code NOP}, keeping its {@code user_data} and flags, unless the kernel has
     * consumed it already. For an SQE that must not reach the kernel after some point: a {@code MSG_RING} whose
     * target ring may be closed (and its fd number reused) once the caller stops holding it open. Safe because the
     * kernel reads SQEs only inside the owner's {@code io_uring_enter} (no SQPOLL), never concurrently with us.
     *
     * @return true if the SQE was revoked, false if the kernel had consumed it (or nothing was prepared)
     */
    public boolean revokeLast() {
        if (lastSqe < 0) {
            return false;
        }
        // Acquire: a head at or past lastTail means the kernel has finished reading that SQE.
        int head = (int) INT.getAcquire(ring, headOffset);
        if (lastTail - head <= 0) {
            return false;
        }
        sqes.set(JAVA_BYTE, lastSqe + Sqe.OPCODE, Opcode.NOP);
        // NOP reads its own flags from the op-flags word (6.x: result injection, fixed files): none of them.
        sqes.set(JAVA_INT, lastSqe + Sqe.OP_FLAGS, 0);
        return true;
    }

    /**
     * Whether the kernel has consumed the SQE prepared last.
     *
     * @return true once the kernel's head has passed it
     */
    public boolean lastConsumed() {
        return lastSqe >= 0 && lastTail - (int) INT.getAcquire(ring, headOffset) <= 0;
    }

    private boolean simple(byte opcode, int fd, long off, long addr, int len, int opFlags, long userData) {
        return prep(opcode, (byte) 0, (short) 0, fd, off, addr, len, opFlags, userData, (short) 0, 0, 0L);
    }

    /**
     * {@code IORING_OP_NOP}.
     *
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean nop(long userData) {
        return simple(Opcode.NOP, -1, 0, 0, 0, 0, userData);
    }

    /**
     * {@code IORING_OP_POLL_ADD}.
     *
     * @param fd the fd to poll
     * @param events {@code POLLIN} and friends
     * @param multishot post a CQE per event (with {@code F_MORE}) until the kernel ends it
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean pollAdd(int fd, int events, boolean multishot, long userData) {
        return simple(Opcode.POLL_ADD, fd, 0, 0, multishot ? IoUringFlags.POLL_ADD_MULTI : 0, events, userData);
    }

    /**
     * {@code IORING_OP_POLL_REMOVE}.
     *
     * @param targetUserData the poll's {@code user_data}
     * @param userData {@code user_data} of this request
     * @return false if the SQ is full
     */
    public boolean pollRemove(long targetUserData, long userData) {
        return simple(Opcode.POLL_REMOVE, -1, 0, targetUserData, 0, 0, userData);
    }

    /**
     * {@code IORING_OP_READ}.
     *
     * @param fd the fd
     * @param address the buffer
     * @param length its size
     * @param offset the file offset, -1 for the current position
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean read(int fd, long address, int length, long offset, long userData) {
        return simple(Opcode.READ, fd, offset, address, length, 0, userData);
    }

    /**
     * {@code IORING_OP_WRITE}.
     *
     * @param fd the fd
     * @param address the bytes
     * @param length how many
     * @param offset the file offset, -1 for the current position
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean write(int fd, long address, int length, long offset, long userData) {
        return simple(Opcode.WRITE, fd, offset, address, length, 0, userData);
    }

    /**
     * {@code IORING_OP_READV}.
     *
     * @param fd the fd
     * @param iovecs an array of {@link Iovec}
     * @param count how many iovecs
     * @param offset the file offset, -1 for the current position
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean readv(int fd, long iovecs, int count, long offset, long userData) {
        return simple(Opcode.READV, fd, offset, iovecs, count, 0, userData);
    }

    /**
     * {@code IORING_OP_WRITEV}.
     *
     * @param fd the fd
     * @param iovecs an array of {@link Iovec}
     * @param count how many iovecs
     * @param offset the file offset, -1 for the current position
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean writev(int fd, long iovecs, int count, long offset, long userData) {
        return simple(Opcode.WRITEV, fd, offset, iovecs, count, 0, userData);
    }

    /**
     * {@code IORING_OP_READ_FIXED} into a registered buffer.
     *
     * @param fd the fd
     * @param address inside the registered buffer
     * @param length how many bytes
     * @param offset the file offset
     * @param bufIndex the registered buffer's index
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean readFixed(int fd, long address, int length, long offset, int bufIndex, long userData) {
        return prep(Opcode.READ_FIXED, (byte) 0, (short) 0, fd, offset, address, length, 0, userData,
                (short) bufIndex, 0, 0L);
    }

    /**
     * {@code IORING_OP_WRITE_FIXED} from a registered buffer.
     *
     * @param fd the fd
     * @param address inside the registered buffer
     * @param length how many bytes
     * @param offset the file offset
     * @param bufIndex the registered buffer's index
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean writeFixed(int fd, long address, int length, long offset, int bufIndex, long userData) {
        return prep(Opcode.WRITE_FIXED, (byte) 0, (short) 0, fd, offset, address, length, 0, userData,
                (short) bufIndex, 0, 0L);
    }

    /**
     * {@code IORING_OP_OPENAT}.
     *
     * @param dirFd a directory fd or {@code AT_FDCWD} (-100)
     * @param path a NUL-terminated path
     * @param flags {@code O_*}
     * @param mode the mode for created files
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean openat(int dirFd, long path, int flags, int mode, long userData) {
        return simple(Opcode.OPENAT, dirFd, 0, path, mode, flags, userData);
    }

    /**
     * {@code IORING_OP_CLOSE}.
     *
     * @param fd the fd
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean close(int fd, long userData) {
        return simple(Opcode.CLOSE, fd, 0, 0, 0, 0, userData);
    }

    /**
     * {@code IORING_OP_FSYNC}.
     *
     * @param fd the fd
     * @param dataOnly fdatasync instead of fsync
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean fsync(int fd, boolean dataOnly, long userData) {
        return simple(Opcode.FSYNC, fd, 0, 0, 0, dataOnly ? IoUringFlags.FSYNC_DATASYNC : 0, userData);
    }

    /**
     * {@code IORING_OP_ACCEPT}.
     *
     * @param fd the listening socket
     * @param address where to store the peer address, or 0
     * @param addressLength the address buffer's {@code socklen_t}, or 0
     * @param flags {@code SOCK_CLOEXEC}, {@code SOCK_NONBLOCK}
     * @param multishot keep accepting (5.19) until the kernel ends it
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean accept(int fd, long address, long addressLength, int flags, boolean multishot, long userData) {
        return prep(Opcode.ACCEPT, (byte) 0, multishot ? IoUringFlags.ACCEPT_MULTISHOT : 0, fd, addressLength,
                address, 0, flags, userData, (short) 0, 0, 0L);
    }

    /**
     * {@code IORING_OP_CONNECT}.
     *
     * @param fd the socket
     * @param address a sockaddr
     * @param addressLength its size
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean connect(int fd, long address, int addressLength, long userData) {
        return simple(Opcode.CONNECT, fd, addressLength, address, 0, 0, userData);
    }

    /**
     * {@code IORING_OP_RECV}.
     *
     * @param fd the socket
     * @param address the buffer
     * @param length its size
     * @param msgFlags {@code MSG_*}
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean recv(int fd, long address, int length, int msgFlags, long userData) {
        return recv(fd, address, length, msgFlags, false, userData);
    }

    /**
     * {@code IORING_OP_RECV} that may skip its first attempt ({@code IORING_RECVSEND_POLL_FIRST}, 5.19): for a socket
     * just found empty, the kernel arms its poll at once and receives when data arrives, instead of trying a receive
     * that would fail with EAGAIN first. Data that is already there is still received at once (the poll finds the
     * socket ready as it is armed).
     *
     * @param fd the socket
     * @param address the buffer
     * @param length its size
     * @param msgFlags {@code MSG_*}
     * @param pollFirst wait for readiness before the first attempt
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean recv(int fd, long address, int length, int msgFlags, boolean pollFirst, long userData) {
        return prep(Opcode.RECV, (byte) 0, pollFirst ? IoUringFlags.RECVSEND_POLL_FIRST : 0, fd, 0, address, length,
                msgFlags, userData, (short) 0, 0, 0L);
    }

    /**
     * Multishot {@code IORING_OP_RECV} (6.0) into buffers picked from a provided buffer ring.
     *
     * @param fd the socket
     * @param bufferGroup the provided buffer ring's group id
     * @param msgFlags {@code MSG_*}
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean recvMultishot(int fd, int bufferGroup, int msgFlags, long userData) {
        return recvMultishot(fd, bufferGroup, msgFlags, false, userData);
    }

    /**
     * {@code IORING_OP_RECV} multishot with buffer selection, optionally as bundles ({@code IORING_RECVSEND_BUNDLE},
     * 6.10): each CQE then covers as many buffers as the arrival filled, consecutive in the buffer ring, and names the
     * first.
     *
     * @param fd the socket
     * @param bufferGroup the provided-buffer group
     * @param msgFlags {@code MSG_*}
     * @param bundle take several buffers per CQE
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean recvMultishot(int fd, int bufferGroup, int msgFlags, boolean bundle, long userData) {
        short ioprio = (short) (IoUringFlags.RECV_MULTISHOT | (bundle ? IoUringFlags.RECVSEND_BUNDLE : 0));
        return prep(Opcode.RECV, IoUringFlags.SQE_BUFFER_SELECT, ioprio, fd, 0, 0, 0, msgFlags, userData,
                (short) bufferGroup, 0, 0L);
    }

    /**
     * {@code IORING_OP_SEND}.
     *
     * @param fd the socket
     * @param address the bytes
     * @param length how many
     * @param msgFlags {@code MSG_*}
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean send(int fd, long address, int length, int msgFlags, long userData) {
        return simple(Opcode.SEND, fd, 0, address, length, msgFlags, userData);
    }

    /**
     * {@code IORING_OP_SEND_ZC} (6.0): sends from the buffer's pages without copying them. Two CQEs: the result,
     * with {@code IORING_CQE_F_MORE} when a notification follows, then the notification
     * ({@code IORING_CQE_F_NOTIF}) once the kernel no longer reads the buffer.
     *
     * @param fd the socket
     * @param address the bytes
     * @param length how many
     * @param msgFlags {@code MSG_*}
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean sendZc(int fd, long address, int length, int msgFlags, long userData) {
        return simple(Opcode.SEND_ZC, fd, 0, address, length, msgFlags, userData);
    }

    /**
     * {@code IORING_OP_SENDMSG}: gathers the message's iovecs into one send.
     *
     * @param fd the socket
     * @param msghdr a {@link MsgHdr}, read by the kernel before the submit returns; the memory its iovecs name is
     *     read until the CQE
     * @param msgFlags {@code MSG_*}
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean sendmsg(int fd, long msghdr, int msgFlags, long userData) {
        return simple(Opcode.SENDMSG, fd, 0, msghdr, 1, msgFlags, userData);
    }

    /**
     * {@code IORING_OP_SHUTDOWN}.
     *
     * @param fd the socket
     * @param how {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean shutdown(int fd, int how, long userData) {
        return simple(Opcode.SHUTDOWN, fd, 0, 0, how, 0, userData);
    }

    /**
     * {@code IORING_OP_TIMEOUT}.
     *
     * @param timespec a {@link KernelTimespec} that stays valid until the kernel has read it (at submission)
     * @param count complete after this many other CQEs, 0 for a pure timer
     * @param flags {@code IORING_TIMEOUT_*}
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean timeout(long timespec, int count, int flags, long userData) {
        return simple(Opcode.TIMEOUT, -1, count, timespec, 1, flags, userData);
    }

    /**
     * {@code IORING_OP_TIMEOUT_REMOVE}.
     *
     * @param targetUserData the timeout's {@code user_data}
     * @param userData {@code user_data} of this request
     * @return false if the SQ is full
     */
    public boolean timeoutRemove(long targetUserData, long userData) {
        return simple(Opcode.TIMEOUT_REMOVE, -1, 0, targetUserData, 0, 0, userData);
    }

    /**
     * {@code IORING_OP_LINK_TIMEOUT}: must follow an SQE with {@code IOSQE_IO_LINK}.
     *
     * @param timespec a {@link KernelTimespec}
     * @param flags {@code IORING_TIMEOUT_*}
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean linkTimeout(long timespec, int flags, long userData) {
        return simple(Opcode.LINK_TIMEOUT, -1, 0, timespec, 1, flags, userData);
    }

    /**
     * {@code IORING_OP_ASYNC_CANCEL}.
     *
     * @param targetUserData the request's {@code user_data}
     * @param flags {@code IORING_ASYNC_CANCEL_*}
     * @param userData {@code user_data} of this request
     * @return false if the SQ is full
     */
    public boolean asyncCancel(long targetUserData, int flags, long userData) {
        return simple(Opcode.ASYNC_CANCEL, -1, 0, targetUserData, 0, flags, userData);
    }

    /**
     * {@code IORING_OP_MSG_RING} with {@code IORING_MSG_DATA} (5.18): posts a CQE into another ring.
     *
     * @param targetRingFd the target ring's fd
     * @param res the target CQE's {@code res}
     * @param targetUserData the target CQE's {@code user_data}
     * @param flags {@code IORING_MSG_RING_*}
     * @param userData {@code user_data} of this request on our ring
     * @return false if the SQ is full
     */
    public boolean msgRing(int targetRingFd, int res, long targetUserData, int flags, long userData) {
        return simple(Opcode.MSG_RING, targetRingFd, targetUserData, IoUringFlags.MSG_DATA, res, flags, userData);
    }

    /**
     * {@code IORING_OP_FUTEX_WAIT} (6.7): completes when the word is woken, or at once with {@code -EAGAIN} if the
     * 32-bit word at {@code address} no longer holds {@code expected}.
     *
     * @param address the futex word, 4-byte aligned
     * @param expected the value to sleep on
     * @param mask the wait bitset, {@link Futex#FUTEX_BITSET_MATCH_ANY} for any
     * @param futexFlags {@link Futex#FUTEX2_SIZE_U32}, optionally {@link Futex#FUTEX2_PRIVATE}
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean futexWait(long address, int expected, long mask, int futexFlags, long userData) {
        return prep(Opcode.FUTEX_WAIT, (byte) 0, (short) 0, futexFlags, expected & 0xffff_ffffL, address, 0, 0,
                userData, (short) 0, 0, mask);
    }

    /**
     * {@code IORING_OP_FUTEX_WAKE} (6.7).
     *
     * @param address the futex word
     * @param count waiters to wake at most
     * @param mask the wake bitset
     * @param futexFlags futex2 flags, as the waiters used
     * @param userData {@code user_data}
     * @return false if the SQ is full
     */
    public boolean futexWake(long address, int count, long mask, int futexFlags, long userData) {
        return prep(Opcode.FUTEX_WAKE, (byte) 0, (short) 0, futexFlags, count, address, 0, 0, userData, (short) 0,
                0, mask);
    }
}
