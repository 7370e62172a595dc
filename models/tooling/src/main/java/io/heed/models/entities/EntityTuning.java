/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.heed.models.FeatureMoments;
import io.heed.models.HeadFile;
import io.heed.models.encoder.TokenStates;
import java.util.ArrayList;
import java.util.List;

/**
 * The entity task for encoder fine-tuning: the project's {@link EntityHeadBlock} (cased word features, hashed
 * affixes, +-1 word window) and its CRF loss ({@link CrfLoss}) on top of the trainable encoder's states, and valid F1
 * measured with the plain-Java {@link EntityHead} as inference decodes (constrained Viterbi, exact spans).
 *
 * <p>The head's inputs are built exactly as the head trainer builds them, except the word states: those are gathered
 * from the encoder's output tensor (first wordpiece of each word) so gradients reach the encoder.
 */
public final class EntityTuning {
    private static final List<String> LABELS = BioTags.CONLL_LABELS;
    private final EntityHeadBlock block;
    private final int hidden;
    private final int buckets;

    /** CoNLL sentences with their words (joined by single spaces, as everywhere else) and gold tag indices. */
    public static final class Split {
        final List<ConllReader.Sentence> sentences;
        final List<Words> words = new ArrayList<>();
        final List<int[]> tags = new ArrayList<>();

        public Split(List<ConllReader.Sentence> sentences) {
            this.sentences = List.copyOf(sentences);
            for (ConllReader.Sentence sentence : sentences) {
                words.add(Words.joined(sentence.words()));
                tags.add(sentence.tags().stream().mapToInt(LABELS::indexOf).toArray());
            }
        }

        public List<String> texts() {
            return words.stream().map(Words::text).toList();
        }

        public int size() {
            return sentences.size();
        }

        /** Words per sentence, for batching sentences of similar length. */
        public int wordCount(int sentence) {
            return words.get(sentence).count();
        }
    }

    public EntityTuning(NDManager manager, int hidden, int buckets, int embeddingDim, int projection, float dropout) {
        this.hidden = hidden;
        this.buckets = buckets;
        block = new EntityHeadBlock(hidden, buckets, embeddingDim, projection, LABELS.size(), dropout);
        int window = EntityHead.WINDOW;
        block.initialize(
                manager,
                DataType.FLOAT32,
                new Shape(1, window, hidden),
                new Shape(1, window),
                new Shape(1, window, WordFeatures.FLAG_COUNT),
                new Shape(1, window, WordFeatures.ID_COUNT),
                new Shape(1, window));
    }

    /**
     * Freezes the head's z-score statistics at those of the first-wordpiece states of the given sentences, std floored
     * at {@code minStd} (see {@link FeatureMoments#meanAndStd(double)}).
     */
    public void normalize(Split split, List<Integer> sentences, List<TokenStates> states, double minStd) {
        FeatureMoments moments = new FeatureMoments(hidden);
        for (int i = 0; i < sentences.size(); i++) {
            WordInputs inputs = WordInputs.of(split.words.get(sentences.get(i)), states.get(i), buckets);
            for (int w = 0; w < inputs.count(); w++) {
                if (inputs.hasState()[w]) {
                    moments.add(inputs.states(), w * hidden);
                }
            }
        }
        float[][] stats = moments.meanAndStd(minStd);
        block.setNormalization(stats[0], stats[1]);
    }

    /**
     * Mean CRF negative log-likelihood of a batch of sentences.
     *
     * @param states  encoder output {@code [sentences, width, hidden]} for the sentences' texts, in order
     * @param layouts each sentence's token layout (char spans), to place words on wordpieces
     */
    public NDArray loss(ParameterStore store, Split split, int[] sentences, NDArray states, List<TokenStates> layouts) {
        NDManager manager = states.getManager();
        long width = states.getShape().get(1);
        List<WordInputs> inputs = new ArrayList<>(sentences.length);
        List<int[]> tags = new ArrayList<>(sentences.length);
        int[] local = new int[sentences.length];
        List<int[]> firstTokens = new ArrayList<>(sentences.length);
        for (int b = 0; b < sentences.length; b++) {
            Words words = split.words.get(sentences[b]);
            inputs.add(WordInputs.of(words, layouts.get(b), buckets));
            tags.add(split.tags.get(sentences[b]));
            firstTokens.add(WordInputs.firstTokens(words, layouts.get(b)));
            local[b] = b;
        }
        CrfLoss.Batch batch = CrfLoss.batch(manager, inputs, tags, local, LABELS.size());
        // Row of the flattened encoder output feeding each (position, window slot), in CrfLoss.batch's order:
        // sentence b, position t (padding repeats the last word), slot s -> word min(t, last) + s - CONTEXT.
        long[] rows = new long[batch.sentences() * batch.width() * EntityHead.WINDOW];
        int k = 0;
        for (int b = 0; b < sentences.length; b++) {
            int count = inputs.get(b).count();
            for (int t = 0; t < batch.width(); t++) {
                for (int slot = 0; slot < EntityHead.WINDOW; slot++) {
                    int w = Math.min(t, count - 1) + slot - EntityHead.CONTEXT;
                    int token = w >= 0 && w < count ? firstTokens.get(b)[w] : -1;
                    rows[k++] = token >= 0 ? b * width + token : 0; // 0: masked out by the block's state mask
                }
            }
        }
        NDArray index = manager.create(rows);
        NDArray flat = states.reshape(-1, hidden);
        NDArray gathered = index.getNDArrayInternal()
                .embedding(index, flat, SparseFormat.DENSE)
                .get(0)
                .reshape(batch.sentences() * (long) batch.width(), EntityHead.WINDOW, hidden);
        NDList headInputs = new NDList(
                gathered,
                batch.inputs().get(1),
                batch.inputs().get(2),
                batch.inputs().get(3),
                batch.inputs().get(4));
        return CrfLoss.negativeLogLikelihood(block.forward(store, headInputs, true), batch, LABELS);
    }

    /** Micro F1 (exact span and type) of the head as it is now, on sentences encoded to {@code states}. */
    public double f1(Split split, List<TokenStates> states) {
        EntityHead head = EntityHead.of(headFile());
        List<List<Entity>> predictions = new ArrayList<>(split.size());
        for (int i = 0; i < split.size(); i++) {
            predictions.add(head.predict(split.words.get(i), states.get(i)));
        }
        return EntityEvaluation.score(split.sentences, split.words, predictions, 0)
                .micro()
                .f1();
    }

    /** The trainable parameters (the z-score statistics are frozen). */
    public List<Parameter> parameters() {
        return block.getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .toList();
    }

    public HeadFile headFile() {
        return block.toHeadFile(LABELS);
    }

    EntityHeadBlock block() {
        return block;
    }

    public void load(HeadFile file) {
        block.load(file);
    }
}
