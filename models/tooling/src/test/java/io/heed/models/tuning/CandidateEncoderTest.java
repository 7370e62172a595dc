/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.models.encoder.BaseEncoder;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.encoder.Windowing;
import io.heed.models.entities.Entity;
import io.heed.models.entities.EntityHead;
import io.heed.models.sentiment.SentimentHead;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed candidate run (bge-small) is what {@code compare-encoders} reads: its patch applies to its base
 * encoder's graphs, the derived int8 model runs under ONNX Runtime, and its jointly trained heads read its states.
 */
class CandidateEncoderTest {
    private static final Path BGE_SMALL = Path.of("src", "main", "candidates", "bge-small");

    @Test
    void committedBgeSmallRunDerivesAndReadsTextsRight(@TempDir Path dir) throws Exception {
        Path int8 = dir.resolve("bge-small-int8-tuned.onnx");
        Int8Encoder.write(
                BaseEncoder.BGE_SMALL.onnxFile(),
                BaseEncoder.BGE_SMALL.int8File(),
                EncoderPatch.read(BGE_SMALL.resolve("encoder-patch.bin")),
                dir.resolve("bge-small-tuned.onnx"),
                int8);
        SentimentHead sentiment = SentimentHead.read(BGE_SMALL.resolve("sentiment-head.bin"));
        EntityHead entities = EntityHead.read(BGE_SMALL.resolve("entity-head.bin"));
        assertThat(sentiment.labels()).containsExactly("negative", "positive", "neutral");
        assertThat(sentiment.hiddenSize()).isEqualTo(384);

        List<String> texts = List.of(
                "Absolutely loved it, the best purchase I have made all year.",
                "Terrible service, the package arrived broken and nobody answered my emails.",
                "Angela Merkel met Emmanuel Macron in Paris on Tuesday.");
        try (TransformerEncoder encoder = TransformerEncoder.load(
                int8, BaseEncoder.BGE_SMALL.tokenizerFile(), "test/bge-small-int8-tuned", Windowing.of(256), 1)) {
            List<TokenStates> states = encoder.encode(texts);
            assertThat(sentiment.predict(states.get(0)).label()).isEqualTo("positive");
            assertThat(sentiment.predict(states.get(1)).label()).isEqualTo("negative");
            List<Entity> found = entities.predict(texts.get(2), states.get(2));
            assertThat(found)
                    .extracting(Entity::text, Entity::type)
                    .contains(
                            org.assertj.core.groups.Tuple.tuple("Angela Merkel", "PER"),
                            org.assertj.core.groups.Tuple.tuple("Emmanuel Macron", "PER"),
                            org.assertj.core.groups.Tuple.tuple("Paris", "LOC"));
            for (Entity entity : found) {
                assertThat(texts.get(2).substring(entity.start(), entity.end())).isEqualTo(entity.text());
            }
        }
    }
}
