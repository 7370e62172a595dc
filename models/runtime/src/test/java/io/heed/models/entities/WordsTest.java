/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.models.encoder.TokenStates;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Word segmentation, word-to-wordpiece alignment and word features. */
class WordsTest {

    @Test
    void segmentsPunctuationSeparatelyAndSkipsRepeatedSpaces() {
        String text = "Merkel,  in   Berlin (Germany).";

        Words words = Words.segment(text);

        assertThat(wordsOf(words)).containsExactly("Merkel", ",", "in", "Berlin", "(", "Germany", ")", ".");
        assertSpansExact(words);
        assertThat(words.starts()[3]).isEqualTo(text.indexOf("Berlin"));
    }

    @Test
    void offsetsStayExactAroundEmojiSurrogatePairsAndCjk() {
        String text = "Hi 👋🏽 Zoë visited 東京 \u00a0 and\tParis 🇫🇷!";

        Words words = Words.segment(text);

        assertSpansExact(words);
        assertThat(wordsOf(words)).contains("Zoë", "Paris", "!").doesNotContain(" ", "\u00a0", "\t");
        for (int i = 0; i < words.count(); i++) {
            // No word starts or ends inside a surrogate pair.
            assertThat(Character.isLowSurrogate(text.charAt(words.starts()[i]))).isFalse();
            assertThat(Character.isHighSurrogate(text.charAt(words.ends()[i] - 1)))
                    .isFalse();
        }
        assertThat(text.substring(words.starts()[wordsOf(words).indexOf("Paris")]))
                .startsWith("Paris 🇫🇷!");
    }

    @Test
    void emptyAndBlankTextsHaveNoWords() {
        assertThat(Words.segment("").count()).isZero();
        assertThat(Words.segment("  \n\t \u00a0").count()).isZero();
    }

    @Test
    void joinedWordsSpanTheirTokensInTheSpaceJoinedText() {
        Words words = Words.joined(List.of("EU", "rejects", "German", "call", "."));

        assertThat(words.text()).isEqualTo("EU rejects German call .");
        assertSpansExact(words);
        assertThat(wordsOf(words)).containsExactly("EU", "rejects", "German", "call", ".");
    }

    @Test
    void eachWordTakesItsFirstOverlappingWordpieceAndSpecialTokensNeverMatch() {
        // "Merkel met" as [CLS] mer ##kel met [SEP]; a control char word "\u0001" with no wordpiece at the end.
        Words words = Words.segment("Merkel met \u0001");
        TokenStates tokens = new TokenStates(
                new float[5 * 2],
                2,
                new String[] {"[CLS]", "mer", "##kel", "met", "[SEP]"},
                new int[] {0, 0, 3, 7, 0},
                new int[] {0, 3, 6, 10, 0},
                false);

        int[] first = WordInputs.firstTokens(words, tokens);

        assertThat(wordsOf(words)).containsExactly("Merkel", "met", "\u0001");
        assertThat(first).containsExactly(1, 3, -1);
    }

    @Test
    void featuresDescribeTheCasedOriginalWord() {
        Words words = Words.joined(List.of("Angela", "MERKEL", "met", "iPhone", "1996", "."));
        float[] flags = new float[words.count() * WordFeatures.FLAG_COUNT];
        for (int i = 0; i < words.count(); i++) {
            WordFeatures.flags(words, i, flags, i * WordFeatures.FLAG_COUNT);
        }

        assertThat(flag(flags, 0, 0)).as("Angela init cap").isEqualTo(1f);
        assertThat(flag(flags, 0, 7)).as("Angela sentence start").isEqualTo(1f);
        assertThat(flag(flags, 1, 1)).as("MERKEL all caps").isEqualTo(1f);
        assertThat(flag(flags, 2, 2)).as("met all lower").isEqualTo(1f);
        assertThat(flag(flags, 3, 3)).as("iPhone mixed case").isEqualTo(1f);
        assertThat(flag(flags, 4, 5)).as("1996 all digits").isEqualTo(1f);
        assertThat(flag(flags, 5, 6)).as(". all punctuation").isEqualTo(1f);
        assertThat(WordFeatures.shape("Merkel")).isEqualTo("Xx");
        assertThat(WordFeatures.shape("U.S.")).isEqualTo("X.X.");
        assertThat(WordFeatures.shape("1996")).isEqualTo("d");

        int[] ids = new int[2 * WordFeatures.ID_COUNT];
        Words pair = Words.joined(List.of("Berlin", "berlin"));
        WordFeatures.hashedIds(pair, 0, 1 << 15, ids, 0);
        WordFeatures.hashedIds(pair, 1, 1 << 15, ids, WordFeatures.ID_COUNT);
        assertThat(java.util.Arrays.stream(ids).allMatch(id -> id >= 0 && id < 1 << 15))
                .isTrue();
        assertThat(ids[0]).as("cased identity differs").isNotEqualTo(ids[WordFeatures.ID_COUNT]);
        assertThat(ids[6]).as("same lower-case suffix").isEqualTo(ids[WordFeatures.ID_COUNT + 6]);
        assertThat(WordFeatures.bucket("word", "Berlin", 1 << 15))
                .as("stable across runs")
                .isEqualTo(ids[0]);
    }

    private static float flag(float[] flags, int word, int flag) {
        return flags[word * WordFeatures.FLAG_COUNT + flag];
    }

    static List<String> wordsOf(Words words) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < words.count(); i++) {
            list.add(words.word(i));
        }
        return list;
    }

    private static void assertSpansExact(Words words) {
        for (int i = 0; i < words.count(); i++) {
            assertThat(words.ends()[i]).isGreaterThan(words.starts()[i]);
            if (i > 0) {
                assertThat(words.starts()[i]).isGreaterThanOrEqualTo(words.ends()[i - 1]);
            }
            assertThat(words.word(i))
                    .isEqualTo(words.text().substring(words.starts()[i], words.ends()[i]))
                    .isNotBlank();
        }
    }
}
