/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.encoder.Windowing;
import io.heed.models.entities.ConllReader;
import io.heed.models.entities.EntityCorpus;
import io.heed.models.entities.EntityEvaluation;
import io.heed.models.entities.EntityHead;
import io.heed.models.sentiment.LabeledTexts;
import io.heed.models.sentiment.SentimentCorpus;
import io.heed.models.sentiment.SentimentEvaluation;
import io.heed.models.sentiment.SentimentHead;
import io.heed.models.sentiment.SentimentScores;
import io.heed.models.summary.SentenceScorer;
import io.heed.models.summary.Summarizer;
import io.heed.models.summary.SummaryComparison;
import io.heed.models.summary.SummaryEvaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates every task of the bundled model on every public test set of the shared data folder and prints one markdown
 * report: sentiment per domain (accuracy, macro-recall, share labelled neutral, per-class figures, calibration error
 * and reliability table), entity P/R/F1 per domain and type, and summary ROUGE beside Lead-3 and TextRank (on CNN also
 * within the same word budget). Any file of the same kind can be given instead, so users can measure Heed on their
 * own data:
 *
 * <pre>
 * mvn -B -pl models/tooling -am test-compile exec:exec@quality-report [-Dreport.args="--sentiment-file my.tsv --entities-file my.conll
 *     --summaries-file my.jsonl --summaries-split all --encoder fp32 --weights tuned,frozen --out docs/QUALITY.md"]
 * </pre>
 *
 * Only test files are read (for BBC News Summary, the evaluation half: even lines, since the summariser's settings
 * were chosen on the odd lines; pass {@code --summaries-split all} for a file of your own). The sets and their splits
 * are {@link SentimentCorpus} and {@link EntityCorpus}.
 */
public final class QualityReport {
    private QualityReport() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("data-dir", System.getProperty("heed.data.dir", "../shared/data"));
        // Empty: every public set of the shared data folder (SentimentCorpus, EntityCorpus, BBC + CNN).
        options.put("sentiment-file", "");
        options.put("entities-file", "");
        options.put("summaries-file", "");
        options.put("summaries-split", "eval");
        options.put("summaries-limit", "0");
        options.put("encoder", "int8");
        options.put("weights", "tuned");
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

    /** A labelled file to report on and what to call it. */
    private record Named(String name, Path file) {}

    private static String run(Map<String, String> options, String commandArgs) {
        EncoderVariant variant = EncoderVariant.parse(options.get("encoder"));
        List<EncoderWeights> weightsList = Arrays.stream(options.get("weights").split(","))
                .map(EncoderWeights::parse)
                .distinct()
                .toList();
        StringBuilder sections = new StringBuilder();
        StringBuilder headline =
                new StringBuilder("| encoder weights | task | data | figure | Heed |\n" + "|---|---|---|---|---|\n");
        String engine = "";
        for (EncoderWeights weights : weightsList) {
            try (TransformerEncoder encoder =
                    TransformerEncoder.load(variant, weights, Windowing.of(256), 0, InferenceDevice.cpu())) {
                engine = encoder.engineDescription();
                sections.append(String.format(
                        Locale.ROOT,
                        "## Encoder weights: %s%n%nEncoder `%s` (ONNX SHA-256 "
                                + "`%s`) with the heads trained with it.%n%n",
                        weights,
                        encoder.modelId(),
                        encoder.weightsSha256().substring(0, 16)));
                evaluate(encoder, weights, options, sections, headline);
            }
        }
        StringBuilder report = new StringBuilder("# Heed quality report\n\n");
        report.append(String.format(
                Locale.ROOT,
                "Bundled encoder in %s precision, %s, evaluated on %s with %d cores." + "%n%n",
                variant.name().toLowerCase(Locale.ROOT),
                engine,
                LocalDate.now(),
                Runtime.getRuntime().availableProcessors()));
        report.append("Regenerate with:\n\n```\nmvn -B -pl models/tooling -am test-compile exec:exec@quality-report")
                .append(commandArgs.isBlank() ? "" : " -Dreport.args=\"" + commandArgs + "\"")
                .append("\n```\n\n");
        report.append("Only files marked test (or, for BBC News Summary, the evaluation half) are reported here; "
                + "every setting and epoch was chosen on train or dev data (dev splits carved from train files "
                + "where a set has none). Several sets are for research / non-commercial use only (Amazon, Yelp, "
                + "Financial PhraseBank, CoNLL-2003, CNN/DailyMail): see each folder's SOURCE.txt. Speeds include "
                + "tokenisation, the encoder pass and the head, on texts sorted by length in batches (offline "
                + "evaluation, not the streaming job).\n\n");
        report.append("On binary sets the decision is p(positive) against p(negative) and the confidence is the "
                + "larger of the two renormalised; \"labelled neutral\" is the share of texts whose most probable "
                + "label is neutral. ECE is the expected calibration error over 10 equal-width confidence bins.\n\n");
        report.append(headline).append('\n').append(sections);
        return report.toString();
    }

    private static void evaluate(
            TransformerEncoder encoder,
            EncoderWeights weights,
            Map<String, String> options,
            StringBuilder report,
            StringBuilder headline) {
        Path data = Paths.get(options.get("data-dir"));
        sentiment(encoder, weights, sentimentFiles(options, data), report, headline);
        entities(encoder, weights, entityFiles(options, data), report, headline);
        summaries(encoder, weights, options, data, report, headline);
    }

    private static List<Named> sentimentFiles(Map<String, String> options, Path data) {
        if (!options.get("sentiment-file").isBlank()) {
            Path file = Paths.get(options.get("sentiment-file"));
            return List.of(new Named(file.getFileName().toString(), file));
        }
        List<Named> files = new ArrayList<>();
        for (SentimentCorpus corpus : SentimentCorpus.values()) {
            for (String name : corpus.reportFiles()) {
                Path file = data.resolve(corpus.folder()).resolve(name);
                if (Files.isReadable(file)) {
                    files.add(new Named(corpus.title() + ", " + corpus.folder() + "/" + name, file));
                }
            }
        }
        return files;
    }

    private static List<Named> entityFiles(Map<String, String> options, Path data) {
        if (!options.get("entities-file").isBlank()) {
            Path file = Paths.get(options.get("entities-file"));
            return List.of(new Named(file.getFileName().toString(), file));
        }
        List<Named> files = new ArrayList<>();
        for (EntityCorpus corpus : EntityCorpus.values()) {
            Path file = corpus.testFile(data);
            if (Files.isReadable(file)) {
                files.add(new Named(corpus.title() + ", " + corpus.folder() + "/test.txt", file));
            }
        }
        return files;
    }

    private static void sentiment(
            TransformerEncoder encoder,
            EncoderWeights weights,
            List<Named> files,
            StringBuilder report,
            StringBuilder headline) {
        SentimentHead head = SentimentHead.bundled(weights);
        report.append(String.format(Locale.ROOT, "### Sentiment%n%nHead labels: %s.%n%n", head.labels()));
        report.append("| data | classes | examples | accuracy | macro-recall | labelled neutral | ECE | examples/s |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        StringBuilder details = new StringBuilder();
        for (Named named : files) {
            SentimentEvaluation.Result result =
                    SentimentEvaluation.evaluate(encoder, head, LabeledTexts.readTsv(named.file()));
            SentimentScores scores = result.scores();
            report.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | **%.4f** | %.4f | %.3f | %.4f | %.0f |%n",
                    named.name(),
                    scores.threeClass() ? 3 : 2,
                    scores.examples(),
                    scores.accuracy(),
                    scores.macroRecall(),
                    scores.neutralShare(),
                    scores.ece(),
                    result.examplesPerSecond()));
            headline.append(String.format(
                    Locale.ROOT,
                    "| %s | sentiment | %s | %s | %.4f |%n",
                    weights,
                    named.name(),
                    scores.threeClass() ? "macro-recall (3-class)" : "accuracy (binary)",
                    scores.headline()));
            if (scores.threeClass()) {
                headline.append(String.format(
                        Locale.ROOT,
                        "| %s | sentiment | %s | accuracy (3-class) | %.4f |%n",
                        weights,
                        named.name(),
                        scores.accuracy()));
            }
            details.append(String.format(Locale.ROOT, "#### %s%n%n", named.name()));
            details.append("| gold class | examples | precision | recall | F1 |\n|---|---|---|---|---|\n");
            for (SentimentScores.ClassScores c : scores.classes()) {
                details.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %.4f | %.4f | %.4f |%n",
                        c.label(),
                        c.support(),
                        c.precision(),
                        c.recall(),
                        c.f1()));
            }
            details.append(String.format(Locale.ROOT, "%nReliability (ECE %.4f):%n%n", scores.ece()));
            details.append(scores.reliabilityMarkdown()).append('\n');
        }
        report.append('\n').append(details);
    }

    private static void entities(
            TransformerEncoder encoder,
            EncoderWeights weights,
            List<Named> files,
            StringBuilder report,
            StringBuilder headline) {
        EntityHead head = EntityHead.bundled(weights);
        report.append("### Named entities\n\nExact span + type (conlleval-style chunks), micro-averaged.\n\n"
                + "| data | sentences | precision | recall | F1 | sentences/s |\n|---|---|---|---|---|---|\n");
        StringBuilder details = new StringBuilder();
        for (Named named : files) {
            EntityEvaluation.Result result = EntityEvaluation.evaluate(encoder, head, ConllReader.read(named.file()));
            report.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.4f | %.4f | **%.4f** | %.0f |%n",
                    named.name(),
                    result.sentences(),
                    result.micro().precision(),
                    result.micro().recall(),
                    result.micro().f1(),
                    result.examplesPerSecond()));
            headline.append(String.format(
                    Locale.ROOT,
                    "| %s | entities | %s | micro F1 | %.4f |%n",
                    weights,
                    named.name(),
                    result.micro().f1()));
            details.append(String.format(Locale.ROOT, "#### %s%n%n", named.name()))
                    .append(result.toMarkdown())
                    .append('\n');
        }
        report.append('\n').append(details);
    }

    /**
     * A summary file to report on: {@code halves} when it is split into tuning and evaluation halves by
     * {@code --summaries-split} (BBC News Summary, and a user's own file), {@code highlights} when its references are
     * short highlights and the {@link Summarizer#highlights()} preset is reported beside the default.
     */
    private record SummarySet(String name, Path file, boolean halves, boolean highlights) {}

    private static void summaries(
            TransformerEncoder encoder,
            EncoderWeights weights,
            Map<String, String> options,
            Path data,
            StringBuilder report,
            StringBuilder headline) {
        String split = options.get("summaries-split");
        if (!split.equals("all") && !split.equals("eval")) {
            throw new IllegalArgumentException("--summaries-split must be eval or all, got " + split);
        }
        List<SummarySet> sets = new ArrayList<>();
        if (!options.get("summaries-file").isBlank()) {
            Path file = Paths.get(options.get("summaries-file"));
            sets.add(new SummarySet(file.getFileName().toString(), file, true, false));
        } else {
            for (SummarySet set : List.of(
                    new SummarySet(
                            "BBC News Summary (extractive references)",
                            data.resolve("bbc-news-summary/bbc_news_summary.jsonl"),
                            true,
                            false),
                    new SummarySet(
                            "CNN/DailyMail, CNN test (abstractive highlights)",
                            data.resolve("cnn_dailymail/test.jsonl"),
                            false,
                            true))) {
                if (Files.isReadable(set.file())) {
                    sets.add(set);
                }
            }
        }
        report.append("### Summaries\n\n");
        for (SummarySet named : sets) {
            List<SummaryEvaluation.Article> articles = SummaryEvaluation.readJsonl(named.file());
            String which = "all articles";
            if (named.halves() && split.equals("eval")) {
                // The summariser's settings were chosen on the other half (odd lines); report on unseen articles.
                articles = SummaryEvaluation.evaluationSplit(articles);
                which = "evaluation half: even lines; settings were chosen on the odd lines";
            }
            articles = ToolArguments.limit(articles, Integer.parseInt(options.get("summaries-limit")));
            Map<String, Summarizer> systems = new LinkedHashMap<>();
            // The scorer trained on these weights' states (its inputs include the sentence vectors).
            SentenceScorer scorer = SentenceScorer.bundled(weights);
            systems.put(
                    "**Heed** default (learned sentence scorer, 3 sentences)",
                    Summarizer.builder().scorer(scorer).build());
            int budget = 0;
            if (named.highlights()) {
                // Highlights are short (~34 words): the preset with a lead prior and a word budget, chosen on CNN dev.
                systems.put(
                        "**Heed** `Summarizer.highlights()` (" + Summarizer.HIGHLIGHTS_MAX_WORDS + " words)",
                        Summarizer.highlightsBuilder().scorer(scorer).build());
                budget = Summarizer.HIGHLIGHTS_MAX_WORDS;
            }
            long start = System.nanoTime();
            List<SummaryComparison.Row> rows = SummaryComparison.compare(encoder, articles, systems, budget);
            double seconds = (System.nanoTime() - start) / 1e9;
            report.append(String.format(
                    Locale.ROOT,
                    "#### %s%n%n`%s` (%s): %d articles, ROUGE F1 against the "
                            + "reference summaries (mean per article); %.0f s for encoding and every system.%s%n%n",
                    named.name(),
                    named.file().getFileName(),
                    which,
                    articles.size(),
                    seconds,
                    budget > 0
                            ? " Baselines are also shown within the same word budget, so the comparison is fair."
                            : ""));
            report.append(SummaryComparison.header()).append('\n');
            rows.forEach(row -> report.append(row.markdown()).append('\n'));
            report.append('\n');
            SummaryComparison.Row heed = rows.get(systems.size() - 1);
            SummaryComparison.Row lead3 = rows.stream()
                    .filter(r -> r.system().equals("Lead-3"))
                    .findFirst()
                    .orElseThrow();
            SummaryComparison.Row textRank = rows.stream()
                    .filter(r -> r.system().startsWith("TextRank"))
                    .findFirst()
                    .orElseThrow();
            headline.append(String.format(
                    Locale.ROOT,
                    "| %s | summary | %s | ROUGE-2 / ROUGE-L, %s (Lead-3; "
                            + "TextRank) | %.4f / %.4f (%.4f / %.4f; %.4f / %.4f) |%n",
                    weights,
                    named.name(),
                    named.highlights() ? "highlights()" : "default",
                    heed.rouge2(),
                    heed.rougeL(),
                    lead3.rouge2(),
                    lead3.rougeL(),
                    textRank.rouge2(),
                    textRank.rougeL()));
        }
    }
}
