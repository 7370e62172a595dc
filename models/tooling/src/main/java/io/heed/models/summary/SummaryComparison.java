/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Mean ROUGE F1 and words of several summarisers on the same prepared articles (encoded once), including the
 * baselines at a word budget so a budgeted Heed is compared fairly: Lead-3 kept within the budget (first sentences
 * while they fit, at least one), and lead-N-words (the text's first N white-space words, cut mid-sentence).
 */
public final class SummaryComparison {
    private SummaryComparison() {}

    /** Mean F1 scores and mean words of one system. */
    public record Row(String system, double rouge1, double rouge2, double rougeL, double words) {
        public String markdown() {
            return String.format(
                    Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.1f |", system, rouge1, rouge2, rougeL, words);
        }
    }

    public static String header() {
        return "| system | ROUGE-1 | ROUGE-2 | ROUGE-L | words |\n|---|---|---|---|---|";
    }

    static Row score(
            String system,
            List<SummaryEvaluation.Prepared> prepared,
            Function<SummaryEvaluation.Prepared, String> summarise) {
        double r1 = 0;
        double r2 = 0;
        double rl = 0;
        double words = 0;
        for (SummaryEvaluation.Prepared p : prepared) {
            String summary = summarise.apply(p);
            Rouge.Scores s = Rouge.score(summary, p.article().reference());
            r1 += s.rouge1();
            r2 += s.rouge2();
            rl += s.rougeL();
            words += SentenceFeatures.wordCount(summary);
        }
        int n = Math.max(1, prepared.size());
        return new Row(system, r1 / n, r2 / n, rl / n, words / n);
    }

    static Row heed(String system, Summarizer summarizer, List<SummaryEvaluation.Prepared> prepared) {
        return score(
                system,
                prepared,
                p -> summarizer
                        .summarize(p.article().text(), p.sentences(), p.vectors())
                        .text());
    }

    /**
     * Each of {@code systems} (name to summariser) and the baselines ({@link #baselines}) on the same articles, encoded
     * once; rows in that order.
     */
    public static List<Row> compare(
            io.heed.models.encoder.TransformerEncoder encoder,
            List<SummaryEvaluation.Article> articles,
            Map<String, Summarizer> systems,
            int maxWords) {
        List<SummaryEvaluation.Prepared> prepared = SummaryEvaluation.prepare(encoder, articles, message -> {});
        List<Row> rows = new ArrayList<>();
        systems.forEach((name, summarizer) -> rows.add(heed(name, summarizer, prepared)));
        rows.addAll(baselines(prepared, maxWords));
        return rows;
    }

    /** Lead-3, TextRank (top 3) and, with a budget, Lead-3 within it, TextRank within it and lead-N-words. */
    static List<Row> baselines(List<SummaryEvaluation.Prepared> prepared, int maxWords) {
        List<Row> rows = new ArrayList<>();
        rows.add(score(
                "Lead-3",
                prepared,
                p -> Lead3.summarize(p.article().text(), p.sentences()).text()));
        rows.add(score(
                "TextRank (top 3)",
                prepared,
                p -> TextRank.summarize(p.article().text(), p.sentences()).text()));
        if (maxWords > 0) {
            rows.add(score(
                    "Lead-3 within " + maxWords + " words",
                    prepared,
                    p -> leadWithin(p.article().text(), p.sentences(), maxWords)));
            rows.add(score(
                    "TextRank (top 3) within " + maxWords + " words",
                    prepared,
                    p -> textRankWithin(p.article().text(), p.sentences(), maxWords)));
            rows.add(score(
                    "lead-" + maxWords + "-words",
                    prepared,
                    p -> leadWords(p.article().text(), maxWords)));
        }
        return rows;
    }

    /** The first (up to three) sentences while they fit {@code maxWords}; at least the first sentence. */
    static String leadWithin(String text, List<SentenceSplitter.Span> sentences, int maxWords) {
        List<Integer> chosen = new ArrayList<>();
        int used = 0;
        for (int i = 0; i < sentences.size() && chosen.size() < 3; i++) {
            int words = SentenceFeatures.wordCount(sentences.get(i).of(text));
            if (chosen.isEmpty() || used + words <= maxWords) {
                chosen.add(i);
                used += words;
            } else {
                break;
            }
        }
        return Summary.of(text, sentences, chosen).text();
    }

    /** TextRank's order, taking sentences while they fit (skipping those that do not), at most three, at least one. */
    static String textRankWithin(String text, List<SentenceSplitter.Span> sentences, int maxWords) {
        int n = sentences.size();
        if (n == 0) {
            return "";
        }
        double[] rank = TextRank.rank(TextRank.similarities(text, sentences));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort((a, b) -> rank[a] != rank[b] ? Double.compare(rank[b], rank[a]) : Integer.compare(a, b));
        List<Integer> chosen = new ArrayList<>();
        int used = 0;
        for (int i : order) {
            int words = SentenceFeatures.wordCount(sentences.get(i).of(text));
            if (used + words <= maxWords) {
                chosen.add(i);
                used += words;
            }
            if (chosen.size() == 3) {
                break;
            }
        }
        if (chosen.isEmpty()) {
            chosen.add(order.get(0));
        }
        return Summary.of(text, sentences, chosen).text();
    }

    /** The first {@code maxWords} white-space separated words of the text. */
    static String leadWords(String text, int maxWords) {
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            return "";
        }
        String[] words = stripped.split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(maxWords, words.length)));
    }

    static Map<String, Object> json(Row row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("system", row.system());
        out.put("rouge1", round(row.rouge1()));
        out.put("rouge2", round(row.rouge2()));
        out.put("rougeL", round(row.rougeL()));
        out.put("words", Math.round(row.words() * 10) / 10.0);
        return out;
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
