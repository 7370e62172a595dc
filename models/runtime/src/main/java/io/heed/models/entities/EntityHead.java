/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import io.heed.models.Dense;
import io.heed.models.HeadFile;
import io.heed.models.encoder.EncodedText;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.GatherItems;
import io.heed.models.encoder.HeadsGraph;
import io.heed.models.encoder.TokenStates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named entities from token states, in plain Java (no deep-learning engine at inference).
 *
 * <pre>
 *   v_i = [ (h_i - mean) / std ; flags_i ; E[id_i1] ; ... ; E[id_iK] ]   word vector: first-wordpiece state,
 *                                                                        casing flags, hashed-feature embeddings
 *   x_i = [ v_{i-1} ; v_i ; v_{i+1} ]                                    +-1 word context (zeros past the edges)
 *   s_i = W2 relu(W1 x_i + b1) + b2                                      IOB2 tag scores (emissions)
 *   tags = argmax_y  start[y_1] + sum_i s_i[y_i] + sum_i T[y_i, y_i+1] + end[y_n]
 *          over sequences obeying the IOB2 constraints (Viterbi)          linear-chain CRF -> spans
 * </pre>
 *
 * An entity's score is the mean softmax probability of its words' chosen tags. Heads without the CRF tensors
 * ({@code transitions}, {@code start}, {@code end}) decode with zero transition scores.
 * The same computation is the DJL block {@link EntityHeadBlock} used for training; a test checks they agree.
 * Instances are immutable and thread-safe.
 */
public final class EntityHead {
    static final String FORMAT = "heed-entities-window-mlp-v1";
    /** Heads-graph input: each word's casing flags {@code [words, GRAPH_FLAG_WIDTH]}. */
    public static final String GRAPH_FLAGS = HeadsGraph.ITEM_PREFIX + "word_flags";
    /** Heads-graph input: each word's hashed ids {@code [words, GRAPH_ID_WIDTH]}, int64. */
    public static final String GRAPH_IDS = HeadsGraph.ITEM_PREFIX + "word_ids";
    /**
     * Heads-graph output: each word vector's products with the three row blocks of {@code w1} (previous, current,
     * next word) {@code [words, 3 x projection]}; Java adds each word's and its neighbours' parts.
     */
    public static final String GRAPH_PARTIALS = HeadsGraph.ITEM_PREFIX + "entity_partials";

    public static final int GRAPH_FLAG_WIDTH = WordFeatures.FLAG_COUNT;
    public static final int GRAPH_ID_WIDTH = WordFeatures.ID_COUNT;
    /** The bundled head trained with the frozen weights; {@link EncoderWeights#headResource} names the others'. */
    public static final String BUNDLED_FILE = "io/heed/models/entities/entity-head.bin";

    private static final String KIND = "entity head";
    /** Words on each side of the current word that the head sees. */
    static final int CONTEXT = 1;

    static final int WINDOW = 2 * CONTEXT + 1;

    private static final Map<EncoderWeights, EntityHead> BUNDLED = new ConcurrentHashMap<>();

    private final List<String> labels;
    private final int hidden;
    private final int buckets;
    private final int embeddingDim;
    private final int wordWidth;
    private final int projection;
    private final float[] mean;
    private final float[] invStd;
    private final float[] embeddings;
    /**
     * w1's row blocks for the previous, current and next word side by side, {@code [wordWidth x 3 projection]}: one
     * product gives each word's part in its own, its successor's and its predecessor's activations.
     */
    private final float[] w1Blocks;

    private final float[] b1;
    private final float[] w2;
    private final float[] b2;
    private final float[] transitions;
    private final float[] start;
    private final float[] end;
    private final String sha256;

