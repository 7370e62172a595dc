/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Measures designs again and again in interleaved rounds (A B C, A B C, ...) and reports each ratio as the median of
 * its per-round ratios. On a small shared machine a design's records/s drifts by a quarter from one minute to the
 * next; measured in the same round, both sides of a ratio meet the same spell, and the median of several rounds
 * drops the odd one out. The range of the per-round ratios is printed beside it, so the reader sees the noise.
 */
final class InterleavedRounds {

    /** A ratio of two designs' records/s, with the goal it is held against (empty for none). */
    record Ratio(String label, String numerator, String denominator, boolean timesFormat, String goal) {}

    private final Map<String, Callable<Double>> designs = new LinkedHashMap<>();

    /** Adds a design, measured once per round in the order added; a failed measurement counts as missing. */
    InterleavedRounds add(String design, Callable<Double> recordsPerSecond) {
        designs.put(design, recordsPerSecond);
        return this;
    }

    /** Records/s of every design in every round; NaN where a measurement failed. */
    Map<String, double[]> measure(int rounds) {
        Map<String, double[]> results = new LinkedHashMap<>();
        designs.keySet().forEach(design -> results.put(design, new double[rounds]));
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Callable<Double>> design : designs.entrySet()) {
                double rate;
                try {
                    rate = design.getValue().call();
                } catch (Exception e) {
                    System.err.printf(Locale.ROOT, "  round %d, %s failed: %s%n", round + 1, design.getKey(), e);
                    rate = Double.NaN;
                }
                results.get(design.getKey())[round] = rate;
                System.err.printf(Locale.ROOT, "  round %d, %s: %.1f records/s%n", round + 1, design.getKey(), rate);
            }
        }
        return results;
    }

    /** The per-round records/s of every design, and its median. */
    static String ratesTable(Map<String, double[]> results) {
        int rounds = results.values().iterator().next().length;
        StringBuilder out = new StringBuilder("| design |");
        for (int round = 1; round <= rounds; round++) {
            out.append(" round ").append(round).append(" |");
        }
        out.append(" median |\n|---|").append("---|".repeat(rounds + 1)).append('\n');
        results.forEach((design, rates) -> {
            out.append("| ").append(design).append(" |");
            for (double rate : rates) {
                out.append(' ')
                        .append(Double.isNaN(rate) ? "failed" : format(rate, "%.1f"))
                        .append(" |");
            }
            out.append(' ').append(format(median(rates), "%.1f")).append(" |\n");
        });
        return out.toString();
    }

    /** Each ratio's median over the rounds, its range, and its goal. */
    static String ratiosTable(Map<String, double[]> results, List<Ratio> ratios) {
        StringBuilder out = new StringBuilder("| ratio | median of rounds | range | goal |\n|---|---|---|---|\n");
        for (Ratio ratio : ratios) {
            double[] perRound = perRound(results.get(ratio.numerator()), results.get(ratio.denominator()));
            String unit = ratio.timesFormat() ? "x" : "";
            double[] present =
                    Arrays.stream(perRound).filter(r -> !Double.isNaN(r)).toArray();
            String median =
                    present.length == 0 ? "n/a (no round finished both)" : format(median(present), "%.2f") + unit;
            String range = present.length == 0
                    ? ""
                    : format(Arrays.stream(present).min().orElseThrow(), "%.2f") + " to "
                            + format(Arrays.stream(present).max().orElseThrow(), "%.2f");
            out.append("| ")
                    .append(ratio.label())
                    .append(" | ")
                    .append(median)
                    .append(" | ")
                    .append(range)
                    .append(" | ")
                    .append(ratio.goal())
                    .append(" |\n");
        }
        return out.toString();
    }

    private static double[] perRound(double[] numerator, double[] denominator) {
        double[] ratios = new double[numerator.length];
        for (int round = 0; round < ratios.length; round++) {
            ratios[round] = numerator[round] / denominator[round];
        }
        return ratios;
    }

    /** The median of the values that are not NaN; NaN if there are none. */
    static double median(double[] values) {
        List<Double> present = new ArrayList<>();
        for (double value : values) {
            if (!Double.isNaN(value)) {
                present.add(value);
            }
        }
        if (present.isEmpty()) {
            return Double.NaN;
        }
        present.sort(null);
        int middle = present.size() / 2;
        return present.size() % 2 == 1 ? present.get(middle) : (present.get(middle - 1) + present.get(middle)) / 2;
    }

    private static String format(double value, String pattern) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, pattern, value);
    }
}
