/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The bundled BERT encoder as a DJL block (PyTorch engine), computing what the ONNX graph computes, with LoRA
 * adapters on all six matrices of every layer and additive deltas on every bias and LayerNorm. The base weights come
 * from the ONNX file and stay frozen; only adapters and deltas train, and {@link #toPatch()} exports exactly them.
 *
 * <p>A matrix is applied as {@code x W + b + scale (x A) B}: the thin path costs little and its backward pass never
 * forms a full-size weight gradient. Adapters start as {@code A} uniform in {@code +-1/sqrt(in)} (seeded) and
 * {@code B = 0}, so training starts from the base model exactly.
 *
 * <p>Inputs: token ids {@code [batch, tokens]} (int64) and a float mask {@code [batch, tokens]} (1 = real token);
 * token types are all 0, as in the runtime encoder. Output: last hidden state {@code [batch, tokens, hidden]}.
 */
final class BertBlock extends AbstractBlock {
    private static final float LAYER_NORM_EPS = 1e-12f;
    private static final int HEADS = 12;
    /** Added to attention scores of padding: exp of it is 0 in float, without the NaNs infinities can bring. */
    private static final float MASKED = -1e4f;

    private final EncoderGraph graph;
    private final int rank;
    private final float scale;
    private final float dropout;
    private final int hidden;
    private final Map<String, Parameter> base = new LinkedHashMap<>();
    private final Map<String, Parameter> loraA = new LinkedHashMap<>();
    private final Map<String, Parameter> loraB = new LinkedHashMap<>();
    private final Map<String, Parameter> deltas = new LinkedHashMap<>();

    /**
     * @param rank    adapter rank r
     * @param alpha   LoRA alpha; adapters are scaled by alpha / r
     * @param dropout hidden-state dropout in training (BERT's places: after embeddings and each dense output)
     * @param seed    seeds the adapters' initial values
     */
    BertBlock(EncoderGraph graph, int rank, float alpha, float dropout, long seed) {
        this.graph = graph;
        this.rank = rank;
        this.scale = alpha / rank;
        this.dropout = dropout;
        this.hidden = graph.hidden();
        Random random = new Random(seed);
        for (String role : graph.roles()) {
            int[] shape = graph.shape(role);
            base.put(
                    role,
                    addParameter(Parameter.builder()
                            .setName("base." + role)
                            .setType(Parameter.Type.OTHER)
                            .optShape(shapeOf(shape))
                            .optInitializer(fromGraph(role))
                            .optRequiresGrad(false)
                            .build()));
            if (shape.length == 2 && role.startsWith("layer.")) {
                float bound = (float) (1 / Math.sqrt(shape[0]));
                float[] a = new float[shape[0] * rank];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (random.nextFloat() * 2 - 1) * bound;
                }
                loraA.put(role, trainable(role + ".lora_a", new Shape(shape[0], rank), values(a)));
                loraB.put(role, trainable(role + ".lora_b", new Shape(rank, shape[1]), Initializer.ZEROS));
            } else if (shape.length == 1) {
                deltas.put(role, trainable(role + ".delta", new Shape(shape[0]), Initializer.ZEROS));
            }
        }
    }

    private Parameter trainable(String name, Shape shape, Initializer initializer) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .optInitializer(initializer)
                .build());
    }

    private Initializer fromGraph(String role) {
        return (manager, shape, type) -> manager.create(graph.values(role), shape);
    }

    private static Initializer values(float[] values) {
        return (manager, shape, type) -> manager.create(values, shape);
    }

    private static Shape shapeOf(int[] dims) {
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
        }
        return new Shape(shape);
    }

    /** The trainable parameters (adapters and deltas), by name. */
    List<Parameter> trainableParameters() {
        List<Parameter> result = new ArrayList<>(loraA.values());
        result.addAll(loraB.values());
        result.addAll(deltas.values());
        return result;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        Step step = new Step(store, inputs.get(0).getManager(), training);
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        long batch = ids.getShape().get(0);
        long tokens = ids.getShape().get(1);
        NDArray words = ids.getNDArrayInternal()
                .embedding(ids, step.base(EncoderGraph.WORD_EMBEDDINGS), SparseFormat.DENSE)
                .get(0);
        NDArray x = words.add(
                        step.local(step.base(EncoderGraph.POSITION_EMBEDDINGS).get("0:" + tokens)))
                .add(step.local(step.base(EncoderGraph.TOKEN_TYPE_EMBEDDINGS).get(0)));
        x = step.dropout(step.layerNorm(x, Norm.EMBEDDINGS_GAMMA, Norm.EMBEDDINGS_BETA));
        // [batch, 1, 1, tokens]: 0 for real tokens, MASKED for padding, broadcast over heads and query positions.
        NDArray maskBias = mask.sub(1f).mul(-MASKED).reshape(batch, 1, 1, tokens);
        for (int layer = 0; layer < graph.layers(); layer++) {
            NDArray attention = step.dropout(
                    step.dense(attend(step, x, layer, maskBias, batch, tokens), layer, Projection.ATTENTION_OUTPUT));
            x = step.layerNorm(attention.add(x), Norm.ATTENTION.gamma(layer), Norm.ATTENTION.beta(layer));
            NDArray inner = step.dense(x, layer, Projection.INTERMEDIATE);
            // Exact (erf) GELU, as in the graph.
            inner = inner.mul(inner.div((float) Math.sqrt(2)).erf().add(1f)).mul(0.5f);
            NDArray output = step.dropout(step.dense(inner, layer, Projection.OUTPUT));
            x = step.layerNorm(output.add(x), Norm.OUTPUT.gamma(layer), Norm.OUTPUT.beta(layer));
        }
        return new NDList(x);
    }

    /** Multi-head self-attention; returns the heads' outputs concatenated, before the output projection. */
    private NDArray attend(Step step, NDArray x, int layer, NDArray maskBias, long batch, long tokens) {
        long headSize = hidden / HEADS;
        NDArray query = heads(step.dense(x, layer, Projection.QUERY), batch, tokens, headSize);
        NDArray key = heads(step.dense(x, layer, Projection.KEY), batch, tokens, headSize);
        NDArray value = heads(step.dense(x, layer, Projection.VALUE), batch, tokens, headSize);
        NDArray scores = query.matMul(key.transpose(0, 1, 3, 2))
                .div((float) Math.sqrt(headSize))
                .add(maskBias);
        NDArray context = scores.softmax(-1).matMul(value);
        return context.transpose(0, 2, 1, 3).reshape(batch, tokens, hidden);
    }

    private static NDArray heads(NDArray x, long batch, long tokens, long headSize) {
        return x.reshape(batch, tokens, HEADS, headSize).transpose(0, 2, 1, 3);
    }

    /** Parameter lookups and the building blocks of one forward pass. */
    private final class Step {
        private final ParameterStore store;
        private final ai.djl.ndarray.NDManager manager;
        private final ai.djl.Device device;
        private final boolean training;

        /** @param manager the batch's manager, which owns every array this pass creates */
        Step(ParameterStore store, ai.djl.ndarray.NDManager manager, boolean training) {
            this.store = store;
            this.manager = manager;
            this.device = manager.getDevice();
            this.training = training;
        }

        /**
         * Moves an array computed from parameters alone into the batch's manager: NDArray results belong to their
         * first operand's manager, which for a parameter lives as long as the model, so each step would leak it.
         */
        NDArray local(NDArray array) {
            array.attach(manager);
            return array;
        }

        NDArray base(String role) {
            return store.getValue(base.get(role), device, training);
        }

        /** A base vector plus its trained delta. */
        NDArray vector(String role) {
            return local(base(role).add(store.getValue(deltas.get(role), device, training)));
        }

        NDArray dense(NDArray x, int layer, Projection projection) {
            String role = projection.weight(layer);
            NDArray y = x.matMul(base(role)).add(vector(projection.bias(layer)));
            NDArray low = x.matMul(store.getValue(loraA.get(role), device, training))
                    .matMul(store.getValue(loraB.get(role), device, training));
            return y.add(low.mul(scale));
        }

        NDArray layerNorm(NDArray x, String gamma, String beta) {
            return x.getNDArrayInternal()
                    .layerNorm(x, new Shape(hidden), vector(gamma), vector(beta), LAYER_NORM_EPS)
                    .get(0);
        }

        NDArray dropout(NDArray x) {
            return training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), hidden)};
    }

    /** The adapters and deltas as they are now. */
    EncoderPatch toPatch() {
        Map<String, EncoderPatch.LowRank> lowRank = new LinkedHashMap<>();
        loraA.forEach((role, a) -> {
            int[] shape = graph.shape(role);
            lowRank.put(
                    role,
                    new EncoderPatch.LowRank(
                            shape[0],
                            rank,
                            shape[1],
                            a.getArray().toFloatArray(),
                            loraB.get(role).getArray().toFloatArray()));
        });
        Map<String, float[]> vectors = new LinkedHashMap<>();
        deltas.forEach((role, delta) -> vectors.put(role, delta.getArray().toFloatArray()));
        return new EncoderPatch(scale, lowRank, vectors);
    }

    /** Sets adapters and deltas from a patch of the same rank and scale (resuming, tests). */
    void load(EncoderPatch patch) {
        if (patch.scale() != scale) {
            throw new IllegalArgumentException("patch scale " + patch.scale() + " differs from " + scale);
        }
        patch.lowRank().forEach((role, update) -> {
            loraA.get(role).getArray().set(update.a());
            loraB.get(role).getArray().set(update.b());
        });
        patch.deltas().forEach((role, delta) -> deltas.get(role).getArray().set(delta));
    }
}
