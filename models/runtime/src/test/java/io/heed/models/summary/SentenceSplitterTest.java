/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    private static List<String> sentences(String text) {
        return SentenceSplitter.split(text).stream().map(span -> span.of(text)).toList();
    }

    @Test
    void spansAreOffsetsIntoTheOriginalText() {
        String text = "Hello world. This is a test.";
        assertThat(SentenceSplitter.split(text))
                .containsExactly(new SentenceSplitter.Span(0, 12), new SentenceSplitter.Span(13, 28));
    }

    @Test
    void linesWithoutFinalPunctuationAreSentencesOfTheirOwn() {
        String text = "Ad sales boost Time Warner profit\n\nProfits jumped 76%. Sales rose 2%.\n"
                + "A heading without a full stop\nLast line.";
        assertThat(sentences(text))
                .containsExactly(
                        "Ad sales boost Time Warner profit",
                        "Profits jumped 76%.",
                        "Sales rose 2%.",
                        "A heading without a full stop",
                        "Last line.");
    }

    @Test
    void spansAreTrimmedAndEmptyOnesSkipped() {
        assertThat(SentenceSplitter.split("   Padded.   \r\n  \n\n")).containsExactly(new SentenceSplitter.Span(3, 10));
        assertThat(SentenceSplitter.split("  \n\n \t ")).isEmpty();
        assertThat(SentenceSplitter.split("")).isEmpty();
        assertThat(SentenceSplitter.split(null)).isEmpty();
    }

    @Test
    void textWithoutPunctuationIsOneSentence() {
        assertThat(sentences("no punctuation at all here")).containsExactly("no punctuation at all here");
        assertThat(sentences("東京は晴れ 🙂 ok")).containsExactly("東京は晴れ 🙂 ok");
    }

    @Test
    void abbreviationsAreHandledAsTheJdkIteratorDoes() {
        // The JDK rules break after "Mr." before a capitalised word (British style writes "Mr Smith" anyway) ...
        assertThat(sentences("Mr. Smith went home. He slept.")).containsExactly("Mr.", "Smith went home.", "He slept.");
        assertThat(sentences("Mr Smith went home. He slept.")).containsExactly("Mr Smith went home.", "He slept.");
        // ... but not before a lower-case word, nor inside numbers.
        assertThat(sentences("Fruit, e.g. apples, rose 1.5% today. Then it fell."))
                .containsExactly("Fruit, e.g. apples, rose 1.5% today.", "Then it fell.");
    }

    @Test
    void questionAndExclamationMarksEndSentences() {
        assertThat(sentences("Really? Yes! \"It works,\" he said."))
                .containsExactly("Really?", "Yes!", "\"It works,\" he said.");
    }

    @Test
    void referenceSummariesJoinedWithoutSpacesAreSeparated() {
        String reference = "Sales rose 2% to $11.1bn from $10.9bn.For the full-year, profit rose 27%.It said \"no.\""
                + "Next came the US (and 1.5%).Done!Really";
        assertThat(SentenceSplitter.splitReference(reference))
                .containsExactly(
                        "Sales rose 2% to $11.1bn from $10.9bn.",
                        "For the full-year, profit rose 27%.",
                        "It said \"no.\"",
                        "Next came the US (and 1.5%).",
                        "Done!",
                        "Really");
        // Acronyms with full stops stay as they are (a capital before the stop).
        assertThat(SentenceSplitter.separateJoinedSentences("the U.S.Army left"))
                .isEqualTo("the U.S.Army left");
        // Without the pre-step the JDK iterator keeps them together.
        assertThat(sentences("from $10.9bn.For the full-year.")).hasSize(1);
    }

    @Test
    void punctuationAndSymbolsCutOffByTheJdkIteratorStayWithTheirSentence() {
        // The JDK iterator alone gives "Guess ... people" | "." | "😬".
        String text = "Coffee shop wifi is down. Guess I'll have to talk to people. 😬";

        List<SentenceSplitter.Span> spans = SentenceSplitter.split(text);

        assertThat(spans)
                .extracting(span -> span.of(text))
                .containsExactly("Coffee shop wifi is down.", "Guess I'll have to talk to people. 😬");
    }
}
