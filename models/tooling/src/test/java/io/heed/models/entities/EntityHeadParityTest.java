/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.heed.models.HeadFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The DJL training block (PyTorch) and the plain-Java inference head compute the same function. */
class EntityHeadParityTest {
    private static final int HIDDEN = 24;
    private static final int BUCKETS = 64;
    private static final int EMBEDDING_DIM = 4;
    private static final int PROJECTION = 16;
    private static final List<String> LABELS = BioTags.CONLL_LABELS;

    @Test
    void trainingBlockAndInferenceHeadGiveTheSameTagProbabilities() {
        Random random = new Random(7);
        HeadFile weights = randomHead(random);
        EntityHead head = EntityHead.of(weights);
        // Sentences of 1, 4 and 7 words; some words have no wordpiece state (e.g. control chars).
        List<WordInputs> sentences = List.of(randomInputs(random, 1), randomInputs(random, 4), randomInputs(random, 7));
        List<EntityBatches.WordRef> words = new ArrayList<>();
        for (int s = 0; s < sentences.size(); s++) {
            for (int w = 0; w < sentences.get(s).count(); w++) {
                words.add(new EntityBatches.WordRef(s, w));
            }
        }
        try (Model model = Model.newInstance("parity", "PyTorch");
                Trainer trainer = initialized(model)) {
            ((EntityHeadBlock) model.getBlock()).load(weights);

            NDList outputs = trainer.evaluate(EntityBatches.toBatch(trainer.getManager(), sentences, words));
            float[] blockProbabilities = outputs.get(0).softmax(1).toFloatArray();

            int row = 0;
            for (WordInputs sentence : sentences) {
                float[] headProbabilities = head.tagProbabilities(sentence);
                for (int i = 0; i < headProbabilities.length; i++) {
                    assertThat(headProbabilities[i])
                            .isCloseTo(blockProbabilities[row * LABELS.size() + i], within(1e-4f));
                }
                row += sentence.count();
            }
            assertThat(row).isEqualTo(12);
        }
    }

    @Test
    void headFileRoundTripsThroughTheBlock() {
        HeadFile original = randomHead(new Random(11));
        try (Model model = Model.newInstance("copy", "PyTorch");
                Trainer trainer = initialized(model)) {
            EntityHeadBlock block = (EntityHeadBlock) model.getBlock();
            block.load(original);
            HeadFile copy = block.toHeadFile(LABELS);

            assertThat(copy.format()).isEqualTo(EntityHead.FORMAT);
            assertThat(copy.tensors().keySet())
                    .containsExactlyElementsOf(original.tensors().keySet());
            for (String name : original.tensors().keySet()) {
                assertThat(copy.tensors().get(name).shape())
                        .containsExactly(original.tensors().get(name).shape());
                assertThat(copy.tensors().get(name).values())
                        .containsExactly(original.tensors().get(name).values());
            }
        }
    }

    private static Trainer initialized(Model model) {
        model.setBlock(new EntityHeadBlock(HIDDEN, BUCKETS, EMBEDDING_DIM, PROJECTION, LABELS.size(), 0.3f));
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()));
        int window = EntityHead.WINDOW;
        trainer.initialize(
                new Shape(1, window, HIDDEN),
                new Shape(1, window),
                new Shape(1, window, WordFeatures.FLAG_COUNT),
                new Shape(1, window, WordFeatures.ID_COUNT),
                new Shape(1, window));
        return trainer;
    }

    private static HeadFile randomHead(Random random) {
        int wordWidth = EntityHead.wordWidth(HIDDEN, EMBEDDING_DIM);
        Map<String, HeadFile.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("mean", tensor(random, 0f, 0.5f, HIDDEN));
        float[] std = tensor(random, 0f, 0.5f, HIDDEN).values();
        for (int d = 0; d < HIDDEN; d++) {
            std[d] = 0.5f + Math.abs(std[d]);
        }
        tensors.put("std", new HeadFile.Tensor(new int[] {HIDDEN}, std));
        tensors.put("embeddings", tensor(random, 0f, 0.5f, BUCKETS, EMBEDDING_DIM));
        tensors.put("w1", tensor(random, 0f, 0.2f, EntityHead.WINDOW * wordWidth, PROJECTION));
        tensors.put("b1", tensor(random, 0f, 0.2f, PROJECTION));
        tensors.put("w2", tensor(random, 0f, 0.5f, PROJECTION, LABELS.size()));
        tensors.put("b2", tensor(random, 0f, 0.5f, LABELS.size()));
        tensors.put("transitions", tensor(random, 0f, 1f, LABELS.size(), LABELS.size()));
        tensors.put("start", tensor(random, 0f, 1f, LABELS.size()));
        tensors.put("end", tensor(random, 0f, 1f, LABELS.size()));
        return new HeadFile(EntityHead.FORMAT, LABELS, tensors);
    }

    private static HeadFile.Tensor tensor(Random random, float offset, float scale, int... shape) {
        int size = 1;
        for (int dim : shape) {
            size *= dim;
        }
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = offset + scale * (float) random.nextGaussian();
        }
        return new HeadFile.Tensor(shape, values);
    }

    private static WordInputs randomInputs(Random random, int count) {
        float[] states = new float[count * HIDDEN];
        boolean[] hasState = new boolean[count];
        float[] flags = new float[count * WordFeatures.FLAG_COUNT];
        int[] ids = new int[count * WordFeatures.ID_COUNT];
        for (int w = 0; w < count; w++) {
            hasState[w] = random.nextInt(4) != 0;
            for (int d = 0; hasState[w] && d < HIDDEN; d++) {
                states[w * HIDDEN + d] = (float) random.nextGaussian();
            }
        }
        for (int i = 0; i < flags.length; i++) {
            flags[i] = random.nextBoolean() ? 1f : 0f;
        }
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(BUCKETS);
        }
        return new WordInputs(count, HIDDEN, states, hasState, flags, ids);
    }
}
