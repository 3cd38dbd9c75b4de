package io.ringloop;

import io.ringloop.binding.IoUringFlags;
import io.ringloop.internal.IoRequest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The loop's I/O requests: in-flight ones by {@code user_data} (their slot index), and the ones waiting for CQ room.
 *
 * <p>Never more CQEs owed by the kernel than the CQ can hold: a CQE that finds the CQ full goes to the kernel's
 * overflow list, and an overflow ends multishot requests. Each request
 * reserves one CQ slot per SQE until it finishes; requests that do not fit wait in user space and are admitted as
 * completions free room. The loop itself is the only waiter, and it re-admits after every reap, so no notification is
 * needed. Requests that wait on somebody else (multishot requests, socket operations waiting on their peer) reserve
 * nothing, or idle connections would hold the budget for good; when their CQEs outrun the CQ, the kernel's overflow
 * list (NODROP) keeps them and the loop flushes it. Loop thread only.
 */
final class IoTable {
    /** Where a slot's generation sits in {@code user_data}: above the slot (bits 0-31) and the part (32-39). */
    static final int GENERATION_SHIFT = IoRequest.PART_SHIFT + 8;
    private static final int GENERATION_MASK = 0xFFFF;

    private IoRequest[] slots;
    /**
     * Bumped each time a slot is taken, and carried in {@code user_data}: a cancel queued for a request that has
     * since finished must not hit the next request in its slot (the soak found exactly that: a cancel waiting for CQ
     * room cancelled another connection's receive).
     */
    private int[] generation;
    private int[] reserved;
    /** CQEs without {@code F_MORE} the kernel still owes a slot's request: one per SQE it was prepared with. */
    private int[] finalCqes;
    private int[] freeSlots;
    private int freeCount;
    private final ArrayDeque<IoRequest> waiting = new ArrayDeque<>();
    private final int budget;
    private int inFlightCqes;
    private int live;

    IoTable(int budget) {
        this.budget = budget;
        int initial = Math.max(16, Math.min(budget, 1024));
        slots = new IoRequest[initial];
        generation = new int[initial];
        reserved = new int[initial];
        finalCqes = new int[initial];
        freeSlots = new int[initial];
        for (int i = 0; i < initial; i++) {
            freeSlots[i] = initial - 1 - i;
        }
        freeCount = initial;
    }

    boolean fits(IoRequest r) {
        return inFlightCqes + r.cqReservation() <= budget;
    }

    /** Takes a slot for a request about to be prepared; returns its {@code user_data}. */
    long register(IoRequest r) {
        if (freeCount == 0) {
            grow();
        }
        int slot = freeSlots[--freeCount];
        slots[slot] = r;
        int gen = (generation[slot] + 1) & GENERATION_MASK;
        generation[slot] = gen;
        int cost = r.cqReservation();
        reserved[slot] = cost;
        finalCqes[slot] = r.sqes();
        inFlightCqes += cost;
        live++;
        return slot | ((long) gen << GENERATION_SHIFT);
    }

    private void grow() {
        int n = slots.length;
        slots = Arrays.copyOf(slots, n * 2);
        generation = Arrays.copyOf(generation, n * 2);
        reserved = Arrays.copyOf(reserved, n * 2);
        finalCqes = Arrays.copyOf(finalCqes, n * 2);
        freeSlots = Arrays.copyOf(freeSlots, n * 2);
        for (int i = 0; i < n; i++) {
            freeSlots[freeCount++] = 2 * n - 1 - i;
        }
    }

    /**
     * A slot index in bits 0-31, a part tag in 32-39, the slot's generation in 40-55; the doorbell's and the ring's
     * reserved values have the top byte set.
     */
    boolean owns(long userData) {
        return (userData >>> (GENERATION_SHIFT + 16)) == 0 && (int) userData >= 0 && (int) userData < slots.length;
    }

    /** Finds the {@code user_data} of an in-flight request, or -1: a scan, for cancellation only. */
    long userDataOf(IoRequest r) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == r) {
                return i | ((long) generation[i] << GENERATION_SHIFT);
            }
        }
        return -1;
    }

    /** The {@code user_data} of every request in flight (of its first SQE): for cancelling them one by one. */
    long[] inFlightUserData() {
        long[] out = new long[live];
        int n = 0;
        for (int i = 0; i < slots.length && n < out.length; i++) {
            if (slots[i] != null) {
                out[n++] = i | ((long) generation[i] << GENERATION_SHIFT);
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    boolean removeWaiting(IoRequest r) {
        return waiting.removeFirstOccurrence(r);
    }

    /**
     * Hands a CQE to its request.
     *
     * @return true if the request finished
     */
    boolean complete(long userData, int res, int flags) {
        int slot = (int) userData;
        IoRequest r = slots[slot];
        if (r == null || ((userData >>> GENERATION_SHIFT) & GENERATION_MASK) != generation[slot]) {
            return false;
        }
        boolean done;
        try {
            done = r.complete(res, flags, (int) (userData >>> IoRequest.PART_SHIFT) & 0xFF);
        } catch (Throwable e) {
            // The request threw: if this was the kernel's last CQE for it, nothing will ever finish it, so the slot
            // is freed here; otherwise its remaining CQEs still find it.
            if (settle(slot, flags)) {
                free(slot);
            }
            throw e;
        }
        if (settle(slot, flags) || done) {
            free(slot);
            return true;
        }
        return false;
    }

    /**
     * Books one CQE against its slot: one without {@code F_MORE} frees a reserved CQ slot even if the request owes
     * more (linked SQEs).
     *
     * @return true if the kernel has now posted every CQE the request's SQEs can post
     */
    private boolean settle(int slot, int flags) {
        if ((flags & IoUringFlags.CQE_F_MORE) != 0) {
            return false;
        }
        if (reserved[slot] > 0) {
            reserved[slot]--;
            inFlightCqes--;
        }
        return --finalCqes[slot] <= 0;
    }

    private void free(int slot) {
        inFlightCqes -= reserved[slot];
        reserved[slot] = 0;
        finalCqes[slot] = 0;
        slots[slot] = null;
        freeSlots[freeCount++] = slot;
        live--;
    }

    /**
     * Empties the table when the kernel will never answer again (the loop is giving up on its ring).
     *
     * @return the requests that were in flight
     */
    List<IoRequest> abandonAll() {
        List<IoRequest> in = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                in.add(slots[i]);
                free(i);
            }
        }
        return in;
    }

    void defer(IoRequest r) {
        waiting.add(r);
    }

    /** Returns a request taken by {@link #nextWaiting()} that could not be prepared: it stays first in line. */
    void putBack(IoRequest r) {
        waiting.addFirst(r);
    }

    IoRequest nextWaiting() {
        IoRequest r = waiting.peek();
        return r != null && fits(r) ? waiting.poll() : null;
    }

    IoRequest pollWaiting() {
        return waiting.poll();
    }

    int live() {
        return live;
    }

    int waitingCount() {
        return waiting.size();
    }

    int inFlightCqes() {
        return inFlightCqes;
    }

    int budget() {
        return budget;
    }
}
