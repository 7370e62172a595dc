/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary task for encoder fine-tuning. The summariser has no parameters: it reads the attention that sentences
 * pay each other, {@code softmax(S·Sᵀ / τ)} over L2-normalised mean-pooled sentence vectors ({@link Summarizer}).
 * Fine-tuning for sentiment and entities moves the token states and with them that attention, which cost ROUGE. This
 * task keeps it: on chunks of BBC articles from the summariser's <em>tuning</em> split (never the evaluation split),
 * the loss is the KL divergence from the untuned encoder's attention rows (the teacher, computed once before training)
 * to the tuned encoder's, at the summariser's temperature. Masked rows and columns (padding, sentences with no token
 * left after the cut) do not count.
 */
public final class SentenceGeometry {
    /** Large negative score for masked columns; finite, so a fully masked row stays finite. */
    private static final float MASKED = -1e4f;

    /**
     * Consecutive sentences of one article, at most {@code maxChars} long (a single longer sentence stands alone).
     *
     * @param text   the chunk's text
     * @param starts each sentence's first char in {@code text}
     * @param ends   each sentence's end (exclusive) in {@code text}
     */
    public record Chunk(String text, int[] starts, int[] ends) {
        public int sentences() {
            return starts.length;
        }
    }

    private final float temperature;

    public SentenceGeometry(float temperature) {
        this.temperature = temperature;
    }

    /** The texts of the BBC tuning split (articles with an odd index), as {@link SummaryEvaluation} splits them. */
    public static List<String> tuningTexts(Path jsonl) {
        return SummaryEvaluation.tuningSplit(SummaryEvaluation.readJsonl(jsonl)).stream()
                .map(SummaryEvaluation.Article::text)
                .toList();
    }

    /** Splits each text into sentences and packs consecutive ones into chunks of at least two sentences. */
    public static List<Chunk> chunks(List<String> texts, int maxChars) {
        List<Chunk> chunks = new ArrayList<>();
        for (String text : texts) {
            List<SentenceSplitter.Span> sentences = SentenceSplitter.split(text);
            int first = 0;
            while (first < sentences.size()) {
                int last = first;
                while (last + 1 < sentences.size()
                        && sentences.get(last + 1).end() - sentences.get(first).start() <= maxChars) {
                    last++;
                }
                if (last > first) { // a lone sentence attends only to itself: nothing to keep
                    chunks.add(chunk(text, sentences.subList(first, last + 1)));
                }
                first = last + 1;
            }
        }
        return chunks;
    }

    private static Chunk chunk(String text, List<SentenceSplitter.Span> sentences) {
        int offset = sentences.get(0).start();
        int[] starts = new int[sentences.size()];
        int[] ends = new int[sentences.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = sentences.get(i).start() - offset;
            ends[i] = sentences.get(i).end() - offset;
        }
        return new Chunk(
                text.substring(offset, sentences.get(sentences.size() - 1).end()), starts, ends);
    }

    /**
     * Mean-pooling weights {@code [batch, maxSentences, width]}: for each sentence, 1/n on each of the n tokens that
     * belong to it by {@link SentenceVectors}' rule, 0 elsewhere.
     *
     * @param tokenStarts per chunk, each token's first char (padding beyond a chunk's tokens is not listed)
     * @param tokenEnds   per chunk, each token's end char
     */
    public static NDArray poolingWeights(
            NDManager manager, List<Chunk> chunks, List<int[]> tokenStarts, List<int[]> tokenEnds, int width) {
        int maxSentences = chunks.stream().mapToInt(Chunk::sentences).max().orElseThrow();
        float[] weights = new float[chunks.size() * maxSentences * width];
        for (int b = 0; b < chunks.size(); b++) {
            Chunk chunk = chunks.get(b);
            for (int s = 0; s < chunk.sentences(); s++) {
                int base = (b * maxSentences + s) * width;
                int count = 0;
                for (int t = 0; t < tokenStarts.get(b).length; t++) {
                    if (SentenceVectors.inside(
                            tokenStarts.get(b)[t], tokenEnds.get(b)[t], chunk.starts()[s], chunk.ends()[s])) {
                        weights[base + t] = 1;
                        count++;
                    }
                }
                for (int t = 0; count > 0 && t < width; t++) {
                    weights[base + t] /= count;
                }
            }
        }
        return manager.create(weights, new Shape(chunks.size(), maxSentences, width));
    }

    /** Sentence vectors {@code [batch, sentences, hidden]} from states {@code [batch, width, hidden]}. */
    public static NDArray pool(NDArray weights, NDArray states) {
        return weights.matMul(states);
    }

    /** 1 for a sentence with at least one token, 0 for padding or a sentence cut off: {@code [batch, sentences]}. */
    public static NDArray sentenceMask(NDArray weights) {
        return weights.sum(new int[] {2}).gt(0).toType(DataType.FLOAT32, false);
    }

    /** Log attention rows {@code [batch, sentences, sentences]}: log softmax(S·Sᵀ / τ) over unmasked columns. */
    public NDArray logAttention(NDArray vectors, NDArray mask) {
        NDArray norms = vectors.square().sum(new int[] {2}, true).add(1e-12f).sqrt();
        NDArray unit = vectors.div(norms);
        NDArray scores = unit.matMul(unit.transpose(0, 2, 1)).div(temperature);
        NDArray columnPenalty = mask.expandDims(1).neg().add(1).mul(MASKED);
        return scores.add(columnPenalty).logSoftmax(2);
    }

    /**
     * Mean over unmasked rows of KL(teacher row ‖ student row), with the teacher's log attention a constant.
     *
     * @param teacher log attention of the untuned encoder, {@code [batch, sentences, sentences]}
     * @param student log attention of the encoder being tuned, same shape
     * @param mask    {@code [batch, sentences]}
     */
    public static NDArray loss(NDArray teacher, NDArray student, NDArray mask) {
        NDArray columns = mask.expandDims(1);
        NDArray perRow = teacher.exp().mul(teacher.sub(student)).mul(columns).sum(new int[] {2});
        return perRow.mul(mask).sum().div(mask.sum().maximum(1f));
    }
}
