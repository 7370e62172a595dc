/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import io.heed.models.HeadFile;
import io.heed.models.SourceTree;
import io.heed.models.ToolArguments;
import io.heed.models.encoder.BaseEncoder;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.TokenStates;
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
import io.heed.models.sentiment.SentimentHeadTrainer;
import io.heed.models.sentiment.SentimentScores;
import io.heed.models.summary.SummaryEvaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Encoder choice by measurement: fine-tuned encoders side by side in one run, each as the runtime would ship it (its
 * patch over its Maven artifact's fp32 graph, the int8 variant derived by {@link Int8Encoder#write}, the heads trained
 * jointly with it, run by the plain-Java inference code under ONNX Runtime).
 *
 * <p>Prints, per candidate: the dev figures the choice reads (the fine-tuning's dev carves and dev files), the test
 * figures (reported only, never chosen on), and encoder-only records/s on short and long texts, timed in alternation
 * in the same process, with each candidate's ratio to the first. The sentiment head is calibrated as the trainer ships
 * one (a temperature fitted on the dev carves, which leaves every label as it is and makes the expected calibration
 * error meaningful).
 *
 * <pre>
 * mvn -B -pl models/tooling -am test-compile exec:exec@compare-encoders -Dreport.args="--out docs/ENCODERS.md"
 * </pre>
 *
 * {@code --candidates} (default {@code minilm-l6=shipped,bge-small=shipped}): {@code shipped} is the committed patch
 * of the encoder's shipped weights ({@link BaseEncoder#tunedWeights}) with their bundled heads; any other value is a
 * fine-tuning output directory ({@code encoder-patch.bin}, {@code sentiment-head.bin}, {@code entity-head.bin}), such
 * as a run's {@code best/}.
 */
public final class EncoderComparison {
    private static final String SHIPPED = "shipped";
    private static final String SENTIMENT_HEAD = "sentiment head";
    /** The least short-text speed, relative to the current default, that a new default may have. */
    static final double MIN_SPEED_RATIO = 0.75;

    private static final List<EntityCorpus> ENTITY_SETS =
            List.of(EntityCorpus.CONLL, EntityCorpus.WNUT, EntityCorpus.CROSSNER_POLITICS);

    private EncoderComparison() {}

    /** One fine-tuned encoder with its heads, derived to local ONNX files. */
    private record Candidate(BaseEncoder base, String source, Path int8Onnx, HeadFile sentiment, EntityHead entities) {
        TransformerEncoder load() {
            return TransformerEncoder.load(
                    int8Onnx, base.tokenizerFile(), "heed/" + base.modelId() + "-int8-tuned", Windowing.of(256), 0);
        }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("data-dir", System.getProperty("heed.data.dir", "../shared/data"));
        defaults.put("candidates", "minilm-l6=" + SHIPPED + ",bge-small=" + SHIPPED);
        defaults.put("work", SourceTree.WORK_DIR.resolve("encoder-comparison").toString());
        defaults.put("limit", "0"); // examples per quality set (0: all); for smoke runs
        defaults.put("speed-passes", "3"); // timed passes per candidate and text set; the best is reported
        defaults.put("long-texts", "100"); // CNN test articles in the long-text speed row
        defaults.put("out", "");
        Map<String, String> options = ToolArguments.parse(args, defaults);
        Path data = Paths.get(options.get("data-dir"));
        int limit = Integer.parseInt(options.get("limit"));

        List<Candidate> candidates = new ArrayList<>();
        for (String spec : options.get("candidates").split(",")) {
            String[] parts = spec.split("=", 2);
            candidates.add(derive(BaseEncoder.parse(parts[0]), parts[1], Paths.get(options.get("work"))));
        }

        StringBuilder report = new StringBuilder("# Encoder choice\n\n");
        report.append(String.format(
                Locale.ROOT,
                "Measured on %s with %d cores. Regenerate with:%n%n```%nmvn -B -pl models/tooling -am test-compile "
                        + "exec:exec@compare-encoders -Dreport.args=\"%s\"%n```%n%n",
                LocalDate.now(),
                Runtime.getRuntime().availableProcessors(),
                String.join(" ", args)));
        report.append("Each candidate: fine-tuned by `finetune-encoder` (same data, options and seed), int8 with "
                + "activations quantised per token row, heads trained jointly with it. Dev figures (dev carves of "
                + "the train files, dev files) are what the choice reads; test figures are reported only.\n\n");
        report.append("| candidate | weights from |\n|---|---|\n");
        candidates.forEach(c -> report.append("| ")
                .append(c.base())
                .append(" | ")
                .append(c.source())
                .append(" |\n"));

        Map<String, Map<Candidate, Double>> dev = new LinkedHashMap<>();
        Map<String, Map<Candidate, Double>> test = new LinkedHashMap<>();
        for (Candidate candidate : candidates) {
            try (TransformerEncoder encoder = candidate.load()) {
                Map<SentimentCorpus, List<LabeledTexts.Example>> devExamples = new LinkedHashMap<>();
                Map<SentimentCorpus, List<TokenStates>> devStates = new LinkedHashMap<>();
                for (SentimentCorpus corpus : SentimentCorpus.values()) {
                    List<LabeledTexts.Example> examples = ToolArguments.limit(corpus.dev(data), limit);
                    List<TokenStates> states = encoder.encodeSortedByLength(
                            examples.stream().map(LabeledTexts.Example::text).toList(), 32, message -> {});
                    devExamples.put(corpus, examples);
                    devStates.put(corpus, states);
                }
                // As the trainer ships a head: one temperature fitted on the dev carves. A temperature leaves every
                // label as it is, so the dev figures are those of the jointly trained head.
                SentimentHead calibrated =
                        SentimentHeadTrainer.calibrated(candidate.sentiment(), devStates, devExamples);
                for (SentimentCorpus corpus : SentimentCorpus.values()) {
                    double headline = SentimentEvaluation.score(
                                    calibrated, devStates.get(corpus), devExamples.get(corpus))
                            .headline();
                    put(dev, "sentiment " + corpus + " (dev carve, " + headlineName(corpus) + ")", candidate, headline);
                }
                for (SentimentCorpus corpus : SentimentCorpus.values()) {
                    for (String file : corpus.reportFiles()) {
                        List<LabeledTexts.Example> examples = LabeledTexts.readTsv(
                                data.resolve(corpus.folder()).resolve(file));
                        SentimentScores scores = SentimentEvaluation.evaluate(
                                        encoder, calibrated, ToolArguments.limit(examples, limit))
                                .scores();
                        String name = "sentiment " + corpus.folder() + "/" + file;
                        put(test, name + " (" + headlineName(corpus) + ")", candidate, scores.headline());
                        put(test, name + " (ECE, temperature fitted on the dev carves)", candidate, scores.ece());
                    }
                }
                for (EntityCorpus corpus : ENTITY_SETS) {
                    put(
                            dev,
                            "entities " + corpus + " (" + corpus.devFile(data).getFileName() + ", F1)",
                            candidate,
                            entityF1(encoder, candidate, corpus.devFile(data), limit));
                    put(
                            test,
                            "entities " + corpus.folder() + "/test.txt (F1)",
                            candidate,
                            entityF1(encoder, candidate, corpus.testFile(data), limit));
                }
                System.out.printf(Locale.ROOT, "[compare-encoders] %s: quality done%n", candidate.base());
            }
        }
        appendTable(report, "Dev (what the choice reads)", dev, candidates, true);
        appendTable(report, "Test (reported only)", test, candidates, false);
        double[] shortTextRatios = appendSpeed(report, candidates, data, options);
        appendChoice(report, candidates, dev, shortTextRatios);
        System.out.print(report);
        if (!options.get("out").isBlank()) {
            Path out = Paths.get(options.get("out"));
            Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
            System.out.println("[compare-encoders] Wrote " + out.toAbsolutePath());
        }
    }

    private static Candidate derive(BaseEncoder base, String source, Path work) throws IOException {
        boolean shipped = source.equals(SHIPPED);
        EncoderWeights weights = base.tunedWeights();
        Path dir = shipped ? SourceTree.patchDir(weights) : Paths.get(source);
        Path fp32 = work.resolve(base + "-tuned.onnx");
        Path int8 = work.resolve(base + "-int8-tuned.onnx");
        Int8Encoder.write(
                base.onnxFile(), base.int8File(), EncoderPatch.read(dir.resolve("encoder-patch.bin")), fp32, int8);
        return new Candidate(
                base,
                shipped ? "the committed patch (" + dir + ") and the bundled heads of " + weights : source,
                int8,
                shipped
                        ? HeadFile.loadResource(
                                EncoderComparison.class,
                                weights.headResource(SentimentHead.BUNDLED_FILE),
                                SENTIMENT_HEAD,
                                (file, sha) -> file)
                        : HeadFile.load(dir.resolve("sentiment-head.bin"), SENTIMENT_HEAD, (file, sha) -> file),
                shipped ? EntityHead.bundled(weights) : EntityHead.read(dir.resolve("entity-head.bin")));
    }

    private static double entityF1(TransformerEncoder encoder, Candidate candidate, Path file, int limit) {
        return EntityEvaluation.evaluate(
                        encoder, candidate.entities(), ToolArguments.limit(ConllReader.read(file), limit))
                .micro()
                .f1();
    }

    private static String headlineName(SentimentCorpus corpus) {
        return corpus == SentimentCorpus.SEMEVAL || corpus == SentimentCorpus.FINANCE
                ? "3-class macro-recall"
                : "binary accuracy";
    }

    private static void put(Map<String, Map<Candidate, Double>> table, String row, Candidate candidate, double value) {
        table.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(candidate, value);
    }

    private static void appendTable(
            StringBuilder report,
            String title,
            Map<String, Map<Candidate, Double>> table,
            List<Candidate> candidates,
            boolean withMean) {
        report.append("\n## ").append(title).append("\n\n| figure |");
        candidates.forEach(c -> report.append(' ').append(c.base()).append(" |"));
        report.append("\n|---|").append("---|".repeat(candidates.size())).append('\n');
        for (Map.Entry<String, Map<Candidate, Double>> row : table.entrySet()) {
            report.append("| ").append(row.getKey()).append(" |");
            candidates.forEach(c -> report.append(
                    String.format(Locale.ROOT, " %.4f |", row.getValue().get(c))));
            report.append('\n');
        }
        if (withMean) {
            report.append("| **mean** |");
            candidates.forEach(c -> report.append(String.format(Locale.ROOT, " **%.4f** |", devMean(table, c))));
            report.append('\n');
        }
    }

    /**
     * The rule (docs/MODELS.md, "Encoder choice"): the default is the candidate with the best dev mean among those
     * whose short-text records/s is at least {@link #MIN_SPEED_RATIO} of the current default's (the first candidate);
     * a more accurate but slower one may ship as a selectable encoder, not as the default.
     */
    private static void appendChoice(
            StringBuilder report,
            List<Candidate> candidates,
            Map<String, Map<Candidate, Double>> dev,
            double[] shortTextRatios) {
        Candidate chosen = null;
        double chosenMean = Double.NEGATIVE_INFINITY;
        report.append("\n## Choice by the rule\n\nThe default is the candidate with the best dev mean among those "
                + "whose short-text records/s is at least " + MIN_SPEED_RATIO + "x the current default's ("
                + candidates.get(0).base() + "); a more accurate, slower candidate may ship as a selectable encoder, "
                + "not as the default.\n\n| candidate | dev mean | short-text speed ratio | may be default |\n"
                + "|---|---|---|---|\n");
        for (int c = 0; c < candidates.size(); c++) {
            Candidate candidate = candidates.get(c);
            double mean = devMean(dev, candidate);
            boolean fastEnough = shortTextRatios[c] >= MIN_SPEED_RATIO;
            report.append(String.format(
                    Locale.ROOT,
                    "| %s | %.4f | %.2f | %s |%n",
                    candidate.base(),
                    mean,
                    shortTextRatios[c],
                    fastEnough ? "yes" : "no"));
            if (fastEnough && mean > chosenMean) {
                chosen = candidate;
                chosenMean = mean;
            }
        }
        report.append("\nDefault by the rule: **").append(chosen.base()).append("**.\n");
    }

    private static double devMean(Map<String, Map<Candidate, Double>> dev, Candidate candidate) {
        return dev.values().stream()
                .mapToDouble(values -> values.get(candidate))
                .average()
                .orElseThrow();
    }

    /**
     * Encoder-only records/s, every candidate timed in turn on the same texts; best of the passes. Returns each
     * candidate's ratio to the first on the short texts.
     */
    private static double[] appendSpeed(
            StringBuilder report, List<Candidate> candidates, Path data, Map<String, String> options) {
        List<String> shortTexts = LabeledTexts.readTsv(data.resolve("sst2/dev.tsv")).stream()
                .map(LabeledTexts.Example::text)
                .toList();
        List<String> longTexts = SummaryEvaluation.readJsonl(data.resolve("cnn_dailymail/test.jsonl")).stream()
                .limit(Integer.parseInt(options.get("long-texts")))
                .map(SummaryEvaluation.Article::text)
                .toList();
        Map<String, List<String>> sets = new LinkedHashMap<>();
        sets.put("SST-2 dev sentences (" + shortTexts.size() + ")", shortTexts);
        sets.put("CNN test articles (" + longTexts.size() + ", windows of 256 tokens)", longTexts);
        int passes = Integer.parseInt(options.get("speed-passes"));
        List<TransformerEncoder> encoders = new ArrayList<>();
        try {
            for (Candidate candidate : candidates) {
                encoders.add(candidate.load());
            }
            report.append("\n## Speed: encoder only, int8, batches of 32 sorted by length, ")
                    .append(Runtime.getRuntime().availableProcessors())
                    .append(" intra-op threads\n\nRecords/s, best of ")
                    .append(passes)
                    .append(" passes; each candidate timed in turn in the same process; ratio to ")
                    .append(candidates.get(0).base())
                    .append(".\n\n| texts |");
            candidates.forEach(c -> report.append(' ').append(c.base()).append(" records/s | ratio |"));
            report.append("\n|---|")
                    .append("---|---|".repeat(candidates.size()))
                    .append('\n');
            double[] shortTextRatios = null;
            for (Map.Entry<String, List<String>> set : sets.entrySet()) {
                double[] best = new double[candidates.size()];
                for (TransformerEncoder encoder : encoders) {
                    encoder.encodeSortedByLength(
                            set.getValue()
                                    .subList(0, Math.min(64, set.getValue().size())),
                            32,
                            message -> {}); // warm-up
                }
                for (int pass = 0; pass < passes; pass++) {
                    for (int c = 0; c < encoders.size(); c++) {
                        long start = System.nanoTime();
                        encoders.get(c).encodeSortedByLength(set.getValue(), 32, message -> {});
                        double perSecond = set.getValue().size() / ((System.nanoTime() - start) / 1e9);
                        best[c] = Math.max(best[c], perSecond);
                    }
                }
                report.append("| ").append(set.getKey()).append(" |");
                double[] ratios = new double[candidates.size()];
                for (int c = 0; c < candidates.size(); c++) {
                    ratios[c] = best[c] / best[0];
                    report.append(String.format(Locale.ROOT, " %.1f | %.2f |", best[c], ratios[c]));
                }
                report.append('\n');
                if (shortTextRatios == null) {
                    shortTextRatios = ratios;
                }
            }
            return shortTextRatios;
        } finally {
            encoders.forEach(TransformerEncoder::close);
        }
    }
}
