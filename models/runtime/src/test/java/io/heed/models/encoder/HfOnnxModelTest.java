/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.testutils.HfModelFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loading a user's export: what it reads, and that every broken directory fails at load naming the file. */
class HfOnnxModelTest {
    @TempDir
    static Path tmp;

    static Path fixture;

    @BeforeAll
    static void writeFixture() {
        fixture = HfModelFixtures.writeSequenceClassifier(tmp.resolve("sst2-fixture"));
    }

    @Test
    void readsLabelsMaxLengthAndHashesTheGraph() {
        try (HfOnnxModel model = HfOnnxModel.load(fixture, "sentiment", 1)) {
            assertThat(model.labels()).containsExactly("NEGATIVE", "POSITIVE");
            // tokenizer.json (the bundled one) truncates at 128, below config.json's 512 positions.
            assertThat(model.maxLength()).isEqualTo(128);
            assertThat(model.name()).isEqualTo("sst2-fixture");
            assertThat(model.sha256()).hasSize(64);
            List<HfOnnxModel.Logits> logits = model.run(List.of("short", "a somewhat longer text than the first"));
            assertThat(logits).hasSize(2).allSatisfy(l -> {
                assertThat(l.rows()).isEqualTo(1);
                assertThat(l.labels()).isEqualTo(2);
                assertThat(l.truncated()).isFalse();
            });
        }
    }

    @Test
    void truncatesLongTextsToTheModelsMaximumKeepingSpecialTokens() {
        try (HfOnnxModel model = HfOnnxModel.load(fixture, "sentiment", 1)) {
            HfOnnxModel.Logits logits = model.run(List.of("word ".repeat(1000))).get(0);
            assertThat(logits.truncated()).isTrue();
            assertThat(logits.tokens()).hasSize(128);
            assertThat(logits.tokens()[0]).isEqualTo("[CLS]");
            assertThat(logits.tokens()[127]).isEqualTo("[SEP]");
        }
    }

    @Test
    void missingDirectoryFailsNamingIt() {
        Path missing = tmp.resolve("no-such-model");
        assertThatThrownBy(() -> HfOnnxModel.load(missing, "sentiment", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @ParameterizedTest
    @ValueSource(strings = {"config.json", "tokenizer.json", "model.onnx"})
    void missingFileFailsNamingIt(String file) throws IOException {
        Path dir = copyWithout(file);
        assertThatThrownBy(() -> HfOnnxModel.load(dir, "entities", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve(file).toString())
                .hasMessageContaining("lacks " + file);
    }

    @Test
    void configWithoutId2labelFails() throws IOException {
        Path dir = copyWithout("none");
        Files.writeString(
                dir.resolve("config.json"), "{\"architectures\": [\"BertModel\"], \"max_position_embeddings\": 512}");
        assertThatThrownBy(() -> HfOnnxModel.load(dir, "sentiment", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("config.json").toString())
                .hasMessageContaining("no id2label");
    }

    @Test
    void id2labelWithGapsFails() throws IOException {
        Path dir = copyWithout("none");
        Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": \"NEGATIVE\", \"2\": \"POSITIVE\"}}");
        assertThatThrownBy(() -> HfOnnxModel.load(dir, "sentiment", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("config.json").toString())
                .hasMessageContaining("id2label");
    }

    @Test
    void malformedConfigFails() throws IOException {
        Path dir = copyWithout("none");
        Files.writeString(dir.resolve("config.json"), "{ not json");
        assertThatThrownBy(() -> HfOnnxModel.load(dir, "sentiment", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("config.json").toString());
    }

    @Test
    void labelCountThatDisagreesWithTheGraphFails() throws IOException {
        Path dir = copyWithout("none");
        Files.writeString(
                dir.resolve("config.json"),
                "{\"id2label\": {\"0\": \"NEGATIVE\", \"1\": \"NEUTRAL\", \"2\": \"POSITIVE\"}}");
        assertThatThrownBy(() -> HfOnnxModel.load(dir, "sentiment", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 labels")
                .hasMessageContaining(dir.resolve("config.json").toString());
    }

    @Test
    void corruptGraphFailsNamingIt() throws IOException {
        Path dir = copyWithout("none");
        Files.writeString(dir.resolve("model.onnx"), "not an onnx graph");
        assertThatThrownBy(() -> HfOnnxModel.load(dir, "sentiment", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("model.onnx").toString());
    }

    private static int copies;

    private static Path copyWithout(String file) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("copy-" + copies++));
        for (String name : List.of("config.json", "tokenizer.json", "model.onnx")) {
            if (!name.equals(file)) {
                Files.copy(fixture.resolve(name), dir.resolve(name));
            }
        }
        return dir;
    }
}
