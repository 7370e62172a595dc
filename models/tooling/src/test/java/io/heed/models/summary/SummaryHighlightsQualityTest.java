/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.testutils.SharedData;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link Summarizer#highlights()} preset (learned scorer + lead prior + word budget) on the first 100 articles of
 * {@code cnn_dailymail/test.jsonl} (abstractive highlights; nothing was chosen on this file), with the default (tuned)
 * int8 encoder, against floors a little under what it reached there. About 20 s. Needs ../shared/data (CI has it; a
 * plain clone skips).
 */
class SummaryHighlightsQualityTest {
    private static final int ARTICLES = 100;

    @Test
    void theHighlightsPresetHoldsItsFloorsOnCnnTest() {
        Path file = Paths.get(System.getProperty("heed.data.dir", "../shared/data"), "cnn_dailymail", "test.jsonl");
        SharedData.require(file, "the highlights quality check");

        List<SummaryEvaluation.Article> articles =
                SummaryEvaluation.readJsonl(file).subList(0, ARTICLES);
        // CNN rows have no title: nothing is dropped from the article.
        assertThat(articles.get(0).text()).isNotBlank();
        List<SummaryEvaluation.Prepared> prepared;
        try (TransformerEncoder encoder = TransformerEncoder.load(EncoderVariant.INT8, 256, 0)) {
            prepared = SummaryEvaluation.prepare(encoder, articles, message -> {});
        }
        Summarizer highlights = Summarizer.highlights();
        int budget = highlights.maxWords();
        SummaryComparison.Row heed = SummaryComparison.heed("Heed highlights", highlights, prepared);
        List<SummaryComparison.Row> baselines = SummaryComparison.baselines(prepared, budget);
        System.out.println("CNN test, first " + ARTICLES + " articles; " + highlights);
        System.out.println(SummaryComparison.header());
        System.out.println(heed.markdown());
        baselines.forEach(row -> System.out.println(row.markdown()));

        assertThat(budget).isPositive();
        assertThat(heed.words()).isLessThanOrEqualTo(budget);
        assertThat(heed.rouge2()).isGreaterThanOrEqualTo(FLOOR_ROUGE2);
        assertThat(heed.rougeL()).isGreaterThanOrEqualTo(FLOOR_ROUGE_L);
    }

    // Measured on these 100 articles with the bundled scorer (sha256 725548034a38) on the tuned encoder of the
    // three-class fine-tune: ROUGE-2 0.1023, ROUGE-L 0.1937 (Lead-3 0.1025 / 0.1869, Lead-3 within 80 words
    // 0.1001 / 0.1908, lead-80-words 0.1035 / 0.1843).
    private static final double FLOOR_ROUGE2 = 0.095;
    private static final double FLOOR_ROUGE_L = 0.185;
}
