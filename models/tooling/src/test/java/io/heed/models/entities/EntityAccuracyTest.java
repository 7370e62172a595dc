/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.models.InferenceDevice;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.encoder.Windowing;
import io.heed.models.testutils.SharedData;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bundled heads' quality floors on the entity test files: CoNLL-2003 (newswire) with the encoder's original
 * weights and with Heed's fine-tuned ones, and, for the fine-tuned heads (tuned and bge-small), social media (WNUT-17)
 * and Wikipedia politics (CrossNER). Floors sit a little under what the quality report measured (docs/QUALITY.md). Needs
 * ../shared/data (CI has it; a plain clone skips).
 */
class EntityAccuracyTest {

    @ParameterizedTest
    @CsvSource({
        "FROZEN, CONLL, 0.80",
        "TUNED, CONLL, 0.85",
        "TUNED, WNUT, 0.42",
        "TUNED, CROSSNER_POLITICS, 0.72",
        "BGE_SMALL, CONLL, 0.87",
        "BGE_SMALL, WNUT, 0.48",
        "BGE_SMALL, CROSSNER_POLITICS, 0.78"
    })
    void bundledHeadReachesTheFloorOnTestFiles(EncoderWeights weights, EntityCorpus corpus, double floor) {
        Path test = corpus.testFile(Paths.get(System.getProperty("heed.data.dir", "../shared/data")));
        SharedData.require(test, "the entity F1 floor");

        try (TransformerEncoder encoder =
                TransformerEncoder.load(EncoderVariant.INT8, weights, Windowing.of(256), 0, InferenceDevice.cpu())) {
            EntityEvaluation.Result result =
                    EntityEvaluation.evaluate(encoder, EntityHead.bundled(weights), ConllReader.read(test));

            System.out.printf(
                    "%s test (%s), %d sentences (%.0f sentences/s):%n%s",
                    corpus.title(), weights, result.sentences(), result.examplesPerSecond(), result.toMarkdown());
            if (corpus == EntityCorpus.CONLL) {
                assertThat(result.sentences()).isEqualTo(3453);
                assertThat(result.micro().gold()).isEqualTo(5648);
            }
            assertThat(result.perType()).containsOnlyKeys("PER", "ORG", "LOC", "MISC");
            assertThat(result.micro().f1()).isGreaterThanOrEqualTo(floor);
        }
    }
}
