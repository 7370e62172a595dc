/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.heed.models.testutils.HfModelFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sentiment from a generated sequence-classification export (a rigged head: plumbing, not quality). */
class HfSentimentClassifierTest {
    @TempDir
    static Path tmp;

    static Path fixture;
    static HfSentimentClassifier classifier;

    @BeforeAll
    static void load() {
        fixture = HfModelFixtures.writeSequenceClassifier(tmp.resolve("sst2-fixture"));
        classifier = HfSentimentClassifier.load(fixture, 1);
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void givesTheExpectedLabelOnClearExamplesWithProbabilitiesSummingToOne() {
        List<String> texts = List.of(
                "What a great, wonderful day!",
                "This was terrible and awful.",
                "I love it",
                "I hate the ending, it is horrible");
        List<Sentiment> sentiments = classifier.predict(texts);

        assertThat(sentiments)
                .extracting(Sentiment::label)
                .containsExactly("positive", "negative", "positive", "negative");
        for (Sentiment sentiment : sentiments) {
            assertThat(sentiment.probabilities()).containsOnlyKeys("negative", "positive");
            double sum = sentiment.probabilities().values().stream()
                    .mapToDouble(Float::doubleValue)
                    .sum();
            assertThat(sum).isCloseTo(1.0, within(1e-5));
            assertThat(sentiment.score()).isEqualTo(sentiment.probabilities().get(sentiment.label()));
            assertThat(sentiment.score()).isGreaterThan(0.9f);
            assertThat(sentiment.topTokens()).isEmpty();
        }
        assertThat(classifier.labels()).containsExactly("negative", "positive");
        assertThat(classifier.modelId()).isEqualTo("hf:sst2-fixture");
    }

    @Test
    void aTextAloneAndInABatchOfOtherLengthsGetsTheSameLabel() {
        String text = "The food was excellent.";
        Sentiment alone = classifier.predict(List.of(text)).get(0);
        Sentiment batched = classifier
                .predict(List.of("sad", text, "a much longer text ".repeat(20) + "happy"))
                .get(1);
        assertThat(batched.label()).isEqualTo(alone.label()).isEqualTo("positive");
    }

    @Test
    void textsLongerThanTheModelAreTruncatedNotRejected() {
        // The rigged word sits past the model's 128 tokens, so only the truncated text's start counts.
        String text = "terrible. " + "neutral words here ".repeat(200) + "great great great great";
        Sentiment sentiment = classifier.predict(List.of(text)).get(0);
        assertThat(classifier.maxLength()).isEqualTo(128);
        assertThat(sentiment.label()).isEqualTo("negative");
    }

    @Test
    void emptyAndOddTextsDoNotFail() {
        List<Sentiment> sentiments = classifier.predict(List.of("", "🙂🙂", "\u0000", "東京"));
        assertThat(sentiments)
                .hasSize(4)
                .allSatisfy(s -> assertThat(s.probabilities()).hasSize(2));
    }

    @Test
    void mapsLabelNamesIgnoringCase() {
        Path config = Path.of("config.json");
        assertThat(HfSentimentClassifier.heedLabels(List.of("LABEL_0", "LABEL_1"), config))
                .containsExactly("negative", "positive");
        assertThat(HfSentimentClassifier.heedLabels(List.of("Positive", "negative"), config))
                .containsExactly("positive", "negative");
        assertThat(HfSentimentClassifier.heedLabels(List.of("NEG", "NEU", "POS"), config))
                .containsExactly("negative", "neutral", "positive");
    }

    @Test
    void unmappableLabelsFailNamingTheFileAndLabel() {
        Path config = Path.of("/models/stars/config.json");
        assertThatThrownBy(() -> HfSentimentClassifier.heedLabels(List.of("1 star", "5 stars"), config))
                .hasMessageContaining(config.toString())
                .hasMessageContaining("'1 star'");
        assertThatThrownBy(() -> HfSentimentClassifier.heedLabels(List.of("LABEL_0", "LABEL_1", "LABEL_2"), config))
                .hasMessageContaining("'LABEL_0'");
        assertThatThrownBy(() -> HfSentimentClassifier.heedLabels(List.of("POSITIVE", "POS"), config))
                .hasMessageContaining("two ids");
    }

    @Test
    void anUnmappableLabelInConfigJsonFailsAtLoad() throws IOException {
        Path dir = HfModelFixtures.writeSequenceClassifier(tmp.resolve("bad-labels"));
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"POSITIVE\"", "\"SPAM\""));
        assertThatThrownBy(() -> HfSentimentClassifier.load(dir, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(config.toString())
                .hasMessageContaining("'SPAM'");
    }
}
