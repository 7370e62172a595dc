/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import io.heed.models.InferenceDevice;
import io.heed.models.SourceTree;
import io.heed.models.ToolArguments;
import io.heed.models.encoder.BaseEncoder;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.encoder.Windowing;
import io.heed.models.entities.ConllReader;
import io.heed.models.entities.EntityEvaluation;
import io.heed.models.entities.EntityHead;
import io.heed.models.sentiment.LabeledTexts;
import io.heed.models.sentiment.SentimentEvaluation;
import io.heed.models.sentiment.SentimentHead;
import io.heed.models.summary.Summarizer;
import io.heed.models.summary.SummaryEvaluation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a fine-tuning output directory the way the runtime will run it: derives the tuned ONNX model from the
 * base encoder's fp32 graph ({@code --base}, the bundled MiniLM by default) plus {@code encoder-patch.bin}, loads it in ONNX Runtime, and evaluates the jointly trained heads
 * with the plain-Java inference code on SST-2 dev and CoNLL valid. The numbers should match what the trainer logged
 * from its DJL model at the same checkpoint.
 */
public final class TunedEncoderCheck {
    private TunedEncoderCheck() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("data-dir", System.getProperty("heed.data.dir", "../shared/data"));
        defaults.put("dir", SourceTree.WORK_DIR.resolve("encoder-finetune/best").toString());
        defaults.put("limit", "0");
        defaults.put("base", BaseEncoder.MINILM_L6.toString()); // the encoder the run fine-tuned (BaseEncoder)
        // BBC articles of the summariser's tuning split to summarise with the tuned and the original fp32 encoder
        // (0: none). The tuning split, never the evaluation split: this check is for choosing training settings.
        defaults.put("summaries", "0");
        Map<String, String> options = ToolArguments.parse(args, defaults);
        Path dir = Path.of(options.get("dir"));
        Path data = Path.of(options.get("data-dir"));
        int limit = Integer.parseInt(options.get("limit"));
        BaseEncoder base = BaseEncoder.parse(options.get("base"));
        Path onnx = PatchedEncoder.write(
                EncoderGraph.read(base.onnxFile()),
                EncoderPatch.read(dir.resolve("encoder-patch.bin")),
                dir.resolve("tuned-fp32.onnx"));
        List<LabeledTexts.Example> dev = ToolArguments.limit(LabeledTexts.readTsv(data.resolve("sst2/dev.tsv")), limit);
        List<ConllReader.Sentence> valid =
                ToolArguments.limit(ConllReader.read(data.resolve("conll2003/valid.txt")), limit);
        try (TransformerEncoder encoder = TransformerEncoder.load(
                onnx, base.tokenizerFile(), "heed/" + base.modelId() + "-tuned", Windowing.of(256), 0)) {
            SentimentEvaluation.Result sentiment =
                    SentimentEvaluation.evaluate(encoder, SentimentHead.read(dir.resolve("sentiment-head.bin")), dev);
            EntityEvaluation.Result entities =
                    EntityEvaluation.evaluate(encoder, EntityHead.read(dir.resolve("entity-head.bin")), valid);
            System.out.printf(
                    "[tuned-check] %s: SST-2 dev accuracy %.4f (%d), CoNLL valid F1 %.4f (%d)%n",
                    onnx, sentiment.accuracy(), dev.size(), entities.micro().f1(), valid.size());
            int summaries = Integer.parseInt(options.get("summaries"));
            if (summaries > 0) {
                List<SummaryEvaluation.Article> articles = ToolArguments.limit(
                        SummaryEvaluation.tuningSplit(
                                SummaryEvaluation.readJsonl(data.resolve("bbc-news-summary/bbc_news_summary.jsonl"))),
                        summaries);
                try (TransformerEncoder frozen = TransformerEncoder.load(
                        EncoderVariant.FP32, EncoderWeights.FROZEN, Windowing.of(256), 0, InferenceDevice.cpu())) {
                    System.out.printf(
                            "[tuned-check] BBC tuning split, %d articles: ROUGE-2 tuned %.4f, frozen %.4f%n",
                            articles.size(), rouge2(encoder, articles), rouge2(frozen, articles));
                }
            }
        }
    }

    private static double rouge2(TransformerEncoder encoder, List<SummaryEvaluation.Article> articles) {
        return SummaryEvaluation.evaluate(encoder, Summarizer.defaults(), articles)
                .heed()
                .rouge2();
    }
}
