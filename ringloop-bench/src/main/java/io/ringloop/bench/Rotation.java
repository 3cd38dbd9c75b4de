package io.ringloop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * How far the rounds of one system are from each other: {@code round_median} (the median round's rate, in the
     * row's unit per second) and {@code round_spread} (fastest ÷ slowest round), as execute_throughput reports them.
     * Nothing for fewer than two rounds.
     */
    static void spread(Map<String, Object> extra, List<Double> rates) {
        if (rates.size() < 2) {
            return;
        }
        List<Double> sorted = rates.stream().sorted().toList();
        int n = sorted.size();
        extra.put("round_median", n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
        if (sorted.getFirst() > 0) {
            extra.put("round_spread", sorted.getLast() / sorted.getFirst());
        }
    }
}
