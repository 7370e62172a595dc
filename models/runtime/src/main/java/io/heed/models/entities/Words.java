/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import java.text.BreakIterator;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The words of a text, as char spans into it; entities are predicted over words. Raw text is split with the JDK's
 * word {@link BreakIterator} (punctuation separate, close to CoNLL's tokenisation); CoNLL sentences come already split
 * and are joined with single spaces, so training, evaluation and inference share everything from here on.
 *
 * @param text   the original text
 * @param starts UTF-16 start offset of each word
 * @param ends   UTF-16 end offset (exclusive) of each word
 */
record Words(String text, int[] starts, int[] ends) {

    Words {
        if (starts.length != ends.length) {
            throw new IllegalArgumentException("one end per start expected");
        }
    }

    int count() {
        return starts.length;
    }

    String word(int i) {
        return text.substring(starts[i], ends[i]);
    }

    /** Splits raw text into words, skipping whitespace-only segments. */
    static Words segment(String text) {
        BreakIterator iterator = BreakIterator.getWordInstance(Locale.ROOT);
        iterator.setText(text);
        int[] starts = new int[16];
        int[] ends = new int[16];
        int count = 0;
        int start = iterator.first();
        for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
            if (isBlank(text, start, end)) {
                continue;
            }
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count] = end;
            count++;
        }
        return new Words(text, Arrays.copyOf(starts, count), Arrays.copyOf(ends, count));
    }

    /** Pre-split words (a CoNLL sentence) joined by single spaces into one text. */
    static Words joined(List<String> words) {
        StringBuilder text = new StringBuilder();
        int[] starts = new int[words.size()];
        int[] ends = new int[words.size()];
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) {
                text.append(' ');
            }
            starts[i] = text.length();
            text.append(words.get(i));
            ends[i] = text.length();
        }
        return new Words(text.toString(), starts, ends);
    }

    private static boolean isBlank(String text, int start, int end) {
        for (int i = start; i < end; ) {
            int codePoint = text.codePointAt(i);
            // Java's isWhitespace excludes no-break spaces; isSpaceChar covers them.
            if (!Character.isWhitespace(codePoint) && !Character.isSpaceChar(codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
