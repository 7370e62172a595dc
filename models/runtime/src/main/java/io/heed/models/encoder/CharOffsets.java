/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.jni.CharSpan;

/**
 * DJL's token char spans ({@code Encoding.getCharTokenSpans()}) count Unicode code points, while Java Strings and
 * Heed's results count UTF-16 units: the two part after the first surrogate pair (most emoji). Every span read from
 * the tokenizer goes through here.
 */
public final class CharOffsets {
    private CharOffsets() {}

    /**
     * The UTF-16 {@code [start, end)} of every token of {@code encoding}, the tokenisation of {@code text}: element
     * 0 holds the starts, element 1 the ends; a token without a span (special tokens) gets 0, 0.
     */
    public static int[][] tokenSpans(Encoding encoding, String text) {
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[] utf16 = utf16Offsets(text);
        int[] starts = new int[spans.length];
        int[] ends = new int[spans.length];
        for (int t = 0; t < spans.length; t++) {
            if (spans[t] != null) {
                starts[t] = utf16(utf16, spans[t].getStart());
                ends[t] = utf16(utf16, spans[t].getEnd());
            }
        }
        return new int[][] {starts, ends};
    }

    /**
     * The UTF-16 offset of every code point index of {@code text} (and of its end), or null when the text has no
     * surrogate pairs and the two counts agree.
     */
    static int[] utf16Offsets(String text) {
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints == text.length()) {
            return null;
        }
        int[] offsets = new int[codePoints + 1];
        int utf16 = 0;
        for (int c = 0; c < codePoints; c++) {
            offsets[c] = utf16;
            utf16 += Character.charCount(text.codePointAt(utf16));
        }
        offsets[codePoints] = text.length();
        return offsets;
    }

    /** A code point offset as a UTF-16 offset, given {@link #utf16Offsets(String)} of the text. */
    static int utf16(int[] offsets, int codePointOffset) {
        return offsets == null ? codePointOffset : offsets[Math.min(codePointOffset, offsets.length - 1)];
    }
}
