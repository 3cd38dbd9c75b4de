package io.ringloop.internal;

import io.ringloop.binding.SubmissionQueue;

/**
 * One kernel operation driven by a loop: the seam between the loop and the I/O layer.
 *
 * <p>The loop calls {@link #prepare} only when the CQ has room for this request's completions, so that the kernel
 * never has more requests in flight than it can post CQEs for; requests beyond that wait in user space and are
 * prepared as completions drain. The loop itself is the only one waiting for room, and it looks again after every
 * reap, so skipping a notification here can strand nobody.
 */
public interface IoRequest {
    /**
     * Where a request tags the SQEs after its first: {@code userData | ((long) part << PART_SHIFT)} with part in
     * [1, 255], so that the CQEs of linked SQEs (an operation and its {@code LINK_TIMEOUT}) can be told apart in
     * {@link #complete(int, int, int)}. The first SQE carries the plain {@code userData}, which is also what
     * {@code ASYNC_CANCEL} targets.
     */
    int PART_SHIFT = 32;

    /**
     * Fills this request's SQE(s), on the loop thread.
     *
     * @param sq the loop's submission queue; it has at least {@link #sqes()} free slots
     * @param userData the {@code user_data} to put on every SQE of this request
     */
    void prepare(SubmissionQueue sq, long userData);

    /**
     * How many SQEs {@link #prepare} fills, each of which posts a CQE (a linked timeout makes two).
     *
     * @return 1 or more
     */
    default int sqes() {
        return 1;
    }

    /**
     * How many CQ slots the loop keeps for this request while it is in flight; by default one per SQE. A request
     * that may wait for as long as somebody else likes (a multishot request that lives as long as its socket, a
     * socket read waiting on its peer) should answer 0: holding a slot for its whole life would let a few hundred
     * idle connections starve every other request of CQ room, for good. Its CQEs may then outrun the CQ; the kernel's
     * overflow list keeps the excess (and ends a multishot request, which is then re-armed).
     *
     * @return 0 to {@link #sqes()}
     */
    default int cqReservation() {
        return sqes();
    }

    /**
     * A CQE of this request arrived, on the loop thread.
     *
     * @param res the result or {@code -errno}
     * @param flags {@code IORING_CQE_F_*}
     * @return true if this request is finished (no more CQEs will come for it)
     */
    boolean complete(int res, int flags);

    /**
     * A CQE of this request arrived, with the part of its SQE (0 for the first, see {@link #PART_SHIFT}). By
     * default the part is ignored.
     *
     * @param res the result or {@code -errno}
     * @param flags {@code IORING_CQE_F_*}
     * @param part which of this request's SQEs the CQE belongs to
     * @return true if this request is finished (no more CQEs will come for it)
     */
    default boolean complete(int res, int flags, int part) {
        return complete(res, flags);
    }
}
