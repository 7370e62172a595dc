/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.heed.models.encoder.CharOffsets;
import io.heed.models.encoder.TokenStates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The trainable encoder as the tasks see it: texts tokenised as the runtime tokenises them (whole text, [CLS] ...
 * [SEP]; cut to {@code maxTokens} keeping [SEP]), padded batches for training, and {@link TokenStates} for
 * evaluation, so evaluation runs the plain-Java heads exactly as inference does.
 */
final class TrainingEncoder {
    /** One tokenised text: wordpiece ids, wordpieces, and each one's char span (0, 0 for special tokens). */
    record Tokens(long[] ids, String[] pieces, int[] starts, int[] ends) {
        int length() {
            return ids.length;
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final BertBlock block;
    private final int hidden;

    TrainingEncoder(HuggingFaceTokenizer tokenizer, BertBlock block, int hidden) {
        this.tokenizer = tokenizer;
        this.block = block;
        this.hidden = hidden;
    }

    List<Tokens> tokenize(List<String> texts, int maxTokens) {
        List<Tokens> result = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += 1024) {
            List<String> chunk = texts.subList(from, Math.min(texts.size(), from + 1024));
            Encoding[] encodings = tokenizer.batchEncode(chunk);
            for (int i = 0; i < encodings.length; i++) {
                result.add(cut(encodings[i], chunk.get(i), maxTokens));
            }
        }
        return result;
    }

    private static Tokens cut(Encoding encoding, String text, int maxTokens) {
        long[] ids = encoding.getIds();
        String[] pieces = encoding.getTokens();
        int length = Math.min(ids.length, maxTokens);
        long[] keptIds = Arrays.copyOf(ids, length);
        String[] keptPieces = Arrays.copyOf(pieces, length);
        keptIds[length - 1] = ids[ids.length - 1]; // [SEP] stays last, as the runtime's windows keep it
        keptPieces[length - 1] = pieces[pieces.length - 1];
        // UTF-16 spans, as the runtime's encoder gives them; the last position is [SEP], whose span stays 0.
        int[][] spans = CharOffsets.tokenSpans(encoding, text);
        int[] starts = new int[length];
        int[] ends = new int[length];
        System.arraycopy(spans[0], 1, starts, 1, length - 2);
        System.arraycopy(spans[1], 1, ends, 1, length - 2);
        return new Tokens(keptIds, keptPieces, starts, ends);
    }

    /** Ids {@code [batch, width]} (int64) and mask {@code [batch, width]} for the chosen texts. */
    static NDList inputs(NDManager manager, List<Tokens> texts) {
        int width = texts.stream().mapToInt(Tokens::length).max().orElseThrow();
        long[] ids = new long[texts.size() * width];
        float[] mask = new float[texts.size() * width];
        for (int b = 0; b < texts.size(); b++) {
            System.arraycopy(texts.get(b).ids(), 0, ids, b * width, texts.get(b).length());
            Arrays.fill(mask, b * width, b * width + texts.get(b).length(), 1f);
        }
        Shape shape = new Shape(texts.size(), width);
        return new NDList(manager.create(ids, shape), manager.create(mask, shape));
    }

    /** Last hidden states {@code [batch, width, hidden]}. */
    NDArray forward(ParameterStore store, NDList inputs, boolean training) {
        return block.forward(store, inputs, training).singletonOrThrow();
    }

    /** A text's token layout with zero states: what feature builders need to place words on wordpieces. */
    TokenStates layout(Tokens tokens) {
        return new TokenStates(
                new float[tokens.length() * hidden], hidden, tokens.pieces(), tokens.starts(), tokens.ends(), false);
    }

    /** Inference (no dropout, no gradients) over many texts in length-sorted batches; states in input order. */
    List<TokenStates> encode(NDManager manager, List<Tokens> texts, int batchSize) {
        Integer[] order = new Integer[texts.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> texts.get(i).length()));
        TokenStates[] result = new TokenStates[texts.size()];
        for (int from = 0; from < order.length; from += batchSize) {
            List<Tokens> batch = new ArrayList<>();
            for (int i = from; i < Math.min(order.length, from + batchSize); i++) {
                batch.add(texts.get(order[i]));
            }
            try (NDManager scratch = manager.newSubManager()) {
                NDList inputs = inputs(scratch, batch);
                float[] states = forward(new ParameterStore(scratch, false), inputs, false)
                        .toFloatArray();
                int width = (int) inputs.get(0).getShape().get(1);
                for (int b = 0; b < batch.size(); b++) {
                    Tokens tokens = batch.get(b);
                    result[order[from + b]] = new TokenStates(
                            Arrays.copyOfRange(states, b * width * hidden, (b * width + tokens.length()) * hidden),
                            hidden,
                            tokens.pieces(),
                            tokens.starts(),
                            tokens.ends(),
                            false);
                }
            }
        }
        return List.of(result);
    }
}
