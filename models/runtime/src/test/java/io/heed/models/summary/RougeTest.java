/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RougeTest {
    private static final double EPS = 1e-9;

    @Test
    void catOnTheMatCheckedByHand() {
        // candidate: the cat sat on the mat   reference: the cat lay on the mat   (6 tokens each)
        // ROUGE-1: clipped unigram matches the×2, cat, on, mat = 5 → P = R = 5/6 → F1 = 5/6.
        // ROUGE-2: candidate bigrams the-cat cat-sat sat-on on-the the-mat; reference the-cat cat-lay lay-on on-the
        //          the-mat; matches the-cat, on-the, the-mat = 3 of 5 each → F1 = 3/5.
        // ROUGE-L: LCS "the cat on the mat" = 5 → P = R = 5/6 → F1 = 5/6.
        Rouge.Scores s = Rouge.score("the cat sat on the mat", "the cat lay on the mat");
        assertThat(s.rouge1()).isCloseTo(5.0 / 6, within(EPS));
        assertThat(s.rouge2()).isCloseTo(3.0 / 5, within(EPS));
        assertThat(s.rougeL()).isCloseTo(5.0 / 6, within(EPS));
    }

    @Test
    void wordOrderMattersOnlyToRouge2AndRougeL() {
        // Lin (2004)'s example. candidate: the gunman kill police   reference: police killed the gunman
        // ROUGE-1: police, the, gunman match = 3 of 4 → F1 = 3/4.
        // ROUGE-2: the-gunman is the only shared bigram, 1 of 3 each → F1 = 1/3.
        // ROUGE-L: LCS "the gunman" = 2 of 4 → F1 = 1/2.
        Rouge.Scores s = Rouge.score("the gunman kill police", "police killed the gunman");
        assertThat(s.rouge1()).isCloseTo(0.75, within(EPS));
        assertThat(s.rouge2()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(s.rougeL()).isCloseTo(0.5, within(EPS));
    }

    @Test
    void unequalLengthsGiveF1OfPrecisionAndRecall() {
        // candidate: the cat (2)   reference: the cat sat (3)
        // ROUGE-1: 2 matches, P = 1, R = 2/3 → F1 = 2·(2/3)/(5/3) = 0.8; ROUGE-L the same (LCS 2).
        // ROUGE-2: the-cat matches, P = 1/1, R = 1/2 → F1 = 2/3.
        Rouge.Scores s = Rouge.score("the cat", "the cat sat");
        assertThat(s.rouge1()).isCloseTo(0.8, within(EPS));
        assertThat(s.rouge2()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(s.rougeL()).isCloseTo(0.8, within(EPS));
    }

    @Test
    void matchesAreClippedToTheReferenceCount() {
        // "the" three times in the candidate but once in the reference: 1 match. P = 1/3, R = 1/2 → F1 = 0.4.
        assertThat(Rouge.score("the the the", "the cat").rouge1()).isCloseTo(0.4, within(EPS));
    }

    @Test
    void identicalTextsScoreOne() {
        String text = "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn.";
        assertThat(Rouge.score(text, text)).isEqualTo(new Rouge.Scores(1.0, 1.0, 1.0));
    }

    @Test
    void tokensAreLowerCasedAsciiAlphanumericRuns() {
        assertThat(Rouge.tokens("The $1.13bn (£600m) deal, CAT's!"))
                .containsExactly("the", "1", "13bn", "600m", "deal", "cat", "s");
        // As the original script: letters outside [a-z0-9] separate tokens and are dropped.
        assertThat(Rouge.tokens("Café 東京 🙂 ok")).containsExactly("caf", "ok");
        assertThat(Rouge.score("THE CAT.", "the cat").rouge1()).isEqualTo(1.0);
    }

    @Test
    void emptyOrDisjointTextsScoreZero() {
        Rouge.Scores zero = new Rouge.Scores(0, 0, 0);
        assertThat(Rouge.score("", "the cat")).isEqualTo(zero);
        assertThat(Rouge.score("the cat", "")).isEqualTo(zero);
        assertThat(Rouge.score("", "")).isEqualTo(zero);
        assertThat(Rouge.score(null, "the cat")).isEqualTo(zero);
        assertThat(Rouge.score("dog runs", "the cat")).isEqualTo(zero);
        // One token on each side: a unigram match but no bigram at all.
        assertThat(Rouge.score("cat", "cat")).isEqualTo(new Rouge.Scores(1.0, 0.0, 1.0));
    }
}
