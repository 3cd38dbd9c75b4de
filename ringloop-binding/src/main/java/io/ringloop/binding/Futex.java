package io.ringloop.binding;

/**
 * futex2 constants, from include/uapi/linux/futex.h (Linux 6.7).
 */
public final class Futex {
    /** The futex word is 32 bits. */
    public static final int FUTEX2_SIZE_U32 = 0x02;
    /** Process-private futex (same bit as the classic {@code FUTEX_PRIVATE_FLAG}). */
    public static final int FUTEX2_PRIVATE = 128;
    /** Match any bitset. */
    public static final long FUTEX_BITSET_MATCH_ANY = 0xffff_ffffL;

    private Futex() {
    }
}
