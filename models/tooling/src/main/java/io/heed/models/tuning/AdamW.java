/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import io.heed.models.HeadFile;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (decoupled weight decay) over DJL parameters, written out rather than taken from DJL's optimizer so that its
 * state (moments and step counts) can be checkpointed and restored, and so a step can clip the global gradient norm
 * and be skipped when it is not finite. Gradients are zeroed by assignment, never by {@code g - g} (which leaves a
 * NaN or infinite gradient NaN for good).
 *
 * <p>Each parameter keeps its own step count: in multi-task training a task head is updated only on its own steps.
 * Updates run outside any gradient collector, where the PyTorch engine records no graph.
 */
final class AdamW {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final NDManager manager;
    private final Map<String, NDArray> first = new HashMap<>();
    private final Map<String, NDArray> second = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    AdamW(NDManager manager) {
        this.manager = manager;
    }

    /** A set of parameters updated with one learning rate and weight decay, under a unique name prefix. */
    record Group(String prefix, List<Parameter> parameters, float learningRate, float weightDecay) {}

    /** Global L2 norm of the groups' gradients; NaN or infinite if any gradient is. */
    double gradientNorm(List<Group> groups) {
        double sum = 0;
        try (NDManager scratch = manager.newSubManager()) {
            for (Group group : groups) {
                for (Parameter parameter : group.parameters()) {
                    try (NDArray gradient = parameter.getArray().getGradient()) {
                        sum += on(scratch, on(scratch, gradient.square()).sum()).getFloat();
                    }
                }
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * One update of every group, gradients first multiplied by {@code gradientScale} (clipping), learning rates by
     * {@code rateFactor} (schedule). Zeroes the gradients afterwards. Every temporary array lives in a scratch
     * manager (results of NDArray ops belong to their first operand's manager, here long-lived ones).
     */
    void step(List<Group> groups, float gradientScale, float rateFactor) {
        for (Group group : groups) {
            float rate = group.learningRate() * rateFactor;
            for (Parameter parameter : group.parameters()) {
                String key = group.prefix() + parameter.getName();
                NDArray weight = parameter.getArray();
                int t = steps.merge(key, 1, Integer::sum);
                NDArray m = first.computeIfAbsent(key, k -> zerosLike(weight));
                NDArray v = second.computeIfAbsent(key, k -> zerosLike(weight));
                try (NDArray gradient = weight.getGradient();
                        NDManager scratch = manager.newSubManager()) {
                    NDArray g = on(scratch, gradient.mul(gradientScale));
                    m.muli(BETA1).addi(g.mul(1 - BETA1));
                    v.muli(BETA2).addi(g.square().muli(1 - BETA2));
                    float correction1 = (float) (1 - Math.pow(BETA1, t));
                    float correction2 = (float) (1 - Math.pow(BETA2, t));
                    NDArray denominator =
                            on(scratch, on(scratch, v.div(correction2)).sqrt()).addi(EPSILON);
                    NDArray update =
                            on(scratch, m.div(correction1)).divi(denominator).muli(rate);
                    weight.muli(1 - rate * group.weightDecay()).subi(update);
                }
            }
        }
        zeroGradients(groups);
    }

    private static NDArray on(NDManager scratch, NDArray array) {
        array.attach(scratch);
        return array;
    }

    /**
     * Sets the groups' gradients to 0 after a step. The gradients are finite here (the step checked their norm), so
     * multiplying by 0 in place clears them without creating arrays.
     */
    static void zeroGradients(List<Group> groups) {
        for (Group group : groups) {
            for (Parameter parameter : group.parameters()) {
                try (NDArray gradient = parameter.getArray().getGradient()) {
                    gradient.muli(0f);
                }
            }
        }
    }

    /**
     * Clears gradients that may hold NaN or infinite values (a skipped step): {@code g * 0} and {@code g - g} keep
     * NaN, so they are overwritten by index assignment. (Never {@code set(float[])}: on CPU it makes the tensor
     * share a Java buffer owned by the short-lived gradient handle.) Returns the names of the parameters whose
     * gradients were not finite, for the log.
     */
    static List<String> clearNonFinite(List<Group> groups) {
        List<String> nonFinite = new java.util.ArrayList<>();
        for (Group group : groups) {
            for (Parameter parameter : group.parameters()) {
                try (NDArray gradient = parameter.getArray().getGradient();
                        NDManager scratch = gradient.getManager().newSubManager()) {
                    NDArray nan = on(scratch, gradient.isNaN());
                    NDArray bad = on(
                            scratch,
                            on(scratch, nan.logicalOr(on(scratch, gradient.isInfinite())))
                                    .any());
                    if (bad.getBoolean()) {
                        nonFinite.add(group.prefix() + parameter.getName());
                    }
                    gradient.set(new NDIndex("..."), 0f);
                }
            }
        }
        return nonFinite;
    }

    private NDArray zerosLike(NDArray array) {
        return manager.zeros(array.getShape(), array.getDataType());
    }

    /** Moments and step counts, for a checkpoint. */
    HeadFile state() {
        Map<String, HeadFile.Tensor> tensors = new LinkedHashMap<>();
        for (String key : steps.keySet().stream().sorted().toList()) {
            int[] shape = toInts(first.get(key).getShape().getShape());
            tensors.put("m/" + key, new HeadFile.Tensor(shape, first.get(key).toFloatArray()));
            tensors.put("v/" + key, new HeadFile.Tensor(shape, second.get(key).toFloatArray()));
            tensors.put("t/" + key, new HeadFile.Tensor(new int[] {1}, new float[] {steps.get(key)}));
        }
        return new HeadFile("heed-adamw-state-v1", List.of(), tensors);
    }

    /** Restores {@link #state()}. */
    void restore(HeadFile state) {
        state.tensors().forEach((name, tensor) -> {
            String key = name.substring(2);
            long[] shape =
                    java.util.Arrays.stream(tensor.shape()).asLongStream().toArray();
            switch (name.substring(0, 2)) {
                case "m/" -> first.put(key, manager.create(tensor.values(), new ai.djl.ndarray.types.Shape(shape)));
                case "v/" -> second.put(key, manager.create(tensor.values(), new ai.djl.ndarray.types.Shape(shape)));
                case "t/" -> steps.put(key, (int) tensor.values()[0]);
                default -> throw new IllegalArgumentException("unknown optimizer state entry " + name);
            }
        });
    }

    private static int[] toInts(long[] shape) {
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = Math.toIntExact(shape[i]);
        }
        return dims;
    }
}
