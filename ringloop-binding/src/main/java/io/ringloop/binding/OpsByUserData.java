package io.ringloop.binding;

/**
 * The epoll backend's index of waiting requests by {@code user_data}, for the cancels that name one: an open-addressing
 * table of primitive keys, linear probing, deletion by backward shift (no tombstones, so a table that sees a park and
 * a settle per receive never fills with dead slots). Several requests may share a {@code user_data}: the table keeps
 * the newest, which chains to the rest through {@link EmulatedOp#sameUserData}.
 *
 * <p>Why not a {@code HashMap<Long, EmulatedOp>}: every receive that waits for readiness is indexed and unindexed once,
 * and with a boxed key and a node per entry that was two allocations and two hashes of a boxed long per message; a
 * profile of 1000 echo connections put the map at 1.5-2 % of the loop thread's time. Loop thread only.
 */
final class OpsByUserData {
    private static final int MIN_CAPACITY = 64;

    private long[] keys = new long[MIN_CAPACITY];
    private EmulatedOp[] values = new EmulatedOp[MIN_CAPACITY];
    private int size;

    /** @return the newest waiting request with this {@code user_data}, or null */
    EmulatedOp get(long userData) {
        int mask = keys.length - 1;
        for (int i = slot(userData, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == userData) {
                return values[i];
            }
        }
        return null;
    }

    /**
     * Makes {@code op} the request found for its {@code user_data}.
     *
     * @return the request it replaces (which {@code op} should chain to), or null
     */
    EmulatedOp put(long userData, EmulatedOp op) {
        int mask = keys.length - 1;
        int i = slot(userData, mask);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == userData) {
                EmulatedOp old = values[i];
                values[i] = op;
                return old;
            }
        }
        keys[i] = userData;
        values[i] = op;
        if (++size > keys.length / 2) {
            grow();
        }
        return null;
    }

    /** Forgets {@code user_data}; a no-op if it is not here. */
    void remove(long userData) {
        int mask = keys.length - 1;
        int i = slot(userData, mask);
        while (values[i] != null && keys[i] != userData) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return;
        }
        size--;
        // Backward shift: every entry after the hole that probed past it moves into it, so no lookup stops early.
        int hole = i;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            boolean wrapsPastHole = hole <= j ? home <= hole || home > j : home <= hole && home > j;
            if (wrapsPastHole) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        EmulatedOp[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new EmulatedOp[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int k = 0; k < oldKeys.length; k++) {
            if (oldValues[k] != null) {
                int i = slot(oldKeys[k], mask);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[k];
                values[i] = oldValues[k];
            }
        }
    }

    /** A user_data is often a counter or a table index in the high bits: mix every bit into the low ones. */
    private static int slot(long key, int mask) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
