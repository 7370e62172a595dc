/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Baseline: TextRank (Mihalcea &amp; Tarau, 2004) with TF-IDF cosine edges. Sentences are bags of the same lower-cased
 * alphanumeric tokens ROUGE uses; a word's weight is its count times {@code ln(n / df) + 1}, where {@code df} counts
 * the text's sentences that contain it. The graph has an edge of weight cosine(i, j) between every pair (no
 * self-loops); PageRank with damping 0.85 runs until the scores move less than 1e-6 (at most 100 iterations); a
 * sentence with no edges spreads its rank evenly. The top three, in document order, form the summary.
 */
final class TextRank {
    static final double DAMPING = 0.85;
    private static final int SENTENCES = 3;

    private TextRank() {}

    static Summary summarize(String text) {
        return summarize(text, SentenceSplitter.split(text));
    }

    static Summary summarize(String text, List<SentenceSplitter.Span> sentences) {
        int n = sentences.size();
        if (n <= SENTENCES) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(i);
            }
            return Summary.of(text, sentences, all);
        }
        double[] rank = rank(similarities(text, sentences));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        // Highest rank first; ties go to the earlier sentence.
        order.sort((a, b) -> rank[a] != rank[b] ? Double.compare(rank[b], rank[a]) : Integer.compare(a, b));
        return Summary.of(text, sentences, order.subList(0, SENTENCES));
    }

    static double[][] similarities(String text, List<SentenceSplitter.Span> sentences) {
        int n = sentences.size();
        List<Map<String, Integer>> bags = new ArrayList<>(n);
        Map<String, Integer> df = new HashMap<>();
        for (SentenceSplitter.Span span : sentences) {
            Map<String, Integer> bag = new HashMap<>();
            for (String token : Rouge.tokens(span.of(text))) {
                bag.merge(token, 1, Integer::sum);
            }
            bag.keySet().forEach(word -> df.merge(word, 1, Integer::sum));
            bags.add(bag);
        }
        List<Map<String, Double>> weights = new ArrayList<>(n);
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            Map<String, Double> w = new HashMap<>();
            for (Map.Entry<String, Integer> e : bags.get(i).entrySet()) {
                double value = e.getValue() * (Math.log((double) n / df.get(e.getKey())) + 1);
                w.put(e.getKey(), value);
                norms[i] += value * value;
            }
            norms[i] = Math.sqrt(norms[i]);
            weights.add(w);
        }
        double[][] sim = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (norms[i] == 0 || norms[j] == 0) {
                    continue;
                }
                double dot = 0;
                for (Map.Entry<String, Double> e : weights.get(i).entrySet()) {
                    Double other = weights.get(j).get(e.getKey());
                    if (other != null) {
                        dot += e.getValue() * other;
                    }
                }
                sim[i][j] = sim[j][i] = dot / (norms[i] * norms[j]);
            }
        }
        return sim;
    }

    /** PageRank over a weighted undirected graph given as a symmetric matrix; the ranks sum to 1. */
    static double[] rank(double[][] weights) {
        int n = weights.length;
        double[] outSum = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                outSum[i] += weights[i][j];
            }
        }
        double[] rank = new double[n];
        java.util.Arrays.fill(rank, 1.0 / n);
        for (int iteration = 0; iteration < 100; iteration++) {
            double dangling = 0;
            for (int i = 0; i < n; i++) {
                if (outSum[i] == 0) {
                    dangling += rank[i];
                }
            }
            double[] next = new double[n];
            double delta = 0;
            for (int j = 0; j < n; j++) {
                double incoming = dangling / n;
                for (int i = 0; i < n; i++) {
                    if (outSum[i] > 0 && weights[i][j] > 0) {
                        incoming += rank[i] * weights[i][j] / outSum[i];
                    }
                }
                next[j] = (1 - DAMPING) / n + DAMPING * incoming;
                delta += Math.abs(next[j] - rank[j]);
            }
            rank = next;
            if (delta < 1e-6) {
                break;
            }
        }
        return rank;
    }
}
