/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.ToolArguments;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntityHeadTrainerTest {
    private static Map<String, String> options(String... args) {
        return ToolArguments.parse(args, EntityHeadTrainer.defaults());
    }

    @Test
    void weightsAreRequiredAndPickTheHeadFile() {
        assertThatThrownBy(() -> new EntityHeadTrainer(options())).hasMessageContaining("--weights is required");
        assertThat(new EntityHeadTrainer(options("--weights", "tuned", "--out", "x")).headFile())
                .hasToString("x/entity-head-tuned.bin");
        assertThat(new EntityHeadTrainer(options("--weights", "tuned", "--out", "x")).cardFile())
                .hasToString("x/entity-head-tuned.json");
        assertThat(new EntityHeadTrainer(options("--weights", "frozen", "--out", "x")).headFile())
                .hasToString("x/entity-head.bin");
    }

    @Test
    void trainCorporaParseWithRepeats() {
        assertThat(EntityCorpus.repeats("conll, wnut=2,crossner-politics=3"))
                .containsExactly(
                        Map.entry(EntityCorpus.CONLL, 1),
                        Map.entry(EntityCorpus.WNUT, 2),
                        Map.entry(EntityCorpus.CROSSNER_POLITICS, 3));
        assertThatThrownBy(() -> EntityCorpus.repeats("ontonotes")).hasMessageContaining("ontonotes");
    }
}
