/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heed.models.InferenceDevice;
import io.heed.models.encoder.EncodedText;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.HeadsGraph;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.encoder.Windowing;
import io.heed.models.entities.ConllReader;
import io.heed.models.entities.Entity;
import io.heed.models.entities.EntityHead;
import io.heed.models.sentiment.LabeledTexts;
import io.heed.models.sentiment.Sentiment;
import io.heed.models.sentiment.SentimentHead;
import io.heed.models.testutils.SharedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The heads graph (the heads' networks run by ONNX Runtime) against the plain-Java heads on the same encoder states:
 * fp32 probabilities and entity scores within float tolerance, and with int8 identical sentiment labels and entity
 * spans on the test sets. Texts longer than the window check that per-token and per-word outputs are stitched across
 * windows exactly like the states.
 */
class HeadsGraphParityTest {
    private static final List<String> TEXTS = List.of(
            "The sky over Reykjavík last night was absolutely unreal. Northern lights for two hours!",
            "Hi, quick question: does the Pro plan include API access for Acme Corp in Berlin?",
            "Confirming that the issue is resolved on our side after the patch 🎉🎂 — thanks, Tomás!!!",
            "!!! ...",
            "x",
            "Angela Merkel met Emmanuel Macron in Paris on Monday to discuss the European Union budget. ".repeat(6)
                    + "Officials from Siemens and the World Bank said talks would go on in Geneva next week.");

    @ParameterizedTest
    @EnumSource(EncoderWeights.class)
    void fp32GraphHeadsEqualTheJavaHeadsWithinFloatTolerance(EncoderWeights weights) {
        // A 32-token window splits the long text into several windows.
        Comparison comparison = compare(EncoderVariant.FP32, weights, Windowing.of(32), TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            Sentiment java = comparison.javaSentiments.get(i);
            Sentiment graph = comparison.graphSentiments.get(i);
            assertThat(graph.label()).isEqualTo(java.label());
            for (String label : java.probabilities().keySet()) {
                assertThat(graph.probabilities().get(label))
                        .isCloseTo(java.probabilities().get(label), within(1e-4f));
            }
            assertThat(graph.topTokens())
                    .extracting(Sentiment.WeightedToken::start)
                    .isEqualTo(java.topTokens().stream()
                            .map(Sentiment.WeightedToken::start)
                            .toList());
            List<Entity> javaEntities = comparison.javaEntities.get(i);
            List<Entity> graphEntities = comparison.graphEntities.get(i);
            assertThat(spans(graphEntities)).isEqualTo(spans(javaEntities));
            for (int e = 0; e < javaEntities.size(); e++) {
                assertThat(graphEntities.get(e).score())
                        .isCloseTo(javaEntities.get(e).score(), within(1e-4f));
            }
        }
        assertThat(spans(comparison.graphEntities.get(5))).contains("PER 0-13", "LOC 37-42");
        assertThat(comparison.graphEntities.get(5)).extracting(Entity::text).contains("Geneva", "Siemens");
    }

    @Test
    void int8GraphHeadsGiveTheJavaHeadsLabelsAndSpansOnTheTestSets() {
        List<String> texts = new ArrayList<>();
        for (String file : List.of("sst2/dev.tsv", "financial_phrasebank/test.tsv", "semeval2017_tweets/test.tsv")) {
            LabeledTexts.readTsv(SharedData.require(SharedData.dir().resolve(file), "heads graph parity"))
                    .forEach(example -> texts.add(example.text()));
        }
        for (String file : List.of("wnut17/test.txt", "crossner/politics/test.txt")) {
            ConllReader.read(SharedData.require(SharedData.dir().resolve(file), "heads graph parity"))
                    .forEach(sentence -> texts.add(String.join(" ", sentence.words())));
        }
        Comparison comparison = compare(EncoderVariant.INT8, EncoderWeights.DEFAULT, Windowing.of(256), texts);
        int entities = 0;
        for (int i = 0; i < texts.size(); i++) {
            assertThat(comparison.graphSentiments.get(i).label())
                    .as(texts.get(i))
                    .isEqualTo(comparison.javaSentiments.get(i).label());
            assertThat(spans(comparison.graphEntities.get(i)))
                    .as(texts.get(i))
                    .isEqualTo(spans(comparison.javaEntities.get(i)));
            entities += comparison.graphEntities.get(i).size();
        }
        System.out.printf("heads graph parity (int8): %d texts, %d entities identical%n", texts.size(), entities);
        assertThat(texts).hasSize(872 + 600 + 1998 + 1287 + 651);
    }

    private static List<String> spans(List<Entity> entities) {
        return entities.stream()
                .map(e -> e.type() + " " + e.start() + "-" + e.end())
                .toList();
    }

    private record Comparison(
            List<Sentiment> javaSentiments,
            List<Sentiment> graphSentiments,
            List<List<Entity>> javaEntities,
            List<List<Entity>> graphEntities) {}

    private static Comparison compare(
            EncoderVariant variant, EncoderWeights weights, Windowing windowing, List<String> texts) {
        SentimentHead sentiment = SentimentHead.bundled(weights);
        EntityHead entities = EntityHead.bundled(weights);
        Comparison comparison =
                new Comparison(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (TransformerEncoder encoder =
                        TransformerEncoder.load(variant, weights, windowing, 0, InferenceDevice.cpu());
                HeadsGraph graph = HeadsGraph.loadBundled(weights, 0, InferenceDevice.cpu())
                        .orElseThrow()) {
            for (int from = 0; from < texts.size(); from += 32) {
                List<String> batch = texts.subList(from, Math.min(texts.size(), from + 32));
                List<EncodedText> encoded = encoder.encode(batch, graph, entities::plan);
                for (int i = 0; i < batch.size(); i++) {
                    TokenStates states = encoded.get(i).states();
                    comparison.javaSentiments.add(sentiment.predict(states));
                    comparison.graphSentiments.add(sentiment.predict(encoded.get(i)));
                    comparison.javaEntities.add(entities.predict(batch.get(i), states));
                    comparison.graphEntities.add(entities.predict(batch.get(i), encoded.get(i)));
                }
            }
        }
        return comparison;
    }
}
