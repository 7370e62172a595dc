/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L F1 of a candidate summary against one reference.
 *
 * <p>Tokenisation follows the original ROUGE-1.5.5 script (and Google's {@code rouge-score}) without stemming or
 * stop-word removal: the text is lower-cased, every run of characters other than {@code [a-z0-9]} becomes a separator,
 * and the remaining runs are the tokens. So punctuation is dropped ("$1.13bn" gives "1", "13bn"), and letters outside
 * ASCII (accents, CJK, emoji) are dropped too, exactly as the original script does.
 *
 * <p>ROUGE-N counts clipped n-gram matches ({@code min} of the counts on both sides); ROUGE-L is the longest common
 * subsequence of the two whole token sequences (not the sentence-level "summary-level LCS" variant). Each score is
 * F1 = 2PR / (P + R), and 0 when either side has no n-gram (including both texts empty).
 */
public final class Rouge {
    private Rouge() {}

    /** F1 scores, each within [0, 1]. */
    public record Scores(double rouge1, double rouge2, double rougeL) {}

    public static Scores score(String candidate, String reference) {
        List<String> c = tokens(candidate);
        List<String> r = tokens(reference);
        return new Scores(rougeN(c, r, 1), rougeN(c, r, 2), rougeL(c, r));
    }

    /** Lower-cased {@code [a-z0-9]+} runs of the text. */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        if (text == null) {
            return tokens;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            char ch = i < lower.length() ? lower.charAt(i) : ' ';
            boolean word = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                tokens.add(lower.substring(start, i));
                start = -1;
            }
        }
        return tokens;
    }

    static double rougeN(List<String> candidate, List<String> reference, int n) {
        Map<String, Integer> c = ngrams(candidate, n);
        Map<String, Integer> r = ngrams(reference, n);
        int candidateTotal = Math.max(0, candidate.size() - n + 1);
        int referenceTotal = Math.max(0, reference.size() - n + 1);
        int overlap = 0;
        for (Map.Entry<String, Integer> e : c.entrySet()) {
            overlap += Math.min(e.getValue(), r.getOrDefault(e.getKey(), 0));
        }
        return f1(overlap, candidateTotal, referenceTotal);
    }

    static double rougeL(List<String> candidate, List<String> reference) {
        return f1(lcs(candidate, reference), candidate.size(), reference.size());
    }

    /** Length of the longest common subsequence, O(|a|·|b|) time and O(|b|) memory. */
    static int lcs(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }

    private static Map<String, Integer> ngrams(List<String> tokens, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }

    private static double f1(int overlap, int candidateTotal, int referenceTotal) {
        if (overlap == 0 || candidateTotal == 0 || referenceTotal == 0) {
            return 0.0;
        }
        double precision = (double) overlap / candidateTotal;
        double recall = (double) overlap / referenceTotal;
        return 2 * precision * recall / (precision + recall);
    }
}
