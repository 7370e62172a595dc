/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.heed.models.HeadFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entity head as a DJL block, for training with DJL's training API (PyTorch here). Computes exactly what
 * {@link EntityHead} computes in plain Java, per word; the z-score statistics are frozen parameters so the exported
 * file holds everything inference needs. Dropout on the window input applies in training only.
 *
 * <p>Inputs, for N words each seen with its window of {@value EntityHead#WINDOW} words (previous, current, next):
 * states {@code [N, 3, hidden]}, stateMask {@code [N, 3]} (1 = the word has a wordpiece state), flags
 * {@code [N, 3, FLAG_COUNT]}, ids {@code [N, 3, ID_COUNT]} (int64), present {@code [N, 3]} (0 past the text's
 * edges). Outputs: tag scores (emissions) {@code [N, labels]}, and the linear-chain CRF's transition scores
 * {@code [labels, labels]} (from, to), start scores {@code [labels]} and end scores {@code [labels]}, which the
 * training loss ({@link CrfLoss}) combines with the emissions of whole sentences.
 */
final class EntityHeadBlock extends AbstractBlock {
    private final int labelCount;
    private final int wordWidth;
    private final float dropout;
    private final Parameter mean;
    private final Parameter std;
    private final Parameter embeddings;
    private final Parameter w1;
    private final Parameter b1;
    private final Parameter w2;
    private final Parameter b2;
    private final Parameter transitions;
    private final Parameter start;
    private final Parameter end;

    EntityHeadBlock(int hidden, int buckets, int embeddingDim, int projection, int labelCount, float dropout) {
        this.labelCount = labelCount;
        this.wordWidth = EntityHead.wordWidth(hidden, embeddingDim);
        this.dropout = dropout;
        mean = addParameter(frozen("mean", new Shape(hidden), 0f));
        std = addParameter(frozen("std", new Shape(hidden), 1f));
        embeddings = addParameter(Parameter.builder()
                .setName("embeddings")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(buckets, embeddingDim))
                .optInitializer(new NormalInitializer(0.1f))
                .build());
        w1 = addParameter(weight("w1", new Shape((long) EntityHead.WINDOW * wordWidth, projection)));
        b1 = addParameter(bias("b1", new Shape(projection)));
        w2 = addParameter(weight("w2", new Shape(projection, labelCount)));
        b2 = addParameter(bias("b2", new Shape(labelCount)));
        transitions = addParameter(bias("transitions", new Shape(labelCount, labelCount)));
        start = addParameter(bias("start", new Shape(labelCount)));
        end = addParameter(bias("end", new Shape(labelCount)));
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
        NDArray stateMask = inputs.get(1);
        NDArray flags = inputs.get(2);
        NDArray ids = inputs.get(3);
        NDArray present = inputs.get(4);
        var device = states.getDevice();
        long words = states.getShape().get(0);
        NDArray z = states.sub(store.getValue(mean, device, training))
                .div(store.getValue(std, device, training))
                .mul(stateMask.expandDims(2));
        NDArray table = store.getValue(embeddings, device, training);
        NDArray embedded = ids.getNDArrayInternal()
                .embedding(ids, table, SparseFormat.DENSE)
                .get(0)
                .reshape(words, EntityHead.WINDOW, -1);
        NDArray vectors = NDArrays.concat(new NDList(z, flags, embedded), 2).mul(present.expandDims(2));
        NDArray window = vectors.reshape(words, (long) EntityHead.WINDOW * wordWidth);
        if (training && dropout > 0) {
            window = Dropout.dropout(window, dropout, true).singletonOrThrow();
        }
        NDArray hiddenLayer = Activation.relu(
                window.matMul(store.getValue(w1, device, training)).add(store.getValue(b1, device, training)));
        NDArray logits =
                hiddenLayer.matMul(store.getValue(w2, device, training)).add(store.getValue(b2, device, training));
        return new NDList(
                logits,
                store.getValue(transitions, device, training),
                store.getValue(start, device, training),
                store.getValue(end, device, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape labels = new Shape(labelCount);
        return new Shape[] {
            new Shape(inputShapes[0].get(0), labelCount), new Shape(labelCount, labelCount), labels, labels
        };
    }

    /** Sets the frozen z-score statistics (call after initialisation). */
    void setNormalization(float[] meanValues, float[] stdValues) {
        mean.getArray().set(meanValues);
        std.getArray().set(stdValues);
    }

    private List<Parameter> exported() {
        return List.of(mean, std, embeddings, w1, b1, w2, b2, transitions, start, end);
    }

    /** The block's current weights as a head file that {@link EntityHead} reads. */
    HeadFile toHeadFile(List<String> labels) {
        Map<String, HeadFile.Tensor> tensors = new LinkedHashMap<>();
        for (Parameter parameter : exported()) {
            NDArray array = parameter.getArray();
            long[] shape = array.getShape().getShape();
            int[] dims = new int[shape.length];
            for (int i = 0; i < shape.length; i++) {
                dims[i] = Math.toIntExact(shape[i]);
            }
            tensors.put(parameter.getName(), new HeadFile.Tensor(dims, array.toFloatArray()));
        }
        return new HeadFile(EntityHead.FORMAT, labels, tensors);
    }

    /** Loads weights from a head file into this (initialised) block. */
    void load(HeadFile file) {
        for (Parameter parameter : exported()) {
            parameter.getArray().set(file.tensors().get(parameter.getName()).values());
        }
    }
}
