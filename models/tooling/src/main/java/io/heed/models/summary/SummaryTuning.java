/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import io.heed.models.InferenceDevice;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.encoder.Windowing;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * Grid search of the summariser's scoring settings on the TUNING split of BBC News Summary (odd-index articles), by
 * mean ROUGE-2 F1; encodes once and re-scores every setting from the cached sentence vectors. Not a test: run by hand,
 * {@code java -cp <test classpath> io.heed.models.summary.SummaryTuning [limit [tuned|frozen]]}; the chosen values are the defaults
 * of {@link Summarizer}. (A first, wider grid also tried centring the vectors for the attention and
 * w ∈ {0.1, 0.7}, τ = 1: all worse; see the Summarizer javadoc.)
 */
final class SummaryTuning {
    private SummaryTuning() {}

    public static void main(String[] args) {
        Path file = Paths.get(
                System.getProperty("heed.data.dir", "../shared/data"), "bbc-news-summary", "bbc_news_summary.jsonl");
        List<SummaryEvaluation.Article> tuning = SummaryEvaluation.tuningSplit(SummaryEvaluation.readJsonl(file));
        int limit = args.length > 0 ? Integer.parseInt(args[0]) : tuning.size();
        EncoderWeights weights = args.length > 1 ? EncoderWeights.parse(args[1]) : EncoderWeights.FROZEN;
        tuning = tuning.subList(0, Math.min(limit, tuning.size()));
        List<SummaryEvaluation.Prepared> prepared;
        try (TransformerEncoder encoder =
                TransformerEncoder.load(EncoderVariant.INT8, weights, Windowing.of(256), 0, InferenceDevice.cpu())) {
            prepared = SummaryEvaluation.prepare(encoder, tuning, System.err::println);
        }
        double lead = 0;
        for (SummaryEvaluation.Prepared p : prepared) {
            lead += Rouge.score(
                            Lead3.summarize(p.article().text(), p.sentences()).text(),
                            p.article().reference())
                    .rouge2();
        }
        System.out.printf(
                Locale.ROOT, "tuning articles %d; Lead-3 ROUGE-2 %.4f%n", prepared.size(), lead / prepared.size());
        double best = -1;
        String bestSetting = "";
        for (boolean centred : new boolean[] {false}) {
            for (boolean excludeSelf : new boolean[] {true, false}) {
                for (double temperature : new double[] {0, 0.3, 0.1, 0.05}) {
                    for (double lambda : new double[] {1.0, 0.85, 0.7, 0.5, 0.3}) {
                        for (double position : new double[] {0, 0.2, 0.3, 0.4, 0.5}) {
                            Summarizer s = Summarizer.builder()
                                    .attentionScorer()
                                    .redundancyLambda(lambda)
                                    .temperature(temperature)
                                    .centred(centred)
                                    .excludeSelf(excludeSelf)
                                    .positionWeight(position)
                                    .build();
                            Rouge.Scores scores = SummaryEvaluation.score(s, prepared);
                            String line = String.format(
                                    Locale.ROOT,
                                    "R1 %.4f R2 %.4f RL %.4f  %s",
                                    scores.rouge1(),
                                    scores.rouge2(),
                                    scores.rougeL(),
                                    s);
                            System.out.println(line);
                            if (scores.rouge2() > best) {
                                best = scores.rouge2();
                                bestSetting = line;
                            }
                        }
                    }
                }
            }
        }
        System.out.println("BEST " + bestSetting);
    }
}
