/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import io.heed.models.Dense;
import io.heed.models.HeadFile;
import io.heed.models.encoder.EncodedText;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.HeadsGraph;
import io.heed.models.encoder.TokenStates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentiment from token states by attention pooling, in plain Java (no deep-learning engine at inference).
 *
 * <pre>
 *   x_t = (h_t - mean) / std                 z-score each encoder state with training statistics
 *   u_t = tanh(W1 x_t + b1)                  per-token projection (hidden -> projection)
 *   a   = softmax_t(q . u_t)                 a learned query scores each token (additive attention)
 *   p   = sum_t a_t u_t                      attention-weighted sum
 *   y   = softmax(W2 p + b2)                 label probabilities
 * </pre>
 *
 * The same computation is the DJL block {@link SentimentHeadBlock} used for training; a test checks they agree.
 * Instances are immutable and thread-safe.
 */
public final class SentimentHead {
    static final String FORMAT = "heed-sentiment-attention-v1";
    /** Heads-graph output: {@code u_t}, the per-token projections {@code [rows, width, projection]}. */
    public static final String GRAPH_PROJECTION = HeadsGraph.TOKEN_PREFIX + "sentiment_projection";
    /** Heads-graph output: {@code q . u_t}, the per-token attention scores {@code [rows, width, 1]}. */
    public static final String GRAPH_SCORE = HeadsGraph.TOKEN_PREFIX + "sentiment_score";
    /** The bundled head trained with the frozen weights; {@link EncoderWeights#headResource} names the others'. */
    public static final String BUNDLED_FILE = "io/heed/models/sentiment/sentiment-head.bin";

    private static final String KIND = "sentiment head";
    private static final int TOP_TOKENS = 5;

    private final List<String> labels;
    private final int hidden;
    private final int projection;
    private final float[] mean;
    private final float[] invStd;
    private final float[] w1;
    private final float[] b1;
    private final float[] query;
    private final float[] w2;
    private final float[] b2;
    private final String sha256;

    private SentimentHead(HeadFile file, String sha256) {
        if (!FORMAT.equals(file.format())) {
            throw new IllegalArgumentException("not a sentiment head: format is '" + file.format() + "'");
        }
        this.labels = file.labels();
        int labelCount = labels.size();
        this.hidden = vectorLength(file, "mean");
        this.projection = vectorLength(file, "b1");
        this.mean = file.tensor("mean", hidden).values();
        float[] std = file.tensor("std", hidden).values();
        this.invStd = new float[hidden];
        for (int d = 0; d < hidden; d++) {
            invStd[d] = 1f / std[d];
        }
        this.w1 = file.tensor("w1", hidden, projection).values();
        this.b1 = file.tensor("b1", projection).values();
        this.query = file.tensor("query", projection).values();
        this.w2 = file.tensor("w2", projection, labelCount).values();
        this.b2 = file.tensor("b2", labelCount).values();
        this.sha256 = sha256;
    }

    private static int vectorLength(HeadFile file, String name) {
        HeadFile.Tensor tensor = file.tensors().get(name);
        if (tensor == null || tensor.shape().length != 1) {
            throw new IllegalArgumentException("head file lacks the vector tensor '" + name + "'");
        }
        return tensor.shape()[0];
    }

    /** The head trained with the bundled encoder's default weights ({@link EncoderWeights#DEFAULT}). */
    public static SentimentHead bundled() {
        return bundled(EncoderWeights.DEFAULT);
    }

    /** The head trained with the bundled encoder's {@code weights} and shipped in this jar. */
    public static SentimentHead bundled(EncoderWeights weights) {
        return HeadFile.loadResource(SentimentHead.class, weights.headResource(BUNDLED_FILE), KIND, SentimentHead::new);
    }

    /** Reads a head file; the message of any failure names the file and what is wrong. */
    public static SentimentHead read(Path file) {
        return HeadFile.load(file, KIND, SentimentHead::new);
    }

    static SentimentHead fromBytes(byte[] bytes, String what) throws IOException {
        return HeadFile.fromBytes(bytes, what, KIND, SentimentHead::new);
    }

