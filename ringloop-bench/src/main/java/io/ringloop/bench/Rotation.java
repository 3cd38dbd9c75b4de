package io.ringloop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** Runs every item once per round, each round starting one item later, so no system always goes first or last. */
final class Rotation {
    private Rotation() {
    }

    static <T> void rounds(List<T> items, int rounds, BiConsumer<Integer, T> slice) {
        int n = items.size();
        for (int round = 0; round < rounds; round++) {
            List<T> order = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                order.add(items.get((i + round) % n));
            }
            for (T item : order) {
                slice.accept(round, item);
            }
        }
    }
}