    private EntityHead(HeadFile file, String sha256) {
        if (!FORMAT.equals(file.format())) {
            throw new IllegalArgumentException("not an entity head: format is '" + file.format() + "'");
        }
        this.labels = file.labels();
        for (String label : labels) {
            if (!label.equals("O") && !label.matches("[BI]-.+")) {
                throw new IllegalArgumentException("label '" + label + "' is not an IOB2 tag");
            }
        }
        this.hidden = file.tensors().get("mean").shape()[0];
        int[] tableShape = file.tensors().get("embeddings").shape();
        this.buckets = tableShape[0];
        this.embeddingDim = tableShape[1];
        this.wordWidth = wordWidth(hidden, embeddingDim);
        this.projection = file.tensors().get("b1").shape()[0];
        this.mean = file.tensor("mean", hidden).values();
        float[] std = file.tensor("std", hidden).values();
        this.invStd = new float[hidden];
        for (int d = 0; d < hidden; d++) {
            invStd[d] = 1f / std[d];
        }
        this.embeddings = file.tensor("embeddings", buckets, embeddingDim).values();
        float[] w1 = file.tensor("w1", WINDOW * wordWidth, projection).values();
        this.w1Blocks = new float[wordWidth * WINDOW * projection];
        for (int block = 0; block < WINDOW; block++) {
            for (int r = 0; r < wordWidth; r++) {
                System.arraycopy(
                        w1,
                        (block * wordWidth + r) * projection,
                        w1Blocks,
                        (r * WINDOW + block) * projection,
                        projection);
            }
        }
        this.b1 = file.tensor("b1", projection).values();
        this.w2 = file.tensor("w2", projection, labels.size()).values();
        int labelCount = labels.size();
        this.b2 = file.tensor("b2", labelCount).values();
        boolean crf = file.tensors().containsKey("transitions");
        this.transitions =
                crf ? file.tensor("transitions", labelCount, labelCount).values() : new float[labelCount * labelCount];
        this.start = crf ? file.tensor("start", labelCount).values() : new float[labelCount];
        this.end = crf ? file.tensor("end", labelCount).values() : new float[labelCount];
        this.sha256 = sha256;
    }

    /** Width of one word vector: state, flags, one embedding per hashed id. */
    static int wordWidth(int hidden, int embeddingDim) {
        return hidden + WordFeatures.FLAG_COUNT + WordFeatures.ID_COUNT * embeddingDim;
    }

    /** The head trained with the bundled encoder's default weights ({@link EncoderWeights#DEFAULT}); loaded once. */
    public static EntityHead bundled() {
        return bundled(EncoderWeights.DEFAULT);
    }

    /** The head trained with the bundled encoder's {@code weights} and shipped in this jar; loaded once each. */
    public static EntityHead bundled(EncoderWeights weights) {
        // Several megabytes of tables: read once per JVM, shared by every model that uses them (immutable).
        return BUNDLED.computeIfAbsent(
                weights,
                w -> HeadFile.loadResource(EntityHead.class, w.headResource(BUNDLED_FILE), KIND, EntityHead::new));
    }

    /** Reads a head file; the message of any failure names the file and what is wrong. */
    public static EntityHead read(Path file) {
        return HeadFile.load(file, KIND, EntityHead::new);
    }

    static EntityHead fromBytes(byte[] bytes, String what) throws IOException {
        return HeadFile.fromBytes(bytes, what, KIND, EntityHead::new);
    }

