/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Negative log-likelihood of gold tag sequences under a linear-chain CRF, for a batch of whole sentences padded to
 * one width. The CRF is trained under the same IOB2 constraints the Viterbi decoder enforces: forbidden transitions
 * and starts get a large fixed penalty, so the partition function only sums over sequences the decoder can output.
 */
final class CrfLoss {
    /** Added to forbidden transitions: exp(-1e4) is zero in float, yet no NaN arises from infinities. */
    private static final float FORBIDDEN = -1e4f;

    private CrfLoss() {}

    /**
     * A batch of sentences: the block inputs for every padded position (padding repeats the sentence's last word and
     * is masked out), and the gold sequences as constants the loss multiplies with the scores.
     */
    record Batch(
            NDList inputs,
            int sentences,
            int width,
            NDArray mask,
            NDArray goldTags,
            NDArray goldTransitions,
            NDArray goldStart,
            NDArray goldEnd) {}

    static Batch batch(NDManager manager, List<WordInputs> inputs, List<int[]> tags, int[] sentences, int labels) {
        int width = 0;
        for (int s : sentences) {
            width = Math.max(width, inputs.get(s).count());
        }
        List<EntityBatches.WordRef> positions = new ArrayList<>(sentences.length * width);
        float[] mask = new float[sentences.length * width];
        float[] goldTags = new float[sentences.length * width * labels];
        float[] goldTransitions = new float[sentences.length * labels * labels];
        float[] goldStart = new float[sentences.length * labels];
        float[] goldEnd = new float[sentences.length * labels];
        for (int b = 0; b < sentences.length; b++) {
            int[] gold = tags.get(sentences[b]);
            for (int t = 0; t < width; t++) {
                positions.add(new EntityBatches.WordRef(sentences[b], Math.min(t, gold.length - 1)));
                if (t < gold.length) {
                    mask[b * width + t] = 1f;
                    goldTags[(b * width + t) * labels + gold[t]] = 1f;
                    if (t > 0) {
                        goldTransitions[(b * labels + gold[t - 1]) * labels + gold[t]] += 1f;
                    }
                }
            }
            goldStart[b * labels + gold[0]] = 1f;
            goldEnd[b * labels + gold[gold.length - 1]] = 1f;
        }
        return new Batch(
                EntityBatches.toBatch(manager, inputs, positions),
                sentences.length,
                width,
                manager.create(mask, new Shape(sentences.length, width)),
                manager.create(goldTags, new Shape(sentences.length, width, labels)),
                manager.create(goldTransitions, new Shape(sentences.length, labels, labels)),
                manager.create(goldStart, new Shape(sentences.length, labels)),
                manager.create(goldEnd, new Shape(sentences.length, labels)));
    }

    /**
     * Mean over the batch of log Z - score(gold), from the block's outputs (emissions of every padded position,
     * transitions, start, end).
     */
    static NDArray negativeLogLikelihood(NDList outputs, Batch batch, List<String> labelNames) {
        int labels = labelNames.size();
        NDManager manager = outputs.get(0).getManager();
        NDArray emissions = outputs.get(0).reshape(batch.sentences(), batch.width(), labels);
        // The batch's arrays come first: an NDArray result belongs to its first operand's manager, and the block's
        // parameters live as long as the model, so every array derived from them would outlive the step.
        NDArray transitions = manager.create(transitionPenalties(labelNames), new Shape(labels, labels))
                .add(outputs.get(1));
        NDArray start = manager.create(startPenalties(labelNames)).add(outputs.get(2));
        NDArray end = manager.zeros(new Shape(labels)).add(outputs.get(3));

        NDArray gold = emissions
                .mul(batch.goldTags())
                .sum(new int[] {1, 2})
                .add(batch.goldTransitions().mul(transitions.expandDims(0)).sum(new int[] {1, 2}))
                .add(batch.goldStart().mul(start.expandDims(0)).sum(new int[] {1}))
                .add(batch.goldEnd().mul(end.expandDims(0)).sum(new int[] {1}));

        // Forward algorithm: alpha[b, tag] = log of the summed scores of all prefixes ending in tag.
        NDArray alpha = start.expandDims(0).add(emissions.get(":, 0, :"));
        for (int t = 1; t < batch.width(); t++) {
            NDArray next = logSumExp(alpha.expandDims(2).add(transitions.expandDims(0)), 1)
                    .add(emissions.get(":, " + t + ", :"));
            NDArray present = batch.mask().get(":, " + t).expandDims(1);
            alpha = next.mul(present).add(alpha.mul(present.neg().add(1f)));
        }
        NDArray logPartition = logSumExp(alpha.add(end.expandDims(0)), 1);
        return logPartition.sub(gold).mean();
    }

    private static NDArray logSumExp(NDArray values, int axis) {
        NDArray max = values.max(new int[] {axis}, true);
        return values.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
    }

    static float[] transitionPenalties(List<String> labels) {
        int count = labels.size();
        float[] penalties = new float[count * count];
        for (int from = 0; from < count; from++) {
            for (int to = 0; to < count; to++) {
                penalties[from * count + to] = BioTags.allowed(labels.get(from), labels.get(to)) ? 0f : FORBIDDEN;
            }
        }
        return penalties;
    }

    static float[] startPenalties(List<String> labels) {
        float[] penalties = new float[labels.size()];
        for (int tag = 0; tag < labels.size(); tag++) {
            penalties[tag] = BioTags.allowed(null, labels.get(tag)) ? 0f : FORBIDDEN;
        }
        return penalties;
    }
}
