/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

/**
 * The dense matrix product the task heads run at inference, in plain Java: {@code out += in · w} for row-major
 * {@code in [rows x inWidth]}, {@code w [inWidth x outWidth]} and {@code out [rows x outWidth]}.
 *
 * <p>Why not the obvious triple loop: a head's weight matrix (0.4-1.6 MB) does not stay in the CPU caches when it is
 * streamed once per token, and then the heads cost more than the int8 encoder itself. Here the input dimensions are
 * taken in blocks whose weight rows stay in cache while every row of {@code in} uses them, and four input dimensions
 * are folded into each pass over an output row, so each output value is loaded and stored a quarter as often. The
 * inner loops run over contiguous memory, which the JIT vectorises.
 */
public final class Dense {
    /** Input dimensions per block: 32 weight rows of 256 floats are 32 KB, about an L1 data cache. */
    private static final int BLOCK = 32;

    private Dense() {}

    /** {@code out[rows x outWidth] += in[rows x inWidth] · w[inWidth x outWidth]}, all row-major. */
    public static void multiplyAdd(float[] in, int rows, int inWidth, float[] w, int outWidth, float[] out) {
        if (in.length < rows * inWidth || w.length != inWidth * outWidth || out.length < rows * outWidth) {
            throw new IllegalArgumentException("shape mismatch: in " + in.length + " for " + rows + "x" + inWidth
                    + ", w " + w.length + " for " + inWidth + "x" + outWidth + ", out " + out.length);
        }
        for (int blockStart = 0; blockStart < inWidth; blockStart += BLOCK) {
            int blockEnd = Math.min(blockStart + BLOCK, inWidth);
            for (int row = 0; row < rows; row++) {
                int x = row * inWidth;
                int o = row * outWidth;
                int k = blockStart;
                for (; k + 3 < blockEnd; k += 4) {
                    float a0 = in[x + k];
                    float a1 = in[x + k + 1];
                    float a2 = in[x + k + 2];
                    float a3 = in[x + k + 3];
                    if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f) {
                        continue; // hashed-feature embeddings and ReLU outputs are often zero
                    }
                    int w0 = k * outWidth;
                    int w1 = w0 + outWidth;
                    int w2 = w1 + outWidth;
                    int w3 = w2 + outWidth;
                    for (int p = 0; p < outWidth; p++) {
                        out[o + p] += a0 * w[w0 + p] + a1 * w[w1 + p] + a2 * w[w2 + p] + a3 * w[w3 + p];
                    }
                }
                for (; k < blockEnd; k++) {
                    float a = in[x + k];
                    if (a == 0f) {
                        continue;
                    }
                    int wk = k * outWidth;
                    for (int p = 0; p < outWidth; p++) {
                        out[o + p] += a * w[wk + p];
                    }
                }
            }
        }
    }

    /** {@code tanh}, through one {@link Math#exp} (an intrinsic) instead of {@link Math#tanh}, which is several times slower. */
    public static float tanh(float x) {
        if (x > 15f) {
            return 1f;
        }
        if (x < -15f) {
            return -1f;
        }
        float e = (float) Math.exp(2.0 * x);
        return (e - 1f) / (e + 1f);
    }
}
