/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** The order of multi-task training steps and the learning-rate schedule over them. */
final class Schedule {
    private Schedule() {}

    /** What a step trains. */
    enum Task {
        SENTIMENT("sentiment"),
        ENTITIES("entities"),
        SENTENCES("bbc");

        final String label;

        Task(String label) {
            this.label = label;
        }
    }

    /** One training step: which task, and which examples (indices into that task's training set). */
    record Step(Task task, int[] examples) {}

    /**
     * Each task's examples in batches of similar token length (little padding), all batches of an epoch in one
     * seeded shuffled order: the tasks alternate at random, in proportion to their number of batches; every example
     * comes once per epoch. A pure function of its arguments, so a resumed run finds the same step at the same index.
     *
     * @param sentimentLengths token count of each SST-2 training text
     * @param entityLengths    token count of each CoNLL training sentence
     * @param sentenceLengths  token count of each BBC chunk (empty: no such steps)
     */
    static List<Step> steps(
            int[] sentimentLengths,
            int sentimentBatch,
            int[] entityLengths,
            int entityBatch,
            int[] sentenceLengths,
            int sentenceBatch,
            int epochs,
            Random random) {
        List<Step> steps = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            List<Step> epochSteps = new ArrayList<>();
            lengthBatches(sentimentLengths, sentimentBatch).forEach(b -> epochSteps.add(new Step(Task.SENTIMENT, b)));
            lengthBatches(entityLengths, entityBatch).forEach(b -> epochSteps.add(new Step(Task.ENTITIES, b)));
            lengthBatches(sentenceLengths, sentenceBatch).forEach(b -> epochSteps.add(new Step(Task.SENTENCES, b)));
            Collections.shuffle(epochSteps, random);
            steps.addAll(epochSteps);
        }
        return steps;
    }

    private static List<int[]> lengthBatches(int[] lengths, int batchSize) {
        Integer[] order = new Integer[lengths.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int[] batch = new int[Math.min(order.length, from + batchSize) - from];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = order[from + i];
            }
            batches.add(batch);
        }
        return batches;
    }

    /** Linear warm-up to 1 over {@code warmup} steps, then linear decay towards 0 at step {@code total}. */
    static float rateFactor(int step, int warmup, int total) {
        if (step < warmup) {
            return (step + 1f) / warmup;
        }
        return Math.max(0f, (float) (total - step) / (total - warmup));
    }
}