    static EntityHead of(HeadFile file) {
        try {
            return fromBytes(file.toBytes(), "in-memory head");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** IOB2 tags in the order of the head's outputs. */
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

    int buckets() {
        return buckets;
    }

    /**
     * Entities in {@code text}, whose encoder states are {@code states}, in text order and never overlapping.
     * Words come from the JDK's word {@link java.text.BreakIterator}.
     */
    public List<Entity> predict(String text, TokenStates states) {
        return predict(Words.segment(text), states);
    }

    /**
     * What the {@link HeadsGraph} reads for {@code text}: its words' first wordpieces, flags and hashed ids, from the
     * document tokens' char spans.
     */
    public GatherItems plan(String text, int[] tokenStarts, int[] tokenEnds) {
        Words words = Words.segment(text);
        long[] ids = Arrays.stream(WordFeatures.hashedIds(words, buckets))
                .asLongStream()
                .toArray();
        return new GatherItems(
                WordInputs.firstTokens(words, tokenStarts, tokenEnds),
                List.of(
                        GatherItems.Feature.ofFloats(GRAPH_FLAGS, WordFeatures.FLAG_COUNT, WordFeatures.flags(words)),
                        GatherItems.Feature.ofLongs(GRAPH_IDS, WordFeatures.ID_COUNT, ids)));
    }

    /** Entities in {@code text} from the {@link HeadsGraph}'s outputs for the items {@link #plan} gave it. */
    public List<Entity> predict(String text, EncodedText encoded) {
        Words words = Words.segment(text);
        if (words.count() == 0) {
            return List.of();
        }
        return entities(words, tagScores(encoded.itemOutput(GRAPH_PARTIALS), words.count()));
    }

    /** Entities over given words: the path shared by raw text (segmented) and CoNLL sentences (pre-split). */
    List<Entity> predict(Words words, TokenStates states) {
        checkWidth(states.hiddenSize());
        if (words.count() == 0) {
            return List.of();
        }
        return entities(words, tagScores(WordInputs.of(words, states, buckets)));
    }

    /** Decodes per-word tag scores (emissions) into entities with exact char offsets. */
    List<Entity> entities(Words words, float[] scores) {
        return BioTags.entities(words, scores, labels, transitions, start, end);
    }

    /** Tag probabilities of every word (softmax of its tag scores), {@code [word * labels + tag]}. */
    float[] tagProbabilities(WordInputs inputs) {
        return BioTags.softmaxRows(tagScores(inputs), labels.size());
    }

    /** Tag scores (emissions, logits) of every word, {@code [word * labels + tag]}. */
    float[] tagScores(WordInputs inputs) {
        checkWidth(inputs.hiddenSize());
        int count = inputs.count();
        float[] partials = new float[count * WINDOW * projection];
        Dense.multiplyAdd(wordVectors(inputs), count, wordWidth, w1Blocks, WINDOW * projection, partials);
        return tagScores(partials, count);
    }

    /**
     * Tag scores from each word vector's products with w1's row blocks ({@code [word][block][projection]}, block 0
     * for the previous word's part, 1 the current, 2 the next), computed in Java or by the {@link HeadsGraph}.
     */
    float[] tagScores(float[] partials, int count) {
        int stride = WINDOW * projection;
        float[] activations = new float[projection];
        int labelCount = labels.size();
        float[] logits = new float[count * labelCount];
        for (int i = 0; i < count; i++) {
            System.arraycopy(b1, 0, activations, 0, projection);
            // Word k's block b feeds the activations of word k + CONTEXT - b: x_i = [v_{i-1}; v_i; v_{i+1}].
            for (int block = 0; block < WINDOW; block++) {
                int k = i - CONTEXT + block;
                if (k < 0 || k >= count) {
                    continue;
                }
                int from = k * stride + block * projection;
                for (int p = 0; p < projection; p++) {
                    activations[p] += partials[from + p];
                }
            }
            int row = i * labelCount;
            System.arraycopy(b2, 0, logits, row, labelCount);
            for (int p = 0; p < projection; p++) {
                float h = Math.max(0f, activations[p]);
                if (h == 0f) {
                    continue;
                }
                for (int l = 0; l < labelCount; l++) {
                    logits[row + l] += h * w2[p * labelCount + l];
                }
            }
        }
        return logits;
    }

    private float[] wordVectors(WordInputs inputs) {
        int count = inputs.count();
        float[] vectors = new float[count * wordWidth];
        float[] states = inputs.states();
        for (int i = 0; i < count; i++) {
            int row = i * wordWidth;
            if (inputs.hasState()[i]) {
                for (int d = 0; d < hidden; d++) {
                    vectors[row + d] = (states[i * hidden + d] - mean[d]) * invStd[d];
                }
            }
            System.arraycopy(
                    inputs.flags(), i * WordFeatures.FLAG_COUNT, vectors, row + hidden, WordFeatures.FLAG_COUNT);
            int embeddingStart = row + hidden + WordFeatures.FLAG_COUNT;
            for (int s = 0; s < WordFeatures.ID_COUNT; s++) {
                int id = inputs.ids()[i * WordFeatures.ID_COUNT + s];
                System.arraycopy(
                        embeddings, id * embeddingDim, vectors, embeddingStart + s * embeddingDim, embeddingDim);
            }
        }
        return vectors;
    }

    private void checkWidth(int width) {
        if (width != hidden) {
            throw new IllegalArgumentException("entity head expects encoder states of width " + hidden + " but got "
                    + width + ": the head does not match the encoder");
        }
    }
}
