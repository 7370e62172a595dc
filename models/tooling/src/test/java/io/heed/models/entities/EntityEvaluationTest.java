/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntityEvaluationTest {

    @Test
    void countsExactSpanAndTypeMatchesPerTypeAndMicro() {
        ConllReader.Sentence sentence = new ConllReader.Sentence(
                List.of("Angela", "Merkel", "visited", "New", "York", "for", "Reuters", "."),
                List.of("B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O", "B-ORG", "O"));
        Words words = Words.joined(sentence.words());
        String text = words.text();
        List<Entity> predicted = List.of(
                entity(text, "Angela Merkel", "PER"), // correct
                entity(text, "York", "LOC"), // wrong span
                entity(text, "Reuters", "MISC")); // wrong type

        EntityEvaluation.Result result =
                EntityEvaluation.score(List.of(sentence), List.of(words), List.of(predicted), 10.0);

        assertThat(result.perType().get("PER")).isEqualTo(new EntityEvaluation.Scores(1, 1, 1));
        assertThat(result.perType().get("LOC")).isEqualTo(new EntityEvaluation.Scores(1, 1, 0));
        assertThat(result.perType().get("ORG")).isEqualTo(new EntityEvaluation.Scores(0, 1, 0));
        assertThat(result.perType().get("MISC")).isEqualTo(new EntityEvaluation.Scores(1, 0, 0));
        assertThat(result.micro()).isEqualTo(new EntityEvaluation.Scores(3, 3, 1));
        assertThat(result.micro().f1()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(result.toMarkdown())
                .contains("| type | precision | recall | F1 | gold |")
                .contains("| PER | 1.0000 | 1.0000 | 1.0000 | 1 |")
                .contains("| **micro** | **0.3333** | **0.3333** | **0.3333** | **3** |");
    }

    @Test
    void emptyCountsScoreZeroRatherThanNaN() {
        EntityEvaluation.Scores none = new EntityEvaluation.Scores(0, 0, 0);

        assertThat(none.precision()).isZero();
        assertThat(none.recall()).isZero();
        assertThat(none.f1()).isZero();
    }

    private static Entity entity(String text, String surface, String type) {
        int start = text.indexOf(surface);
        return new Entity(surface, type, start, start + surface.length(), 0.9f);
    }
}
