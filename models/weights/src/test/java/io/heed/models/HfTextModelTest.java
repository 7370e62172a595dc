/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.entities.Entity;
import io.heed.models.sentiment.Sentiment;
import io.heed.models.testutils.HfModelFixtures;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TextModel whose sentiment and entities come from user exports (generated fixtures) beside the bundled tasks. */
class HfTextModelTest {
    @TempDir
    static Path tmp;

    static Path sentimentDir;
    static Path entitiesDir;

    @BeforeAll
    static void writeFixtures() {
        sentimentDir = HfModelFixtures.writeSequenceClassifier(tmp.resolve("sst2-fixture"));
        entitiesDir = HfModelFixtures.writeTokenClassifier(tmp.resolve("ner-fixture"));
    }

    private static ModelSpec.Builder userModels() {
        return ModelSpec.builder()
                .windowTokens(64)
                .sentimentModelDir(sentimentDir.toString())
                .entitiesModelDir(entitiesDir.toString());
    }

    @Test
    void userModelsReplaceTheHeadsWhileSummariesStillComeFromTheEncoder() {
        try (TextModel model = TextModel.load(userModels().build())) {
            long before = model.encoderPasses();
            List<TextAnalysis> results = model.analyze(List.of(
                    "Barack Obama visited Paris. The trip was great. Everyone was happy about it.",
                    "The hotel in London was terrible. The staff were awful. We left early."));

            assertThat(model.encoderPasses() - before)
                    .as("the summary still needs one encoder pass")
                    .isEqualTo(1);
            assertThat(results)
                    .extracting(r -> r.sentiment().map(Sentiment::label).orElse(null))
                    .containsExactly("positive", "negative");
            assertThat(results.get(0).entities())
                    .extracting(Entity::text, Entity::type)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("Barack Obama", "PER"),
                            org.assertj.core.groups.Tuple.tuple("Paris", "LOC"));
            assertThat(results.get(1).entities()).extracting(Entity::text).containsExactly("London");
            assertThat(results).allSatisfy(r -> {
                assertThat(r.summary()).isPresent();
                assertThat(r.summary().get().sentenceIndices()).isNotEmpty();
                assertThat(r.summary().get().text()).isNotBlank();
                assertThat(r.tokenCount()).isGreaterThan(0);
            });
        }
    }

    @Test
    void modelInfoNamesTheUserModelsAndTheirWeights() {
        String bundledOnly;
        try (TextModel model = TextModel.load(ModelSpec.builder().build())) {
            bundledOnly = model.info().weightsSha256();
        }
        try (TextModel model = TextModel.load(userModels().build())) {
            ModelInfo info = model.info();
            assertThat(info.modelId())
                    .isEqualTo("heed/all-MiniLM-L6-v2-int8-tuned+sentiment=hf:sst2-fixture"
                            + "+entities=hf:ner-fixture+summary-attention-v1");
            assertThat(info.weightsSha256()).hasSize(64).isNotEqualTo(bundledOnly);
            assertThat(info.engine()).startsWith("OnnxRuntime");
        }
    }

    @Test
    void skipsTheEncoderPassWhenOnlyUserModelsAreEnabled() {
        ModelSpec spec =
                userModels().tasks(EnumSet.of(Task.SENTIMENT, Task.ENTITIES)).build();
        try (TextModel model = TextModel.load(spec)) {
            long before = model.encoderPasses();
            List<TextAnalysis> results = model.analyze(List.of("I love Berlin", "🙂 Angela Smith hates Zurich"));

            assertThat(model.encoderPasses() - before).isZero();
            assertThat(results.get(0).sentiment().get().label()).isEqualTo("positive");
            assertThat(results.get(1).sentiment().get().label()).isEqualTo("negative");
            assertThat(results.get(1).entities())
                    .extracting(Entity::text, Entity::start)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("Angela Smith", 3),
                            org.assertj.core.groups.Tuple.tuple("Zurich", 22));
            assertThat(results.get(0).summary()).isEmpty();
            assertThat(results.get(0).tokenCount()).isEqualTo(5);
        }
    }

    @Test
    void aUserModelForADisabledTaskIsNotLoaded() {
        // The directory does not exist, but sentiment is off: nothing to load, nothing to fail.
        ModelSpec spec = ModelSpec.builder()
                .tasks(EnumSet.of(Task.SUMMARY))
                .sentimentModelDir(tmp.resolve("absent").toString())
                .build();
        try (TextModel model = TextModel.load(spec)) {
            assertThat(model.info().modelId()).doesNotContain("hf:");
        }
    }

    @Test
    void loadFailsNamingTheMissingDirectory() {
        Path missing = tmp.resolve("typo-in-path");
        ModelSpec spec =
                ModelSpec.builder().entitiesModelDir(missing.toString()).build();
        assertThatThrownBy(() -> TextModel.load(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("entities");
    }

    @Test
    void specCarriesTheModelDirectories() {
        ModelSpec spec = userModels().build();
        ModelSpec same = userModels().build();
        ModelSpec other = userModels().entitiesModelDir(null).build();

        assertThat(spec.sentimentModelDir()).contains(sentimentDir.toString());
        assertThat(spec.entitiesModelDir()).contains(entitiesDir.toString());
        assertThat(other.entitiesModelDir()).isEmpty();
        assertThat(spec).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
        assertThat(spec.toString()).contains("sentimentModel=" + sentimentDir, "entitiesModel=" + entitiesDir);
        assertThatThrownBy(() -> userModels().sentimentHeadPath("head.bin").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both");
    }
}
