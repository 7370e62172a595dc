/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits a text into sentences, as character spans into the original text.
 *
 * <p>Two steps: the text is first cut at line breaks (the JDK's sentence iterator does not break at a newline, and in
 * news copy a title or a heading without final punctuation is a sentence of its own), then each line is split by
 * {@link BreakIterator#getSentenceInstance(Locale) BreakIterator.getSentenceInstance(Locale.ROOT)}. Spans are trimmed
 * of white space; empty ones are dropped. Abbreviations are handled as the JDK iterator does: it does not break
 * before a lower-case word ("e.g. more"), but does break after "Mr." before a capitalised name ("Mr. | Smith"). British news
 * style writes "Mr Smith" without the full stop, so this rarely matters on BBC text.
 */
final class SentenceSplitter {
    /** A full stop, "!" or "?" (and an optional closing quote) glued to the capital that starts the next sentence. */
    private static final Pattern JOINED = Pattern.compile("([a-z0-9%)][.!?][\"']?)(?=[A-Z])");

    private SentenceSplitter() {}

    /** A sentence: characters {@code [start, end)} of the text. */
    record Span(int start, int end) {
        String of(String text) {
            return text.substring(start, end);
        }
    }

    /** The sentences of {@code text}, in order; empty for a blank text. */
    static List<Span> split(String text) {
        List<Span> spans = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return spans;
        }
        BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ROOT);
        int lineStart = 0;
        while (lineStart <= text.length()) {
            int newline = text.indexOf('\n', lineStart);
            int lineEnd = newline < 0 ? text.length() : newline;
            if (lineEnd > lineStart) {
                String line = text.substring(lineStart, lineEnd);
                iterator.setText(line);
                int start = iterator.first();
                for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
                    addTrimmed(text, lineStart + start, lineStart + end, spans);
                }
            }
            if (newline < 0) {
                break;
            }
            lineStart = newline + 1;
        }
        return spans;
    }

    /**
     * Sentences of a reference summary from the BBC News Summary data set, whose sentences are joined without a space
     * ("...$10.9bn.For the full-year..."). Only for references: a space is first inserted wherever a sentence-final
     * mark after a lower-case letter, digit, "%" or ")" (and an optional closing quote) is followed directly by a
     * capital letter, then the result is split as usual. Returns the sentence strings (offsets would refer to the
     * repaired text). A quote between the mark and the capital is taken as closing the first sentence
     * ({@code no."Next}); acronyms with full stops ("U.S.A") are left alone (the letter before the stop is a capital).
     */
    static List<String> splitReference(String reference) {
        String repaired = separateJoinedSentences(reference);
        List<String> sentences = new ArrayList<>();
        for (Span span : split(repaired)) {
            sentences.add(span.of(repaired));
        }
        return sentences;
    }

    static String separateJoinedSentences(String reference) {
        return reference == null ? "" : JOINED.matcher(reference).replaceAll("$1 ");
    }

    private static void addTrimmed(String text, int start, int end, List<Span> spans) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (end <= start) {
            return;
        }
        // The JDK iterator sometimes cuts before a sentence's final mark (seen with an emoji after it: "people|. 😬"),
        // leaving punctuation or symbols alone; they belong to the sentence before them on the same line.
        if (!spans.isEmpty() && !hasLetterOrDigit(text, start, end)) {
            Span previous = spans.get(spans.size() - 1);
            if (text.substring(previous.end(), start).indexOf('\n') < 0) {
                spans.set(spans.size() - 1, new Span(previous.start(), end));
                return;
            }
        }
        spans.add(new Span(start, end));
    }

    private static boolean hasLetterOrDigit(String text, int start, int end) {
        return text.substring(start, end).codePoints().anyMatch(Character::isLetterOrDigit);
    }
}
