/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One text's encoder windows: which token ids each window row holds, and how the rows' states are stitched back into
 * one sequence covering the whole text.
 */
final class TextWindows {
    private final String text;
    private final Encoding encoding;
    /** Body tokens used (special tokens excluded), after the document cap. */
    private final int bodyLength;

    private final boolean truncated;
    /** Start of each window in body-token coordinates; every window holds up to {@code windowBody} tokens. */
    private final int[] windowStarts;

    private final int windowBody;
    private final int firstRow;
    private final List<long[]> rows;

    private TextWindows(
            String text,
            Encoding encoding,
            int bodyLength,
            boolean truncated,
            int[] windowStarts,
            int windowBody,
            int firstRow,
            List<long[]> rows) {
        this.text = text;
        this.encoding = encoding;
        this.bodyLength = bodyLength;
        this.truncated = truncated;
        this.windowStarts = windowStarts;
        this.windowBody = windowBody;
        this.firstRow = firstRow;
        this.rows = rows;
    }

    /**
     * Plans the windows of an encoding made with special tokens: {@code [CLS] body... [SEP]}.
     *
     * @param text     the text the encoding is of (to turn the tokenizer's code point spans into UTF-16 offsets)
     * @param firstRow index of this text's first row in the whole batch
     */
    static TextWindows plan(String text, Encoding encoding, Windowing windowing, int firstRow) {
        long[] ids = encoding.getIds();
        long cls = ids[0];
        long sep = ids[ids.length - 1];
        int fullBody = ids.length - 2;
        int bodyLength = Math.min(fullBody, windowing.maxDocumentTokens() - 2);
        int windowBody = windowing.bodyTokens();
        List<Integer> starts = new ArrayList<>();
        int start = 0;
        while (true) {
            starts.add(start);
            if (start + windowBody >= bodyLength) {
                break;
            }
            start += windowing.step();
        }
        List<long[]> rows = new ArrayList<>(starts.size());
        for (int windowStart : starts) {
            int end = Math.min(bodyLength, windowStart + windowBody);
            long[] row = new long[end - windowStart + 2];
            row[0] = cls;
            System.arraycopy(ids, 1 + windowStart, row, 1, end - windowStart);
            row[row.length - 1] = sep;
            rows.add(row);
        }
        return new TextWindows(
                text,
                encoding,
                bodyLength,
                bodyLength < fullBody,
                starts.stream().mapToInt(Integer::intValue).toArray(),
                windowBody,
                firstRow,
                rows);
    }

    List<long[]> rows() {
        return rows;
    }

    /** Joins the windows' states: each body token from the window where it is furthest from an edge. */
    TokenStates stitch(float[][] rowStates, int hiddenSize) {
        int length = bodyLength + 2;
        float[] states = stitchValues(rowStates, hiddenSize);
        String[] allTokens = encoding.getTokens();
        String[] tokens = new String[length];
        System.arraycopy(allTokens, 0, tokens, 0, length - 1);
        tokens[length - 1] = allTokens[allTokens.length - 1];
        int[][] spans = tokenSpans();
        return new TokenStates(states, hiddenSize, tokens, spans[0], spans[1], truncated);
    }

    /**
     * Joins per-token values of the windows ({@code width} floats per token, each row trimmed to its real tokens) the
     * way {@link #stitch} joins states: [CLS] from the first window, [SEP] from the last, each body token from
     * {@link #locate its best window}.
     */
    float[] stitchValues(float[][] rowValues, int width) {
        int length = bodyLength + 2;
        float[] values = new float[length * width];
        for (int token = 0; token < length; token++) {
            int[] at = locate(token);
            System.arraycopy(rowValues[at[0]], at[1] * width, values, token * width, width);
        }
        return values;
    }

    /**
     * Where the value of document token {@code token} ([CLS] is 0) is taken from: {@code {batch row, position in the
     * row}}. Body tokens come from the window where they sit furthest from an edge.
     */
    int[] locate(int token) {
        int lastWindow = windowStarts.length - 1;
        if (token == 0) {
            return new int[] {firstRow, 0};
        }
        if (token == bodyLength + 1) {
            return new int[] {firstRow + lastWindow, rows.get(lastWindow).length - 1};
        }
        int window = bestWindow(token - 1);
        return new int[] {firstRow + window, token - windowStarts[window]};
    }

    /** First row of this text in the batch. */
    int firstRow() {
        return firstRow;
    }

    /**
     * Char spans of the document's tokens in UTF-16 offsets, {@code {starts, ends}}: kept tokens keep their spans,
     * [CLS] and the final [SEP] have empty ones.
     */
    int[][] tokenSpans() {
        int length = bodyLength + 2;
        int[][] spans = CharOffsets.tokenSpans(encoding, text);
        int[] starts = new int[length];
        int[] ends = new int[length];
        System.arraycopy(spans[0], 1, starts, 1, length - 2);
        System.arraycopy(spans[1], 1, ends, 1, length - 2);
        return new int[][] {starts, ends};
    }

    private int bestWindow(int token) {
        int best = 0;
        int bestMargin = Integer.MIN_VALUE;
        for (int w = 0; w < windowStarts.length; w++) {
            int start = windowStarts[w];
            int end = Math.min(bodyLength, start + windowBody);
            if (token < start || token >= end) {
                continue;
            }
            // A window edge at the document's own start or end cuts off no context.
            int left = start == 0 ? Integer.MAX_VALUE : token - start;
            int right = end == bodyLength ? Integer.MAX_VALUE : end - 1 - token;
            int margin = Math.min(left, right);
            if (margin > bestMargin) {
                bestMargin = margin;
                best = w;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "TextWindows{" + bodyLength + " tokens in windows at " + Arrays.toString(windowStarts) + "}";
    }
}
