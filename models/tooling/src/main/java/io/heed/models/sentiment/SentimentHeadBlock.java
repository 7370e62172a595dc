/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.heed.models.HeadFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sentiment head as a DJL block, for training with DJL's training API on any engine that implements the maths
 * (PyTorch here). Computes exactly what {@link SentimentHead} computes in plain Java; the z-score statistics are
 * frozen parameters so the exported file holds everything inference needs.
 *
 * <p>Inputs: token states {@code [batch, tokens, hidden]} and a float mask {@code [batch, tokens]} (1 = real token).
 * Outputs: logits {@code [batch, labels]} and attention {@code [batch, tokens]}.
 */
final class SentimentHeadBlock extends AbstractBlock {
    private static final float MASKED_SCORE = -1e9f;

    private final int labelCount;
    private final Parameter mean;
    private final Parameter std;
    private final Parameter w1;
    private final Parameter b1;
    private final Parameter query;
    private final Parameter w2;
    private final Parameter b2;

    SentimentHeadBlock(int hidden, int projection, int labelCount) {
        this.labelCount = labelCount;
        mean = addParameter(frozen("mean", new Shape(hidden), 0f));
        std = addParameter(frozen("std", new Shape(hidden), 1f));
        w1 = addParameter(weight("w1", new Shape(hidden, projection)));
        b1 = addParameter(bias("b1", new Shape(projection)));
        query = addParameter(weight("query", new Shape(projection, 1)));
        w2 = addParameter(weight("w2", new Shape(projection, labelCount)));
        b2 = addParameter(bias("b2", new Shape(labelCount)));
    }

    private static Parameter frozen(String name, Shape shape, float value) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(shape)
                .optInitializer(new ConstantInitializer(value))
                .optRequiresGrad(false)
                .build();
    }

    private static Parameter weight(String name, Shape shape) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .optInitializer(new XavierInitializer())
                .build();
    }

    private static Parameter bias(String name, Shape shape) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.BIAS)
                .optShape(shape)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray states = inputs.get(0);
        NDArray mask = inputs.get(1);
        var device = states.getDevice();
        NDArray x = states.sub(store.getValue(mean, device, training)).div(store.getValue(std, device, training));
        NDArray u = x.matMul(store.getValue(w1, device, training))
                .add(store.getValue(b1, device, training))
                .tanh();
        NDArray scores = u.matMul(store.getValue(query, device, training)).squeeze(2);
        // Padding gets a score of -1e9 so softmax gives it zero weight, as if the text had no padding.
        scores = scores.add(mask.sub(1f).mul(-MASKED_SCORE));
        NDArray attention = scores.softmax(1);
        NDArray pooled = u.mul(attention.expandDims(2)).sum(new int[] {1});
        NDArray logits = pooled.matMul(store.getValue(w2, device, training)).add(store.getValue(b2, device, training));
        return new NDList(logits, attention);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, labelCount), new Shape(batch, inputShapes[0].get(1))};
    }

    /** Sets the frozen z-score statistics (call after initialisation). */
    void setNormalization(float[] meanValues, float[] stdValues) {
        mean.getArray().set(meanValues);
        std.getArray().set(stdValues);
    }

    /** The block's current weights as a head file that {@link SentimentHead} reads. */
    HeadFile toHeadFile(List<String> labels) {
        Map<String, HeadFile.Tensor> tensors = new LinkedHashMap<>();
        for (Parameter parameter : List.of(mean, std, w1, b1, query, w2, b2)) {
            NDArray array = parameter.getArray();
            long[] shape = array.getShape().getShape();
            int[] dims = parameter == query ? new int[] {(int) shape[0]} : toInts(shape);
            tensors.put(parameter.getName(), new HeadFile.Tensor(dims, array.toFloatArray()));
        }
        return new HeadFile(SentimentHead.FORMAT, labels, tensors);
    }

    /** Loads weights from a head file into this (initialised) block. */
    void load(HeadFile file) {
        for (Parameter parameter : List.of(mean, std, w1, b1, query, w2, b2)) {
            parameter.getArray().set(file.tensors().get(parameter.getName()).values());
        }
    }

    private static int[] toInts(long[] shape) {
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = (int) shape[i];
        }
        return dims;
    }
}
