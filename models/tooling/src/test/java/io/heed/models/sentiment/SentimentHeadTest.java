/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.HeadFile;
import io.heed.models.encoder.TokenStates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentHeadTest {

    @Test
    void bundledHeadsLoadForTheMiniLmWidth() {
        SentimentHead head = SentimentHead.bundled();

        // The default (tuned) head is three-class; the frozen encoder's head is still binary.
        assertThat(head.labels()).containsExactly("negative", "positive", "neutral");
        assertThat(SentimentHead.bundled(io.heed.models.encoder.EncoderWeights.FROZEN)
                        .labels())
                .containsExactly("negative", "positive");
        assertThat(head.hiddenSize()).isEqualTo(384);
        assertThat(head.sha256()).hasSize(64);
    }

    @Test
    void probabilitiesSumToOneAndTopTokensSkipSpecialTokens() {
        SentimentHead head = SentimentHead.bundled();
        Random random = new Random(3);
        TokenStates states = SentimentHeadParityTest.randomStates(random, 9);
        // Make the first and last tokens special: no span in the text.
        states.charStarts()[0] = 0;
        states.charEnds()[0] = 0;
        states.charStarts()[8] = 0;
        states.charEnds()[8] = 0;

        Sentiment sentiment = head.predict(states);

        float sum = 0;
        for (float p : sentiment.probabilities().values()) {
            sum += p;
        }
        assertThat(sum).isCloseTo(1f, org.assertj.core.api.Assertions.within(1e-5f));
        assertThat(sentiment.score()).isEqualTo(sentiment.probabilities().get(sentiment.label()));
        assertThat(sentiment.topTokens())
                .hasSize(5)
                .noneMatch(t -> t.token().equals("t0") || t.token().equals("t8"));
        assertThat(sentiment.topTokens()).isSortedAccordingTo((a, b) -> Float.compare(b.weight(), a.weight()));
    }

    @Test
    void rejectsStatesOfAnotherWidthNamingTheMismatch() {
        TokenStates narrow =
                new TokenStates(new float[3 * 8], 8, new String[] {"a", "b", "c"}, new int[3], new int[3], false);

        assertThatThrownBy(() -> SentimentHead.bundled().predict(narrow))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width 384")
                .hasMessageContaining("does not match the encoder");
    }

    @Test
    void corruptOrForeignFilesFailWithTheFileName(@TempDir Path dir) throws IOException {
        Path garbage = dir.resolve("garbage.bin");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertThatThrownBy(() -> SentimentHead.read(garbage))
                .hasMessageContaining("garbage.bin")
                .hasMessageContaining("bad magic");

        Path truncated = dir.resolve("truncated.bin");
        byte[] bundled = SentimentHead.class
                .getClassLoader()
                .getResourceAsStream(SentimentHead.BUNDLED_FILE)
                .readAllBytes();
        Files.write(truncated, java.util.Arrays.copyOf(bundled, bundled.length / 2));
        assertThatThrownBy(() -> SentimentHead.read(truncated)).hasMessageContaining("truncated.bin");

        Map<String, HeadFile.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", new HeadFile.Tensor(new int[] {2}, new float[] {1, 2}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HeadFile("some-other-head", List.of("x"), tensors).write(out);
        Path foreign = dir.resolve("foreign.bin");
        Files.write(foreign, out.toByteArray());
        assertThatThrownBy(() -> SentimentHead.read(foreign))
                .hasMessageContaining("foreign.bin")
                .hasMessageContaining("not a sentiment head");
    }
}
