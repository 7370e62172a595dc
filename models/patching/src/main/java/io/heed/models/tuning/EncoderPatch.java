/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import io.heed.models.HeadFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small file of changes to the bundled encoder's weights: low-rank updates of weight matrices (LoRA,
 * {@code W' = W + scale * A * B} with {@code A [in, r]}, {@code B [r, out]}, in the graph's {@code [in, out]} layout)
 * and additive deltas of small vectors (biases, LayerNorm gamma/beta). Stored in the {@link HeadFile} format.
 *
 * <p>Why LoRA rather than full fine-tuning followed by a truncated SVD of the deltas: the adapters are the patch, so
 * what ships is exactly what was trained (an SVD would ship an approximation of it and needs the dense deltas, 22.6 M
 * values, kept through training), and the optimizer only holds state for the adapters. Size at rank 16 on all 36
 * matrices of MiniLM-L6: per layer 4 x 16 x (384 + 384) + 2 x 16 x (384 + 1536) = 110,592, x 6 layers = 663,552
 * values; deltas of all 36 biases and 13 LayerNorms add 30,720; about 2.8 MB as float32.
 */
public final class EncoderPatch {
    public static final String FORMAT = "heed-encoder-lora-v1";
    private static final String SCALE = "lora.scale";
    private static final String A = ".lora_a";
    private static final String B = ".lora_b";
    private static final String DELTA = ".delta";

    /** A low-rank update of one {@code [in, out]} matrix: {@code a} is {@code [in, rank]}, {@code b} {@code [rank, out]}. */
    public record LowRank(int in, int rank, int out, float[] a, float[] b) {
        public LowRank {
            if (a.length != in * rank || b.length != rank * out) {
                throw new IllegalArgumentException("low-rank factors do not match " + in + " x " + rank + " x " + out);
            }
        }

        /** {@code base + scale * a * b}, accumulated in double so only the final sum is rounded to float. */
        float[] addTo(float[] base, float scale) {
            if (base.length != in * out) {
                throw new IllegalArgumentException(
                        "matrix has " + base.length + " values, update is " + in + " x " + out);
            }
            float[] result = new float[base.length];
            double[] row = new double[out];
            for (int i = 0; i < in; i++) {
                java.util.Arrays.fill(row, 0);
                for (int k = 0; k < rank; k++) {
                    double aik = a[i * rank + k];
                    for (int j = 0; j < out; j++) {
                        row[j] += aik * b[k * out + j];
                    }
                }
                for (int j = 0; j < out; j++) {
                    result[i * out + j] = (float) (base[i * out + j] + scale * row[j]);
                }
            }
            return result;
        }
    }

    private final float scale;
    private final Map<String, LowRank> lowRank;
    private final Map<String, float[]> deltas;

    /**
     * @param scale   LoRA's alpha / rank, applied to every low-rank product
     * @param lowRank updates of weight matrices, by role ({@link Projection#weight})
     * @param deltas  additive updates of 1-D tensors, by role (biases, LayerNorm gamma and beta)
     */
    public EncoderPatch(float scale, Map<String, LowRank> lowRank, Map<String, float[]> deltas) {
        this.scale = scale;
        this.lowRank = new LinkedHashMap<>(lowRank);
        this.deltas = new LinkedHashMap<>(deltas);
    }

    public float scale() {
        return scale;
    }

    public Map<String, LowRank> lowRank() {
        return java.util.Collections.unmodifiableMap(lowRank);
    }

    public Map<String, float[]> deltas() {
        return java.util.Collections.unmodifiableMap(deltas);
    }

    /** Values stored in the patch. */
    public long parameterCount() {
        long count = 0;
        for (LowRank update : lowRank.values()) {
            count += update.a().length + update.b().length;
        }
        for (float[] delta : deltas.values()) {
            count += delta.length;
        }
        return count;
    }

    /** The patched values of every role the patch touches, computed from the base graph's values. */
    public Map<String, float[]> patchedValues(EncoderGraph base) {
        Map<String, float[]> values = new LinkedHashMap<>();
        lowRank.forEach((role, update) -> values.put(role, update.addTo(base.values(role), scale)));
        deltas.forEach((role, delta) -> {
            float[] original = base.values(role);
            if (original.length != delta.length) {
                throw new IllegalArgumentException(role + " has " + original.length + " values, delta " + delta.length);
            }
            float[] sum = new float[original.length];
            for (int i = 0; i < sum.length; i++) {
                sum[i] = original[i] + delta[i];
            }
            values.put(role, sum);
        });
        return values;
    }

    public HeadFile toHeadFile() {
        Map<String, HeadFile.Tensor> tensors = new LinkedHashMap<>();
        tensors.put(SCALE, new HeadFile.Tensor(new int[] {1}, new float[] {scale}));
        lowRank.forEach((role, u) -> {
            tensors.put(role + A, new HeadFile.Tensor(new int[] {u.in(), u.rank()}, u.a()));
            tensors.put(role + B, new HeadFile.Tensor(new int[] {u.rank(), u.out()}, u.b()));
        });
        deltas.forEach((role, d) -> tensors.put(role + DELTA, new HeadFile.Tensor(new int[] {d.length}, d)));
        return new HeadFile(FORMAT, List.of(), tensors);
    }

    public static EncoderPatch fromHeadFile(HeadFile file) {
        if (!FORMAT.equals(file.format())) {
            throw new IllegalArgumentException(
                    "not an encoder patch: format " + file.format() + ", expected " + FORMAT);
        }
        float scale = file.tensor(SCALE, 1).values()[0];
        Map<String, LowRank> lowRank = new LinkedHashMap<>();
        Map<String, float[]> deltas = new LinkedHashMap<>();
        file.tensors().forEach((name, tensor) -> {
            if (name.endsWith(A)) {
                String role = name.substring(0, name.length() - A.length());
                HeadFile.Tensor b = file.tensors().get(role + B);
                if (b == null) {
                    throw new IllegalArgumentException("patch has " + name + " but no " + role + B);
                }
                lowRank.put(
                        role,
                        new LowRank(tensor.shape()[0], tensor.shape()[1], b.shape()[1], tensor.values(), b.values()));
            } else if (name.endsWith(DELTA)) {
                deltas.put(name.substring(0, name.length() - DELTA.length()), tensor.values());
            }
        });
        return new EncoderPatch(scale, lowRank, deltas);
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            toHeadFile().write(out);
        }
    }

    public static EncoderPatch read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return fromHeadFile(HeadFile.read(in, file.toString()));
        }
    }
}
