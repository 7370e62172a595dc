/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/** Seeded random encoder patches for tests: large enough to move the outputs, so a patch lost on the way shows. */
final class RandomPatch {
    private RandomPatch() {}

    /**
     * A patch of every layer matrix and every bias and LayerNorm of the graph: A uniform in ±1/sqrt(in) as LoRA
     * initialises it, B and the deltas Gaussian with standard deviation {@code std}.
     */
    static EncoderPatch of(EncoderGraph graph, int rank, float scale, float std, Random random) {
        Map<String, EncoderPatch.LowRank> lowRank = new LinkedHashMap<>();
        Map<String, float[]> deltas = new LinkedHashMap<>();
        for (String role : new TreeSet<>(graph.roles())) { // sorted: the roles' set has no stable order across runs
            int[] shape = graph.shape(role);
            if (shape.length == 2 && role.startsWith("layer.")) {
                float[] a = new float[shape[0] * rank];
                float bound = (float) (1 / Math.sqrt(shape[0]));
                for (int i = 0; i < a.length; i++) {
                    a[i] = (random.nextFloat() * 2 - 1) * bound;
                }
                lowRank.put(
                        role,
                        new EncoderPatch.LowRank(shape[0], rank, shape[1], a, noise(rank * shape[1], std, random)));
            } else if (shape.length == 1) {
                deltas.put(role, noise(shape[0], std, random));
            }
        }
        return new EncoderPatch(scale, lowRank, deltas);
    }

    static float[] noise(int size, float std, Random random) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian() * std;
        }
        return values;
    }
}
