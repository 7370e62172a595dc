/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;

/** A {@link BertBlock} on the PyTorch engine, initialised from a graph, plus the runtime tokenizer: for tests. */
final class EncoderFixture implements AutoCloseable {
    final Model model;
    final BertBlock block;
    final NDManager manager;

    EncoderFixture(EncoderGraph graph, int rank, float alpha, long seed) {
        model = Model.newInstance("bert-fixture", "PyTorch");
        block = new BertBlock(graph, rank, alpha, 0f, seed);
        model.setBlock(block);
        manager = model.getNDManager();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
    }

    /** Last hidden states of each text's real tokens, {@code tokens x hidden} row-major, from one padded batch. */
    float[][] encode(HuggingFaceTokenizer tokenizer, List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int width =
                Arrays.stream(encodings).mapToInt(e -> e.getIds().length).max().orElseThrow();
        long[] ids = new long[texts.size() * width];
        float[] mask = new float[texts.size() * width];
        for (int b = 0; b < encodings.length; b++) {
            long[] row = encodings[b].getIds();
            System.arraycopy(row, 0, ids, b * width, row.length);
            Arrays.fill(mask, b * width, b * width + row.length, 1f);
        }
        try (NDManager batch = manager.newSubManager()) {
            NDList out = block.forward(
                    new ParameterStore(batch, false),
                    new NDList(
                            batch.create(ids, new Shape(texts.size(), width)),
                            batch.create(mask, new Shape(texts.size(), width))),
                    false);
            float[] all = out.singletonOrThrow().toFloatArray();
            int hidden = all.length / (texts.size() * width);
            float[][] result = new float[texts.size()][];
            for (int b = 0; b < encodings.length; b++) {
                result[b] = Arrays.copyOfRange(
                        all, b * width * hidden, (b * width + encodings[b].getIds().length) * hidden);
            }
            return result;
        }
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Override
    public void close() {
        model.close();
    }
}
