/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import io.heed.models.HeadFile;
import io.heed.models.encoder.EncoderWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A learned sentence scorer for the extractive {@link Summarizer}, in plain Java: the {@link SentenceFeatures} of each
 * sentence (position, attention centrality, cosines to the text's mean and first sentence, length, word-overlap
 * centrality and, optionally, the sentence vector itself), z-scored with training statistics, go through a
 * one-hidden-layer ReLU network (or a linear layer when it has no hidden layer) to one score per sentence:
 *
 * <pre>
 *   z = (x − mean) / std
 *   s = w2 · relu(W1 z + b1) + b2        (hidden layer)      or      s = w · z + b        (linear)
 * </pre>
 *
 * Higher means more worth including; only the order within a text and the min-max scaled score (the summariser's
 * relevance) are used. Trained by {@code SummaryScorerTrainer}; stored as a {@link HeadFile} of format
 * {@value #FORMAT} whose labels name the input features (so a file built for other features fails at load).
 * Immutable and thread-safe.
 */
public final class SentenceScorer {
    static final String FORMAT = "heed-summary-scorer-v1";
    /** The scorer trained on the frozen encoder's states; the tuned one is {@code summary-scorer-tuned.bin}. */
    static final String BUNDLED_RESOURCE = "io/heed/models/summary/summary-scorer.bin";

    private static final String KIND = "summary sentence scorer";
    private static final Map<EncoderWeights, SentenceScorer> BUNDLED = new ConcurrentHashMap<>();

    private final boolean content;
    private final int width;
    private final int hidden;
    private final float[] mean;
    private final float[] std;
    /** [hidden][width] row-major, or [width] when there is no hidden layer. */
    private final float[] w1;

    private final float[] b1;
    private final float[] w2;
    private final float b2;
    private final String sha256;

    /**
     * A scorer from its weights.
     *
     * @param hidden 0 for a linear scorer ({@code w1} then has {@code width} values and {@code b1}, {@code w2} are
     *               empty), else the hidden layer's width
     */
    SentenceScorer(
            boolean content,
            int width,
            int hidden,
            float[] mean,
            float[] std,
            float[] w1,
            float[] b1,
            float[] w2,
            float b2,
            String sha256) {
        if (width < SentenceFeatures.NAMES.size() || (content != width > SentenceFeatures.NAMES.size())) {
            throw new IllegalArgumentException(
                    "input width " + width + " does not match the features (content " + content + ")");
        }
        if (mean.length != width
                || std.length != width
                || w1.length != (hidden == 0 ? width : hidden * width)
                || b1.length != hidden
                || w2.length != hidden) {
            throw new IllegalArgumentException("weights do not match width " + width + " and hidden " + hidden);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + s);
            }
        }
        this.content = content;
        this.width = width;
        this.hidden = hidden;
        this.mean = mean.clone();
        this.std = std.clone();
        this.w1 = w1.clone();
        this.b1 = b1.clone();
        this.w2 = w2.clone();
        this.b2 = b2;
        this.sha256 = sha256;
    }

    private static SentenceScorer fromFile(HeadFile file, String sha256) {
        if (!FORMAT.equals(file.format())) {
            throw new IllegalArgumentException("not a summary sentence scorer: format is '" + file.format() + "'");
        }
        List<String> labels = file.labels();
        int hand = SentenceFeatures.NAMES.size();
        if (labels.size() < hand
                || !labels.subList(0, hand).equals(SentenceFeatures.NAMES)
                || labels.size() > hand + 1
                || (labels.size() == hand + 1 && !labels.get(hand).startsWith(SentenceFeatures.CONTENT))) {
            throw new IllegalArgumentException("its features " + labels + " are not this version's "
                    + SentenceFeatures.NAMES + " (+ optional " + SentenceFeatures.CONTENT + ")");
        }
        boolean content = labels.size() == hand + 1;
        HeadFile.Tensor meanTensor = file.tensors().get("mean");
        if (meanTensor == null || meanTensor.shape().length != 1) {
            throw new IllegalArgumentException("head file lacks the vector tensor 'mean'");
        }
        int width = meanTensor.shape()[0];
        float[] std = file.tensor("std", width).values();
        if (file.tensors().containsKey("w")) {
            return new SentenceScorer(
                    content,
                    width,
                    0,
                    meanTensor.values(),
                    std,
                    file.tensor("w", width).values(),
                    new float[0],
                    new float[0],
                    file.tensor("b", 1).values()[0],
                    sha256);
        }
        HeadFile.Tensor b1 = file.tensors().get("b1");
        if (b1 == null || b1.shape().length != 1) {
            throw new IllegalArgumentException("head file lacks the tensor 'w' (linear) or 'b1' (hidden layer)");
        }
        int hidden = b1.shape()[0];
        return new SentenceScorer(
                content,
                width,
                hidden,
                meanTensor.values(),
                std,
                file.tensor("w1", hidden, width).values(),
                b1.values(),
                file.tensor("w2", hidden).values(),
                file.tensor("b2", 1).values()[0],
                sha256);
    }

    /** The scorer trained on the bundled encoder's default weights ({@link EncoderWeights#DEFAULT}); loaded once. */
    public static SentenceScorer bundled() {
        return bundled(EncoderWeights.DEFAULT);
    }

    /**
     * The scorer trained on the bundled encoder's {@code weights} (shipped with them, e.g. {@code
     * summary-scorer-tuned.bin} in heed-models-weights); loaded once each. Its inputs include the sentence vectors, so
     * a scorer only fits the states it was trained on. The frozen weights have no scorer of their own and use the
     * default weights' one (as they always have; docs/QUALITY.md measures them that way).
     */
    public static SentenceScorer bundled(EncoderWeights weights) {
        return BUNDLED.computeIfAbsent(
                weights == EncoderWeights.FROZEN ? EncoderWeights.DEFAULT : weights,
                w -> HeadFile.loadResource(
                        SentenceScorer.class, w.headResource(BUNDLED_RESOURCE), KIND, SentenceScorer::fromFile));
    }

    /** Reads a scorer file; the message of any failure names the file and what is wrong. */
    public static SentenceScorer read(Path file) {
        return HeadFile.load(file, KIND, SentenceScorer::fromFile);
    }

    static SentenceScorer fromBytes(byte[] bytes, String what) throws IOException {
        return HeadFile.fromBytes(bytes, what, KIND, SentenceScorer::fromFile);
    }

    /** The weights as a head file (feature names as its labels). */
    HeadFile toHeadFile() {
        List<String> labels = new ArrayList<>(SentenceFeatures.NAMES);
        if (content) {
            labels.add(SentenceFeatures.CONTENT + ":" + (width - SentenceFeatures.NAMES.size()));
        }
        Map<String, HeadFile.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("mean", new HeadFile.Tensor(new int[] {width}, mean));
        tensors.put("std", new HeadFile.Tensor(new int[] {width}, std));
        if (hidden == 0) {
            tensors.put("w", new HeadFile.Tensor(new int[] {width}, w1));
            tensors.put("b", new HeadFile.Tensor(new int[] {1}, new float[] {b2}));
        } else {
            tensors.put("w1", new HeadFile.Tensor(new int[] {hidden, width}, w1));
            tensors.put("b1", new HeadFile.Tensor(new int[] {hidden}, b1));
            tensors.put("w2", new HeadFile.Tensor(new int[] {hidden}, w2));
            tensors.put("b2", new HeadFile.Tensor(new int[] {1}, new float[] {b2}));
        }
        return new HeadFile(FORMAT, labels, tensors);
    }

    /** Whether the sentence vector is an input (then its width must be the encoder's hidden size). */
    boolean content() {
        return content;
    }

    /** Width of one input row. */
    int width() {
        return width;
    }

    int hidden() {
        return hidden;
    }

    /** SHA-256 of the file the scorer was read from (null if built in memory). */
    public String sha256() {
        return sha256;
    }

    /** One score per row of {@link SentenceFeatures#of}. */
    double[] score(double[][] features) {
        double[] scores = new double[features.length];
        double[] z = new double[width];
        for (int r = 0; r < features.length; r++) {
            double[] x = features[r];
            if (x.length != width) {
                throw new IllegalArgumentException("the scorer takes " + width + " inputs per sentence, got "
                        + x.length
                        + (content
                                ? " (it was trained on sentence vectors of width "
                                        + (width - SentenceFeatures.NAMES.size()) + ")"
                                : ""));
            }
            for (int k = 0; k < width; k++) {
                z[k] = (x[k] - mean[k]) / std[k];
            }
            if (hidden == 0) {
                double s = b2;
                for (int k = 0; k < width; k++) {
                    s += w1[k] * z[k];
                }
                scores[r] = s;
            } else {
                double s = b2;
                for (int h = 0; h < hidden; h++) {
                    double a = b1[h];
                    int offset = h * width;
                    for (int k = 0; k < width; k++) {
                        a += w1[offset + k] * z[k];
                    }
                    if (a > 0) {
                        s += w2[h] * a;
                    }
                }
                scores[r] = s;
            }
        }
        return scores;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "learned(%s, %d inputs%s%s)",
                hidden == 0 ? "linear" : "mlp " + hidden,
                width,
                content ? " incl. sentence vector" : "",
                sha256 == null ? "" : ", sha256 " + sha256.substring(0, 12));
    }
}
