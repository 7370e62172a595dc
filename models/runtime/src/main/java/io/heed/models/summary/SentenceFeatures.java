/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import java.util.List;

/**
 * Per-sentence inputs of the learned {@link SentenceScorer}, computed from what the summariser already has: the
 * sentence spans, their vectors from the one encoder pass ({@link SentenceVectors}) and the text itself. No encoder
 * call.
 *
 * <p>The hand-made features ({@link #NAMES}, in this order):
 * <ol>
 *   <li>{@code inv_position}: {@code 1 / (1 + j)}, j the sentence's index in the text;
 *   <li>{@code rel_position}: {@code j / (n − 1)} (0 for a one-sentence text);
 *   <li>{@code first}: 1 for the first sentence, else 0;
 *   <li>{@code log_sentences}: {@code ln(1 + n)}, how long the text is;
 *   <li>{@code centrality}: attention received, as the parameter-free summariser computes it (uncentred unit vectors,
 *       τ = 0.1, self included), min-max scaled within the text;
 *   <li>{@code log_attention}: {@code ln} of the attention received (which sums to the candidate count, mean 1);
 *   <li>{@code cos_mean}: cosine to the text's mean sentence vector;
 *   <li>{@code cos_first}: cosine to the first sentence's vector;
 *   <li>{@code centred_cos_first}: the same after centring the vectors on the text's mean;
 *   <li>{@code log_tokens}: {@code ln(1 + encoder tokens)};
 *   <li>{@code log_words}: {@code ln(1 + white-space separated words)};
 *   <li>{@code rel_words}: words / the most words of any sentence in the text;
 *   <li>{@code lexical_rank}: the sentence's TextRank score (TF-IDF cosine graph, as {@link TextRank}) times the
 *       candidate count (mean 1): word-overlap centrality from the text, no encoder involved.
 * </ol>
 * Then, when content is on, the sentence's own vector (384 values for MiniLM): the scorer z-scores it with training
 * statistics like every other input.
 */
final class SentenceFeatures {
    static final List<String> NAMES = List.of(
            "inv_position",
            "rel_position",
            "first",
            "log_sentences",
            "centrality",
            "log_attention",
            "cos_mean",
            "cos_first",
            "centred_cos_first",
            "log_tokens",
            "log_words",
            "rel_words",
            "lexical_rank");
    /** The name that marks the sentence vector as input, after {@link #NAMES}. */
    static final String CONTENT = "content";

    static final double TEMPERATURE = 0.1;

    private SentenceFeatures() {}

    static int width(boolean content, int hidden) {
        return NAMES.size() + (content ? hidden : 0);
    }

    /**
     * Feature rows of the candidates (sentences with a vector), in candidate order.
     *
     * @param candidates indices of the sentences that have a vector, ascending, not empty
     */
    static double[][] of(
            String text,
            List<SentenceSplitter.Span> sentences,
            SentenceVectors vectors,
            List<Integer> candidates,
            boolean content) {
        int m = candidates.size();
        int n = sentences.size();
        int hidden = vectors.vectors()[candidates.get(0)].length;
        double[][] unit = Summarizer.unitVectors(vectors, candidates, false);
        double[][] centred = Summarizer.unitVectors(vectors, candidates, true);
        double[] received = Summarizer.attentionReceived(unit, TEMPERATURE, false);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double r : received) {
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        double[] mean = new double[hidden];
        for (double[] u : unit) {
            for (int k = 0; k < hidden; k++) {
                mean[k] += u[k] / m;
            }
        }
        double meanNorm = Math.sqrt(dot(mean, mean));
        int[] words = new int[m];
        int maxWords = 1;
        for (int c = 0; c < m; c++) {
            words[c] = wordCount(sentences.get(candidates.get(c)).of(text));
            maxWords = Math.max(maxWords, words[c]);
        }
        double[] lexical = lexicalRank(text, sentences, candidates);
        double[][] rows = new double[m][width(content, hidden)];
        for (int c = 0; c < m; c++) {
            int j = candidates.get(c);
            double[] f = rows[c];
            f[0] = 1.0 / (1 + j);
            f[1] = n > 1 ? j / (double) (n - 1) : 0;
            f[2] = j == 0 ? 1 : 0;
            f[3] = Math.log(1 + n);
            f[4] = max > min ? (received[c] - min) / (max - min) : 1.0;
            f[5] = Math.log(Math.max(received[c], 1e-6));
            f[6] = meanNorm > 0 ? dot(unit[c], mean) / meanNorm : 0;
            f[7] = dot(unit[c], unit[0]);
            f[8] = dot(centred[c], centred[0]);
            f[9] = Math.log(1 + vectors.tokenCounts()[j]);
            f[10] = Math.log(1 + words[c]);
            f[11] = words[c] / (double) maxWords;
            f[12] = lexical[c];
            if (content) {
                float[] v = vectors.vectors()[j];
                for (int k = 0; k < hidden; k++) {
                    f[NAMES.size() + k] = v[k];
                }
            }
        }
        return rows;
    }

    /** TextRank scores of the candidates over the candidates' own graph, scaled to mean 1. */
    static double[] lexicalRank(String text, List<SentenceSplitter.Span> sentences, List<Integer> candidates) {
        int m = candidates.size();
        double[] scaled = new double[m];
        if (m == 1) {
            scaled[0] = 1;
            return scaled;
        }
        List<SentenceSplitter.Span> spans =
                candidates.stream().map(sentences::get).toList();
        double[] rank = TextRank.rank(TextRank.similarities(text, spans));
        for (int c = 0; c < m; c++) {
            scaled[c] = rank[c] * m;
        }
        return scaled;
    }

    /** White-space separated words, as the evaluation counts summary length. */
    static int wordCount(String sentence) {
        String stripped = sentence.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += a[k] * b[k];
        }
        return sum;
    }
}
