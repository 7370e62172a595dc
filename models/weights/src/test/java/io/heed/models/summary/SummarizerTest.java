/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The summariser on the real bundled encoder (int8). */
class SummarizerTest {
    private static final String ARTICLE = """
            Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the three months to December.
            The firm, which is now one of the biggest investors in Google, benefited from sales of high-speed \
            internet connections and higher advert sales. TimeWarner said fourth quarter sales rose 2% to $11.1bn.
            Its profits were buoyed by one-off gains which offset a profit dip at Warner Bros.
            The weather in London was mild and a little rainy on Tuesday.
            For the full year, TimeWarner posted a profit of $3.36bn, up 27% from its 2003 performance.
            Its film division saw profits slump 27% to $284m, helped by box-office flops Alexander and Catwoman.
            TimeWarner also has to restate 2000 and 2003 results following a probe by the regulator.""";

    private static TransformerEncoder encoder;

    @BeforeAll
    static void loadEncoder() {
        encoder = TransformerEncoder.load(EncoderVariant.INT8, 256, 0);
    }

    @AfterAll
    static void closeEncoder() {
        encoder.close();
    }

    private static TokenStates encode(String text) {
        return encoder.encode(List.of(text)).get(0);
    }

    /** The summary's text must be exactly the chosen sentences of the original, joined by one space. */
    private static void assertMadeOfOriginalSentences(String text, Summary summary) {
        List<SentenceSplitter.Span> spans = SentenceSplitter.split(text);
        List<String> chosen = new ArrayList<>();
        for (int index : summary.sentenceIndices()) {
            chosen.add(spans.get(index).of(text));
        }
        assertThat(summary.text()).isEqualTo(String.join(" ", chosen));
        assertThat(summary.sentenceIndices()).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void picksAtMostMaxSentencesInDocumentOrder() {
        TokenStates states = encode(ARTICLE);
        assertThat(SentenceSplitter.split(ARTICLE)).hasSize(8);

        Summary summary = Summarizer.defaults().summarize(ARTICLE, states);
        assertThat(summary.sentenceIndices()).hasSize(3);
        assertMadeOfOriginalSentences(ARTICLE, summary);
        // The off-topic weather sentence (index 4) is the least central one.
        assertThat(summary.sentenceIndices()).doesNotContain(4);

        Summary two = Summarizer.builder().maxSentences(2).build().summarize(ARTICLE, states);
        assertThat(two.sentenceIndices()).hasSize(2);
        assertMadeOfOriginalSentences(ARTICLE, two);
    }

    @Test
    void usesTheGivenStatesWithoutCallingTheEncoder() {
        TokenStates states = encode(ARTICLE);
        long passes = encoder.forwardPasses();
        Summarizer.defaults().summarize(ARTICLE, states);
        Summarizer.highlights().summarize(ARTICLE, states);
        Summarizer.builder().attentionScorer().build().summarize(ARTICLE, states);
        assertThat(encoder.forwardPasses()).isEqualTo(passes);
    }

    @Test
    void theBundledLearnedScorerIsTheDefaultAndSummarisesInDocumentOrder() throws Exception {
        SentenceScorer bundled = SentenceScorer.bundled();
        assertThat(Summarizer.defaults().scorer()).isSameAs(bundled);
        assertThat(Summarizer.builder().build().scorer()).isSameAs(bundled);
        assertThat(bundled.content()).isTrue();
        assertThat(bundled.width())
                .isEqualTo(SentenceFeatures.NAMES.size() + encode(ARTICLE).hiddenSize());
        // The bundled file is the one its training card describes.
        try (var in = SentenceScorer.class
                .getClassLoader()
                .getResourceAsStream("io/heed/models/summary/summary-scorer-tuned.json")) {
            assertThat(in).as("training card of the bundled scorer").isNotNull();
            var card = com.google.gson.JsonParser.parseString(
                            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .getAsJsonObject();
            assertThat(card.get("scorer_sha256").getAsString()).isEqualTo(bundled.sha256());
            assertThat(card.get("encoder_weights").getAsString()).isEqualTo("tuned");
        }

        TokenStates states = encode(ARTICLE);
        Summary summary = Summarizer.defaults().summarize(ARTICLE, states);
        assertThat(summary.sentenceIndices()).hasSize(3);
        assertMadeOfOriginalSentences(ARTICLE, summary);
        assertThat(Summarizer.defaults().toString()).contains("scorer=learned(mlp");

        Summary highlights = Summarizer.highlights().summarize(ARTICLE, states);
        assertThat(highlights.sentenceIndices()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
        assertMadeOfOriginalSentences(ARTICLE, highlights);
        assertThat(highlights.text().split("\\s+").length).isLessThanOrEqualTo(Summarizer.HIGHLIGHTS_MAX_WORDS);

        // The parameter-free scorer stays selectable.
        Summarizer attention = Summarizer.builder().attentionScorer().build();
        assertThat(attention.scorer()).isNull();
        assertThat(attention.toString()).contains("scorer=attention(");
        Summary old = attention.summarize(ARTICLE, states);
        assertThat(old.sentenceIndices()).hasSize(3).doesNotContain(4);
        assertMadeOfOriginalSentences(ARTICLE, old);
    }

    @Test
    void sentenceVectorsTakeEveryRealTokenOnce() {
        TokenStates states = encode(ARTICLE);
        SentenceVectors vectors = SentenceVectors.of(SentenceSplitter.split(ARTICLE), states);
        int realTokens = 0;
        for (int t = 0; t < states.length(); t++) {
            realTokens += states.charEnds()[t] > states.charStarts()[t] ? 1 : 0;
        }
        assertThat(java.util.Arrays.stream(vectors.tokenCounts()).sum()).isEqualTo(realTokens);
        for (float[] vector : vectors.vectors()) {
            assertThat(vector).hasSize(states.hiddenSize());
        }
    }

    @Test
    void redundancyControlDoesNotPickARepeatedSentenceTwice() {
        String repeated = "TimeWarner said fourth quarter sales rose 2% to $11.1bn.";
        String text = ARTICLE + "\n" + repeated + "\n" + repeated;
        TokenStates states = encode(text);
        List<SentenceSplitter.Span> spans = SentenceSplitter.split(text);
        List<Integer> copies = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            if (spans.get(i).of(text).equals(repeated)) {
                copies.add(i);
            }
        }
        assertThat(copies).hasSize(3);

        // Whether or not the redundancy term and position prior are on, at most one copy is taken.
        Summarizer centralityOnly = Summarizer.builder()
                .attentionScorer()
                .redundancyLambda(1.0)
                .positionWeight(0)
                .build();
        for (Summarizer summarizer : List.of(
                Summarizer.defaults(),
                centralityOnly,
                Summarizer.builder().attentionScorer().build(),
                Summarizer.builder().attentionScorer().positionWeight(0).build(),
                Summarizer.builder().redundancyLambda(1.0).build(),
                Summarizer.builder().redundancyLambda(0.5).build(),
                Summarizer.highlights())) {
            Summary summary = summarizer.summarize(text, states);
            assertThat(summary.sentenceIndices()).as(summarizer.toString()).hasSizeBetween(1, 3);
            assertThat(summary.sentenceIndices().stream()
                            .filter(copies::contains)
                            .count())
                    .as(summarizer.toString())
                    .isLessThanOrEqualTo(1);
            assertMadeOfOriginalSentences(text, summary);
        }
    }

    @Test
    void lowerLambdaTradesRelevanceForDiversity() {
        // Hand-made sentence vectors: 0, 1 and 4 form a cluster (the most central sentences), 2 and 3 stand apart.
        // Centred cosines within the cluster (0.74-0.94) stay below the duplicate threshold, so only the MMR term is at
        // work. In 3 dimensions a sentence's attention to itself would swamp the rest, so self-attention is masked.
        String text = "S0. S1. S2. S3. S4.";
        List<SentenceSplitter.Span> spans = SentenceSplitter.split(text);
        float[][] vectors = {{1, 0, 0}, {0.98f, 0.2f, 0}, {0, 1, 0}, {0, 0, 1}, {0.9f, 0.1f, 0.3f}};
        SentenceVectors sentenceVectors = new SentenceVectors(vectors, new int[] {2, 2, 2, 2, 2});
        List<Integer> cluster = List.of(0, 1, 4);

        Summary relevanceOnly = Summarizer.builder()
                .attentionScorer()
                .maxSentences(2)
                .redundancyLambda(1.0)
                .positionWeight(0)
                .excludeSelf(true)
                .build()
                .summarize(text, spans, sentenceVectors);
        assertThat(relevanceOnly.sentenceIndices()).hasSize(2).isSubsetOf(cluster);

        Summary diverse = Summarizer.builder()
                .attentionScorer()
                .maxSentences(2)
                .redundancyLambda(0.3)
                .positionWeight(0)
                .excludeSelf(true)
                .build()
                .summarize(text, spans, sentenceVectors);
        assertThat(diverse.sentenceIndices()).hasSize(2);
        assertThat(diverse.sentenceIndices().stream().filter(cluster::contains).count())
                .isEqualTo(1);
    }

    @Test
    void keepsToTheTokenBudget() {
        TokenStates states = encode(ARTICLE);
        List<SentenceSplitter.Span> spans = SentenceSplitter.split(ARTICLE);
        int[] tokens = SentenceVectors.of(spans, states).tokenCounts();
        int budget = 45;
        Summary summary = Summarizer.builder().maxTokens(budget).build().summarize(ARTICLE, states);
        assertThat(summary.sentenceIndices()).isNotEmpty();
        assertThat(summary.sentenceIndices().stream().mapToInt(i -> tokens[i]).sum())
                .isLessThanOrEqualTo(budget);
        assertMadeOfOriginalSentences(ARTICLE, summary);
        // A budget smaller than any sentence gives an empty summary rather than breaking it.
        assertThat(Summarizer.builder()
                        .maxTokens(1)
                        .build()
                        .summarize(ARTICLE, states)
                        .sentenceIndices())
                .isEmpty();
    }

    @Test
    void shortTextsAreReturnedWhole() {
        String text = "Only one sentence here.";
        assertThat(Summarizer.defaults().summarize(text, encode(text)))
                .isEqualTo(new Summary("Only one sentence here.", List.of(0)));
        String three = "First one. Second one!\nThird one without a stop";
        assertThat(Summarizer.defaults().summarize(three, encode(three)))
                .isEqualTo(new Summary("First one. Second one! Third one without a stop", List.of(0, 1, 2)));
    }

    @Test
    void neverFailsOnOddTexts() {
        for (String text : List.of(
                "",
                "   \n\n  ",
                "no punctuation at all in this text which just goes on",
                "東京は晴れです。大阪は雨です。名古屋は曇りです。札幌は雪です。福岡は晴れです。",
                "🙂🙂🙂. 🎉 Party time! Great news today. Another line\nsecond line 😀\nthird line\nfourth line",
                "a.b.c.d.e.f. ... !!! ??? ...",
                "\n\n\n")) {
            TokenStates states = encode(text);
            Summary summary = Summarizer.defaults().summarize(text, states);
            assertThat(summary.sentenceIndices()).as(text).hasSizeLessThanOrEqualTo(3);
            assertMadeOfOriginalSentences(text, summary);
            if (!text.isBlank()) {
                assertThat(summary.text()).as(text).isNotEmpty();
            }
        }
    }

    @Test
    void builderValidatesAndToStringDescribesTheSettings() {
        assertThatThrownBy(() -> Summarizer.builder().maxSentences(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Summarizer.builder().maxTokens(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Summarizer.builder().redundancyLambda(1.5))
                .isInstanceOf(IllegalArgumentException.class);
        Summarizer summarizer = Summarizer.builder()
                .maxSentences(5)
                .maxTokens(100)
                .redundancyLambda(0.6)
                .build();
        assertThat(summarizer.maxSentences()).isEqualTo(5);
        assertThat(summarizer.toString()).contains("maxSentences=5", "maxTokens=100", "redundancyLambda=0.60");
        assertThat(Summarizer.defaults().toString()).contains("maxSentences=3", "maxTokens=none");
    }

    @Test
    void textRankUsesTheSameSentences() {
        Summary textRank = TextRank.summarize(ARTICLE);
        assertThat(textRank.sentenceIndices()).hasSize(3).isSorted();
        assertMadeOfOriginalSentences(ARTICLE, textRank);
        assertThat(TextRank.summarize("").sentenceIndices()).isEmpty();
    }
}
