package io.ringloop.binding;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code IORING_SETUP_*} flags for {@code io_uring_params.flags}, with the first kernel that has each.
 */
public final class SetupFlags {
    public static final int IOPOLL = 1;
    public static final int SQPOLL = 1 << 1;
    public static final int SQ_AFF = 1 << 2;
    public static final int CQSIZE = 1 << 3;
    public static final int CLAMP = 1 << 4;
    public static final int ATTACH_WQ = 1 << 5;
    public static final int R_DISABLED = 1 << 6;
    /** 5.18. */
    public static final int SUBMIT_ALL = 1 << 7;
    /** 5.19. */
    public static final int COOP_TASKRUN = 1 << 8;
    /** 5.19; needs COOP_TASKRUN or DEFER_TASKRUN. */
    public static final int TASKRUN_FLAG = 1 << 9;
    public static final int SQE128 = 1 << 10;
    public static final int CQE32 = 1 << 11;
    /** 6.0. */
    public static final int SINGLE_ISSUER = 1 << 12;
    /** 6.1; needs SINGLE_ISSUER. */
    public static final int DEFER_TASKRUN = 1 << 13;
    public static final int NO_MMAP = 1 << 14;
    public static final int REGISTERED_FD_ONLY = 1 << 15;
    /** 6.6. */
    public static final int NO_SQARRAY = 1 << 16;

    private static final String[] NAMES = {"IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP", "ATTACH_WQ", "R_DISABLED",
        "SUBMIT_ALL", "COOP_TASKRUN", "TASKRUN_FLAG", "SQE128", "CQE32", "SINGLE_ISSUER", "DEFER_TASKRUN", "NO_MMAP",
        "REGISTERED_FD_ONLY", "NO_SQARRAY"};

    private SetupFlags() {
    }

    /**
     * Names the flags in a mask.
     *
     * @param flags a mask
     * @return their names, lowest bit first
     */
    public static List<String> names(int flags) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            if ((flags & (1 << i)) != 0) {
                names.add(i < NAMES.length ? NAMES[i] : "BIT_" + i);
            }
        }
        return names;
    }

    /**
     * Finds a flag by name.
     *
     * @param name for example {@code "DEFER_TASKRUN"}
     * @return its bit, or 0 if unknown
     */
    public static int byName(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equalsIgnoreCase(name)) {
                return 1 << i;
            }
        }
        return 0;
    }
}
