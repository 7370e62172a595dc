package io.heed.models;

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
import io.heed.models.summary.Rouge;
import io.heed.models.summary.Summarizer;
import io.heed.models.summary.SummaryEvaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates every task of the bundled model and prints one markdown report: sentiment accuracy, entity P/R/F1 per
 * type, summary ROUGE against Lead-3 and TextRank, and the speed of each evaluation. By default it reads the public
 * test sets in {@code ../shared/data}; any file of the same kind can be given instead, so users can measure Heed on
 * their own data:
 *
 * <pre>
 * mvn -B -pl models process-classes exec:exec@quality-report [-Dreport.args="--sentiment-file my.tsv --entities-file my.conll
 *     --summaries-file my.jsonl --summaries-split all --encoder fp32 --weights tuned --out docs/QUALITY.md"]
 * </pre>
 *
 * Summaries are scored on the evaluation split (even lines) by default, because the summariser's few settings were
 * chosen on the odd lines of the BBC file; pass {@code --summaries-split all} for a file of your own.
 */
public final class QualityReport {
    private QualityReport() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        Path data = Paths.get(System.getProperty("heed.data.dir", "../shared/data"));
        options.put("sentiment-file", data.resolve("sst2/dev.tsv").toString());
        options.put("entities-file", data.resolve("conll2003/test.txt").toString());
        options.put("summaries-file", data.resolve("bbc-news-summary/bbc_news_summary.jsonl").toString());
        options.put("summaries-split", "eval");
        options.put("summaries-limit", "0");
        options.put("encoder", "int8");
        options.put("weights", "tuned,frozen");
        options.put("out", "");
        options = ToolArguments.parse(args, options);
        String report = run(options, String.join(" ", args));
        System.out.print(report);
        if (!options.get("out").isBlank()) {
            Path out = Paths.get(options.get("out"));
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, report, StandardCharsets.UTF_8);
            System.err.println("Wrote " + out.toAbsolutePath());
        }
    }

    private static String run(Map<String, String> options, String commandArgs) {
        EncoderVariant variant = EncoderVariant.parse(options.get("encoder"));
        List<EncoderWeights> weightsList = Arrays.stream(options.get("weights").split(","))
                .map(EncoderWeights::parse).distinct().toList();
        StringBuilder sections = new StringBuilder();
        StringBuilder comparison = new StringBuilder("| encoder weights | sentiment accuracy | entity micro F1 | "
                + "summary ROUGE-2 (Heed) |\n|---|---|---|---|\n");
        String engine = "";
        for (EncoderWeights weights : weightsList) {
            try (TransformerEncoder encoder = TransformerEncoder.load(variant, weights, Windowing.of(256), 0,
                    InferenceDevice.cpu())) {
                engine = encoder.engineDescription();
                sections.append(String.format(Locale.ROOT, "## Encoder weights: %s%n%nEncoder `%s` (ONNX SHA-256 "
                        + "`%s`) with the heads trained with it.%n%n", weights, encoder.modelId(),
                        encoder.weightsSha256().substring(0, 16)));
                Scores scores = evaluate(encoder, weights, options, sections);
                comparison.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f |%n", weights,
                        scores.sentimentAccuracy(), scores.entityF1(), scores.rouge2()));
            }
        }
        StringBuilder report = new StringBuilder("# Heed quality report\n\n");
        report.append(String.format(Locale.ROOT, "Bundled encoder in %s precision, %s, evaluated on %s with %d cores."
                + "%n%n", variant.name().toLowerCase(Locale.ROOT), engine, LocalDate.now(),
                Runtime.getRuntime().availableProcessors()));
        report.append("Regenerate with:\n\n```\nmvn -B -pl models process-classes exec:exec@quality-report")
                .append(commandArgs.isBlank() ? "" : " -Dreport.args=\"" + commandArgs + "\"")
                .append("\n```\n\n");
        report.append("Speeds include tokenisation, the encoder pass and the head, on texts sorted by length in "
                + "batches (offline evaluation, not the streaming job).\n\n");
        report.append(comparison).append('\n').append(sections);
        return report.toString();
    }

    /** Headline numbers of one encoder, for the comparison table. */
    private record Scores(double sentimentAccuracy, double entityF1, double rouge2) {}

    private static Scores evaluate(TransformerEncoder encoder, EncoderWeights weights, Map<String, String> options,
            StringBuilder report) {
        Path sentimentFile = Paths.get(options.get("sentiment-file"));
        SentimentEvaluation.Result sentiment = SentimentEvaluation.evaluate(encoder, SentimentHead.bundled(weights),
                LabeledTexts.readTsv(sentimentFile));
        report.append("### Sentiment\n\n| file | examples | accuracy | examples/s |\n|---|---|---|---|\n");
        report.append(String.format(Locale.ROOT, "| `%s` | %d | **%.4f** | %.0f |%n%n", sentimentFile.getFileName(),
                sentiment.examples(), sentiment.accuracy(), sentiment.examplesPerSecond()));

        Path entitiesFile = Paths.get(options.get("entities-file"));
        List<ConllReader.Sentence> sentences = ConllReader.read(entitiesFile);
        EntityEvaluation.Result entities = EntityEvaluation.evaluate(encoder, EntityHead.bundled(weights), sentences);
        report.append(String.format(Locale.ROOT, "### Named entities%n%n`%s`: %d sentences, exact span + type "
                + "(conlleval-style chunks), %.0f sentences/s.%n%n", entitiesFile.getFileName(),
                entities.sentences(), entities.examplesPerSecond()));
        report.append(entities.toMarkdown()).append('\n');

        Path summariesFile = Paths.get(options.get("summaries-file"));
        List<SummaryEvaluation.Article> articles = SummaryEvaluation.readJsonl(summariesFile);
        String split = options.get("summaries-split");
        if (split.equals("eval")) {
            // The summariser's settings were chosen on the other half (odd lines); report on unseen articles.
            articles = SummaryEvaluation.evaluationSplit(articles);
        } else if (!split.equals("all")) {
            throw new IllegalArgumentException("--summaries-split must be eval or all, got " + split);
        }
        int limit = Integer.parseInt(options.get("summaries-limit"));
        if (limit > 0 && limit < articles.size()) {
            articles = articles.subList(0, limit);
        }
        Summarizer summarizer = Summarizer.defaults();
        SummaryEvaluation.Result summaries = SummaryEvaluation.evaluate(encoder, summarizer, articles);
        report.append(String.format(Locale.ROOT, "### Summaries%n%n`%s` (%s): %d articles, ROUGE F1 against the "
                + "reference summaries (mean per article), %.1f articles/s for Heed. Summarizer: %s.%n%n",
                summariesFile.getFileName(), split.equals("eval") ? "evaluation split: even lines; the "
                        + "summariser's settings were chosen on the odd lines" : "all articles",
                summaries.examples(), summaries.examplesPerSecond(), summarizer));
        report.append("| method | ROUGE-1 | ROUGE-2 | ROUGE-L | mean words |\n|---|---|---|---|---|\n");
        rougeRow(report, "**Heed** (attention centrality + MMR)", summaries.heed(), summaries.heedWords());
        rougeRow(report, "Lead-3", summaries.lead3(), summaries.lead3Words());
        rougeRow(report, "TextRank", summaries.textRank(), summaries.textRankWords());
        report.append('\n');
        return new Scores(sentiment.accuracy(), entities.micro().f1(), summaries.heed().rouge2());
    }

    private static void rougeRow(StringBuilder report, String name, Rouge.Scores scores, double words) {
        report.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.0f |%n", name, scores.rouge1(),
                scores.rouge2(), scores.rougeL(), words));
    }
}
