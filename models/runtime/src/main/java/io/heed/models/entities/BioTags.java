/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import java.util.ArrayList;
import java.util.List;

/**
 * IOB2 tags: the CoNLL-2003 label set, which tag may follow which, constrained Viterbi decoding and chunking.
 * Decoding under the constraints (no I-X at the start, after O or after another type) is worth several F1 points
 * over taking each word's best tag, because the per-word classifier alone often breaks or mislabels spans.
 */
final class BioTags {
    static final List<String> CONLL_LABELS =
            List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC");

    private BioTags() {}

    /** A run of words tagged as one entity: words {@code [first, end)}. */
    record Chunk(String type, int first, int end) {}

    /** Whether {@code tag} may follow {@code previous} ({@code null} at the start of the text). */
    static boolean allowed(String previous, String tag) {
        if (!tag.startsWith("I-")) {
            return true;
        }
        return previous != null
                && !previous.equals("O")
                && previous.substring(2).equals(tag.substring(2));
    }

    /**
     * The best-scoring tag sequence that obeys {@link #allowed}: the sum of per-word scores
     * {@code emissions[word * labels + tag]}, of {@code transitions[from * labels + to]} between neighbours, and of
     * {@code start[tag]} / {@code end[tag]} for the first and last word (a linear-chain CRF; pass zeros, or log-softmax
     * emissions, for a per-word classifier).
     */
    static int[] viterbi(float[] emissions, List<String> labels, float[] transitions, float[] start, float[] end) {
        int labelCount = labels.size();
        int words = emissions.length / labelCount;
        int[] best = new int[words];
        if (words == 0) {
            return best;
        }
        double[] score = new double[labelCount];
        int[][] backPointers = new int[words][labelCount];
        for (int tag = 0; tag < labelCount; tag++) {
            score[tag] = allowed(null, labels.get(tag)) ? start[tag] + emissions[tag] : Double.NEGATIVE_INFINITY;
        }
        for (int w = 1; w < words; w++) {
            double[] next = new double[labelCount];
            for (int tag = 0; tag < labelCount; tag++) {
                double bestScore = Double.NEGATIVE_INFINITY;
                int bestPrevious = 0;
                for (int previous = 0; previous < labelCount; previous++) {
                    double candidate = score[previous] + transitions[previous * labelCount + tag];
                    if (candidate > bestScore && allowed(labels.get(previous), labels.get(tag))) {
                        bestScore = candidate;
                        bestPrevious = previous;
                    }
                }
                next[tag] = bestScore + emissions[w * labelCount + tag];
                backPointers[w][tag] = bestPrevious;
            }
            score = next;
        }
        int last = 0;
        for (int tag = 1; tag < labelCount; tag++) {
            if (score[tag] + end[tag] > score[last] + end[last]) {
                last = tag;
            }
        }
        best[words - 1] = last;
        for (int w = words - 1; w > 0; w--) {
            best[w - 1] = backPointers[w][best[w]];
        }
        return best;
    }

    /** {@link #viterbi(float[], List, float[], float[], float[])} with no transition scores. */
    static int[] viterbi(float[] emissions, List<String> labels) {
        int labelCount = labels.size();
        return viterbi(
                emissions, labels, new float[labelCount * labelCount], new float[labelCount], new float[labelCount]);
    }

    /**
     * Entity chunks of a tag sequence, conlleval-style: B-X starts a chunk, I-X continues a chunk of type X and
     * otherwise starts one, O ends one.
     */
    static List<Chunk> chunks(List<String> tags) {
        List<Chunk> chunks = new ArrayList<>();
        String type = null;
        int first = 0;
        for (int w = 0; w <= tags.size(); w++) {
            String tag = w < tags.size() ? tags.get(w) : "O";
            boolean continues =
                    type != null && tag.startsWith("I-") && tag.substring(2).equals(type);
            if (continues) {
                continue;
            }
            if (type != null) {
                chunks.add(new Chunk(type, first, w));
            }
            type = tag.equals("O") ? null : tag.substring(2);
            first = w;
        }
        return chunks;
    }

    /**
     * Entities from per-word tag scores: constrained {@link #viterbi Viterbi}, then {@link #chunks}, each chunk
     * trimmed of edge words without a letter or digit, with the mean softmax probability of its words' tags as score.
     * Shared by the bundled head and user-supplied token classifiers, so both give entities the same way.
     */
    static List<Entity> entities(
            Words words, float[] scores, List<String> labels, float[] transitions, float[] start, float[] end) {
        int labelCount = labels.size();
        int[] tags = viterbi(scores, labels, transitions, start, end);
        float[] probabilities = softmaxRows(scores, labelCount);
        List<String> tagNames = new ArrayList<>(tags.length);
        for (int tag : tags) {
            tagNames.add(labels.get(tag));
        }
        List<Entity> entities = new ArrayList<>();
        for (Chunk chunk : chunks(tagNames)) {
            // A name neither starts nor ends with a word of only punctuation or symbols ("Tomás !!! 🎉" is "Tomás").
            int first = chunk.first();
            int last = chunk.end() - 1;
            while (first <= last && !hasLetterOrDigit(words, first)) {
                first++;
            }
            while (last >= first && !hasLetterOrDigit(words, last)) {
                last--;
            }
            if (first > last) {
                continue;
            }
            int spanStart = words.starts()[first];
            int spanEnd = words.ends()[last];
            double score = 0;
            for (int w = first; w <= last; w++) {
                score += probabilities[w * labelCount + tags[w]];
            }
            float meanScore = Math.min(1f, (float) (score / (last - first + 1)));
            entities.add(new Entity(
                    words.text().substring(spanStart, spanEnd), chunk.type(), spanStart, spanEnd, meanScore));
        }
        return entities;
    }

    private static boolean hasLetterOrDigit(Words words, int word) {
        return words.word(word).codePoints().anyMatch(Character::isLetterOrDigit);
    }

    /** Softmax of each row of {@code width} values. */
    static float[] softmaxRows(float[] values, int width) {
        float[] out = new float[values.length];
        for (int row = 0; row < values.length; row += width) {
            float max = Float.NEGATIVE_INFINITY;
            for (int l = 0; l < width; l++) {
                max = Math.max(max, values[row + l]);
            }
            double sum = 0;
            for (int l = 0; l < width; l++) {
                out[row + l] = (float) Math.exp(values[row + l] - max);
                sum += out[row + l];
            }
            for (int l = 0; l < width; l++) {
                out[row + l] /= (float) sum;
            }
        }
        return out;
    }
}
