/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The word budget of {@link Summarizer.Builder#maxWords}, on hand-made sentence vectors (no encoder). */
class SummaryWordBudgetTest {
    // Words per sentence: 6, 2, 5, 3, 4.
    private static final String TEXT = "One two three four five six. Seven eight. Nine ten eleven twelve thirteen. "
            + "Fourteen fifteen sixteen. Seventeen eighteen nineteen twenty.";
    private static final List<SentenceSplitter.Span> SPANS = SentenceSplitter.split(TEXT);
    /** Unrelated sentences (one-hot vectors): no redundancy penalty or repeat guard is at work. */
    private static final SentenceVectors VECTORS = new SentenceVectors(
            new float[][] {{1, 0, 0, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 1, 0, 0}, {0, 0, 0, 1, 0}, {0, 0, 0, 0, 1}},
            new int[] {6, 2, 5, 3, 4});

    /** Relevance is the position prior alone, so sentences are offered in document order. */
    private static Summary leadOrder(int maxWords, int maxSentences) {
        return Summarizer.builder()
                .attentionScorer()
                .positionWeight(1)
                .redundancyLambda(1)
                .maxSentences(maxSentences)
                .maxWords(maxWords)
                .build()
                .summarize(TEXT, SPANS, VECTORS);
    }

    private static int words(Summary summary) {
        return summary.text().isBlank() ? 0 : summary.text().split("\\s+").length;
    }

    @Test
    void takesSentencesWhileTheyFitAndSkipsThoseThatDoNot() {
        assertThat(SPANS).hasSize(5);
        assertThat(leadOrder(8, 3).sentenceIndices()).containsExactly(0, 1);
        // Sentence 2 (5 words) does not fit after 0 and 1 (8 words), but the shorter sentence 3 (3 words) does.
        Summary skipping = leadOrder(11, 3);
        assertThat(skipping.sentenceIndices()).containsExactly(0, 1, 3);
        assertThat(words(skipping)).isEqualTo(11);
        assertThat(skipping.text()).isEqualTo("One two three four five six. Seven eight. Fourteen fifteen sixteen.");
        // The sentence count still applies within the budget.
        assertThat(leadOrder(100, 2).sentenceIndices()).containsExactly(0, 1);
        assertThat(leadOrder(0, 3).sentenceIndices()).containsExactly(0, 1, 2);
    }

    @Test
    void whenNoSentenceFitsTheMostRelevantOneIsReturnedAlone() {
        Summary summary = leadOrder(1, 3);
        assertThat(summary.sentenceIndices()).containsExactly(0);
        assertThat(words(summary)).isEqualTo(6);
        // ... even when the text has no more sentences than the sentence budget.
        String two = "Three words here. And four words there.";
        List<SentenceSplitter.Span> spans = SentenceSplitter.split(two);
        Summary short2 = Summarizer.builder()
                .attentionScorer()
                .positionWeight(1)
                .maxWords(2)
                .build()
                .summarize(two, spans, new SentenceVectors(new float[][] {{1, 0}, {0, 1}}, new int[] {3, 4}));
        assertThat(short2.sentenceIndices()).containsExactly(0);
        // Without a word budget a short text is still returned whole.
        assertThat(Summarizer.builder()
                        .attentionScorer()
                        .build()
                        .summarize(two, spans, new SentenceVectors(new float[][] {{1, 0}, {0, 1}}, new int[] {3, 4}))
                        .sentenceIndices())
                .containsExactly(0, 1);
    }

    @Test
    void theLearnedScorerKeepsToTheBudgetInDocumentOrder() {
        SentenceScorer scorer = SummaryScorerFileTest.randomScorer(4, false, 21);
        for (int budget : new int[] {3, 7, 9, 12, 20}) {
            Summary summary =
                    Summarizer.builder().scorer(scorer).maxWords(budget).build().summarize(TEXT, SPANS, VECTORS);
            assertThat(summary.sentenceIndices())
                    .as("budget %d", budget)
                    .isNotEmpty()
                    .isSorted()
                    .hasSizeLessThanOrEqualTo(3);
            if (budget >= 6) {
                // At least one sentence fits, so the budget holds.
                assertThat(words(summary)).as("budget %d", budget).isLessThanOrEqualTo(budget);
            } else {
                assertThat(summary.sentenceIndices()).hasSize(1);
            }
        }
    }

    @Test
    void theBudgetIsValidatedAndDescribed() {
        assertThatThrownBy(() -> Summarizer.builder().maxWords(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxWords");
        assertThat(Summarizer.builder().attentionScorer().maxWords(40).build().toString())
                .contains("maxWords=40");
        assertThat(Summarizer.builder().attentionScorer().build().toString()).contains("maxWords=none");
    }
}
