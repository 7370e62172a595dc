/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.benchmark;

import io.heed.jobs.embedded.SampleTexts;
import io.heed.schemas.TextEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The benchmark's text sets, all built from the repository's sample texts so every run uses the same data: the
 * realistic length mix of the samples themselves, and sets cut to a fixed number of tokens.
 */
final class BenchmarkTexts {
    private BenchmarkTexts() {}

    /** A named list of texts and their total token count (special tokens included). */
    record TextSet(String name, List<String> texts, long tokens) {
        double meanTokens() {
            return (double) tokens / texts.size();
        }
    }

    /** The sample texts in file order, cycled to {@code count} texts. */
    static TextSet sampleMix(int count, ToIntFunction<String> tokenCount) {
        List<String> samples =
                SampleTexts.load().stream().map(TextEvent::getText).toList();
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(samples.get(i % samples.size()));
        }
        return new TextSet("sample mix", texts, total(texts, tokenCount));
    }

    /**
     * {@code count} texts of {@code tokens} tokens each (at least; a last word split into several wordpieces may add
     * one or two), made of consecutive words of the samples, each text starting at a different word.
     */
    static TextSet fixedTokens(int tokens, int count, ToIntFunction<String> tokenCount) {
        String[] words = SampleTexts.load().stream()
                .map(TextEvent::getText)
                .flatMap(text -> Arrays.stream(text.split("\\s+")))
                .filter(w -> !w.isEmpty())
                .toArray(String[]::new);
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int start = (int) ((long) i * 7919 % words.length);
            StringBuilder text = new StringBuilder();
            for (int w = start; tokenCount.applyAsInt(text.toString()) < tokens; w = (w + 1) % words.length) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(words[w]);
            }
            texts.add(text.toString());
        }
        return new TextSet(tokens + "-token texts", texts, total(texts, tokenCount));
    }

    private static long total(List<String> texts, ToIntFunction<String> tokenCount) {
        return texts.stream().mapToLong(tokenCount::applyAsInt).sum();
    }
}