    static SentimentHead of(HeadFile file) {
        try {
            return fromBytes(file.toBytes(), "in-memory head");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> labels() {
        return labels;
    }

    /** Width of the encoder states this head was trained on. */
    public int hiddenSize() {
        return hidden;
    }

    /** SHA-256 of the head file, hex. */
    public String sha256() {
        return sha256;
    }

    public Sentiment predict(TokenStates states) {
        return predict(states, forward(states));
    }

    /** Sentiment from the {@link HeadsGraph}'s per-token projections and scores for the same states. */
    public Sentiment predict(EncodedText encoded) {
        TokenStates states = encoded.states();
        float[] projections = encoded.tokenOutput(GRAPH_PROJECTION);
        if (projections.length != states.length() * projection) {
            throw new IllegalStateException("heads graph projections hold " + projections.length / states.length()
                    + " values per token, this head " + projection + ": the graph was built for another head");
        }
        return predict(states, pool(projections, encoded.tokenOutput(GRAPH_SCORE)));
    }

    private Sentiment predict(TokenStates states, Forward forward) {
        float[] probabilities = forward.probabilities;
        int best = 0;
        for (int l = 1; l < probabilities.length; l++) {
            if (probabilities[l] > probabilities[best]) {
                best = l;
            }
        }
        Map<String, Float> byLabel = new LinkedHashMap<>();
        for (int l = 0; l < labels.size(); l++) {
            byLabel.put(labels.get(l), probabilities[l]);
        }
        return new Sentiment(labels.get(best), probabilities[best], byLabel, topTokens(states, forward.attention));
    }

    /** Label probabilities in {@link #labels()} order. */
    public float[] probabilities(TokenStates states) {
        return forward(states).probabilities;
    }

    private record Forward(float[] attention, float[] probabilities) {}

    /** The per-token network in Java: projections {@code u_t} and scores {@code q . u_t}, then pooling. */
    private Forward forward(TokenStates states) {
        if (states.hiddenSize() != hidden) {
            throw new IllegalArgumentException("sentiment head expects encoder states of width " + hidden + " but got "
                    + states.hiddenSize() + ": the head does not match the encoder");
        }
        int length = states.length();
        float[] h = states.states();
        float[] x = new float[length * hidden];
        float[] u = new float[length * projection];
        for (int t = 0; t < length; t++) {
            for (int d = 0; d < hidden; d++) {
                x[t * hidden + d] = (h[t * hidden + d] - mean[d]) * invStd[d];
            }
            System.arraycopy(b1, 0, u, t * projection, projection);
        }
        Dense.multiplyAdd(x, length, hidden, w1, projection, u);
        float[] scores = new float[length];
        for (int t = 0; t < length; t++) {
            int row = t * projection;
            float score = 0;
            for (int p = 0; p < projection; p++) {
                float value = Dense.tanh(u[row + p]);
                u[row + p] = value;
                score += value * query[p];
            }
            scores[t] = score;
        }
        return pool(u, scores);
    }

    /** Attention over the tokens' scores, the weighted sum of their projections, the classifier. */
    private Forward pool(float[] u, float[] scores) {
        int length = scores.length;
        float[] attention = softmax(scores);
        float[] pooled = new float[projection];
        for (int t = 0; t < length; t++) {
            for (int p = 0; p < projection; p++) {
                pooled[p] += attention[t] * u[t * projection + p];
            }
        }
        int labelCount = labels.size();
        float[] logits = b2.clone();
        for (int p = 0; p < projection; p++) {
            for (int l = 0; l < labelCount; l++) {
                logits[l] += pooled[p] * w2[p * labelCount + l];
            }
        }
        return new Forward(attention, softmax(logits));
    }

    private static List<Sentiment.WeightedToken> topTokens(TokenStates states, float[] attention) {
        List<Sentiment.WeightedToken> tokens = new ArrayList<>();
        for (int t = 0; t < states.length(); t++) {
            // Special tokens ([CLS], [SEP]) have an empty span: they explain nothing to a reader.
            if (states.charEnds()[t] > states.charStarts()[t]) {
                tokens.add(new Sentiment.WeightedToken(
                        states.tokens()[t], states.charStarts()[t], states.charEnds()[t], attention[t]));
            }
        }
        tokens.sort(Comparator.comparingDouble(Sentiment.WeightedToken::weight).reversed());
        return tokens.subList(0, Math.min(TOP_TOKENS, tokens.size()));
    }

    static float[] softmax(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        float[] out = new float[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) Math.exp(values[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= (float) sum;
        }
        return out;
    }
}
