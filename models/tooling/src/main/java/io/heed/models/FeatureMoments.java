/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

/**
 * Per-dimension mean and standard deviation of feature vectors, accumulated one vector at a time: the training
 * statistics the task heads z-score their encoder-state inputs with.
 */
public final class FeatureMoments {
    private final double[] sum;
    private final double[] sumSquares;
    private long count;

    public FeatureMoments(int width) {
        this.sum = new double[width];
        this.sumSquares = new double[width];
    }

    /** Adds the vector of {@code width} values starting at {@code offset}. */
    public void add(float[] values, int offset) {
        for (int d = 0; d < sum.length; d++) {
            double value = values[offset + d];
            sum[d] += value;
            sumSquares[d] += value * value;
        }
        count++;
    }

    /** {@code {mean, std}}; the variance is floored at 1e-12 so a constant dimension does not divide by zero. */
    public float[][] meanAndStd() {
        return meanAndStd(1e-6);
    }

    /**
     * {@code {mean, std}} with every std at least {@code minStd}. Heads trained on a changing encoder (fine-tuning)
     * need a real floor: MiniLM's output has dimensions that are constant on the base model (std below 1e-5), and once
     * the encoder moves them, z-scoring by that std would amplify the change a hundred-thousand-fold.
     */
    public float[][] meanAndStd(double minStd) {
        float[] mean = new float[sum.length];
        float[] std = new float[sum.length];
        for (int d = 0; d < sum.length; d++) {
            double m = sum[d] / count;
            mean[d] = (float) m;
            std[d] = (float) Math.max(Math.sqrt(Math.max(sumSquares[d] / count - m * m, 0)), minStd);
        }
        return new float[][] {mean, std};
    }
}
