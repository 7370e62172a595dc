/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import com.google.gson.GsonBuilder;
import io.heed.models.InferenceDevice;
import io.heed.models.Sha256;
import io.heed.models.SourceTree;
import io.heed.models.ToolArguments;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.encoder.Windowing;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Trains the {@link SentenceScorer} of the summariser and chooses its settings.
 *
 * <pre>
 * mvn -B -pl models/tooling -am test-compile exec:exec@train-summary-scorer -Dtrain.args="[--weights tuned
 *     --epochs 60 --patience 10 --hidden 32 --content true --labels member --loss bce --lr 0.0003 --seed 13
 *     --report-test false]"
 * </pre>
 *
 * <p>Data and what each part is used for:
 * <ul>
 *   <li><b>Training</b>: the BBC News Summary <em>tuning</em> half (odd lines), less every fifth of its articles. The
 *       references are extractive, so a sentence's label is 1 when it appears in the reference ({@code --labels
 *       member}: its ROUGE tokens occur as a contiguous run in the reference's) — or, with {@code --labels oracle},
 *       when the greedy ROUGE oracle (up to 3 sentences maximising ROUGE-1 + ROUGE-2 against the reference) takes it.
 *   <li><b>Choosing</b> (early stopping, MMR λ, the CNN word budget): the held-out fifth of the tuning half and
 *       {@code cnn_dailymail/dev.jsonl}. Early stopping and λ maximise the mean of the two sets' ROUGE-2 at three
 *       sentences; the word budget maximises CNN dev ROUGE-2.
 *   <li><b>Reporting only</b> ({@code --report-test true}, after the weights and card are written): the BBC evaluation
 *       half (even lines) and {@code cnn_dailymail/test.jsonl}. Nothing is chosen on them.
 * </ul>
 * Encodings (sentence vectors of one encoder pass per article, batched as {@link SummaryEvaluation} does) are cached
 * under {@code --cache} keyed by the data file's hash and the encoder, so re-runs only train. Writes
 * {@code summary-scorer[-tuned].bin} and a card {@code summary-scorer[-tuned].json} (data hashes, options, every
 * epoch, the dev tables, seconds) into {@code --out}.
 */
public final class SummaryScorerTrainer {
    private static final int SENTENCES = 3;

    private SummaryScorerTrainer() {}

    /** One training text: feature rows of its candidate sentences and their labels. */
    record Example(double[][] features, double[] labels) {}

    /** Model options. */
    record Options(
            int hidden,
            boolean content,
            String loss,
            double lr,
            double weightDecay,
            int batch,
            int epochs,
            long seed,
            String labels) {}

    public static void main(String[] args) throws IOException {
        long started = System.nanoTime();
        Path data = Paths.get(System.getProperty("heed.data.dir", "../shared/data"));
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(
                "bbc", data.resolve("bbc-news-summary/bbc_news_summary.jsonl").toString());
        defaults.put("cnn-dev", data.resolve("cnn_dailymail/dev.jsonl").toString());
        defaults.put("cnn-test", data.resolve("cnn_dailymail/test.jsonl").toString());
        defaults.put("weights", "tuned");
        defaults.put("encoder", "int8");
        defaults.put("window", "256");
        defaults.put("cache", SourceTree.WORK_DIR.resolve("summary-cache").toString());
        defaults.put("limit", "0");
        defaults.put("epochs", "60");
        defaults.put("patience", "10");
        defaults.put("hidden", "32");
        defaults.put("content", "true");
        defaults.put("loss", "bce");
        defaults.put("labels", "member");
        defaults.put("lr", "0.0003");
        defaults.put("weight-decay", "0.0001");
        defaults.put("batch", "16");
        defaults.put("seed", "13");
        defaults.put("lambdas", "1,0.85,0.7,0.5");
        defaults.put("budgets", "0,30,40,50,60,70,80,100");
        defaults.put("position-weights", "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1");
        defaults.put("out", ""); // empty: where the scorer ships for --weights (SourceTree)
        defaults.put("write", "true");
        defaults.put("report-test", "false");
        Map<String, String> o = ToolArguments.parse(args, defaults);
        EncoderWeights weights = EncoderWeights.parse(o.get("weights"));
        EncoderVariant variant = EncoderVariant.parse(o.get("encoder"));
        int limit = Integer.parseInt(o.get("limit"));
        Options options = new Options(
                Integer.parseInt(o.get("hidden")),
                Boolean.parseBoolean(o.get("content")),
                o.get("loss"),
                Double.parseDouble(o.get("lr")),
                Double.parseDouble(o.get("weight-decay")),
                Integer.parseInt(o.get("batch")),
                Integer.parseInt(o.get("epochs")),
                Long.parseLong(o.get("seed")),
                o.get("labels"));
        if (!options.loss().equals("listwise") && !options.loss().equals("bce")) {
            throw new IllegalArgumentException("--loss must be listwise or bce, got " + options.loss());
        }
        if (!options.labels().equals("member") && !options.labels().equals("oracle")) {
            throw new IllegalArgumentException("--labels must be member or oracle, got " + options.labels());
        }
        Path bbcFile = Paths.get(o.get("bbc"));
        Path cnnDevFile = Paths.get(o.get("cnn-dev"));
        Path cnnTestFile = Paths.get(o.get("cnn-test"));
        Path cache = Paths.get(o.get("cache"));
        boolean reportTest = Boolean.parseBoolean(o.get("report-test"));

        List<SummaryEvaluation.Article> bbc = SummaryEvaluation.readJsonl(bbcFile);
        List<SummaryEvaluation.Article> tuning = limit(SummaryEvaluation.tuningSplit(bbc), limit);
        List<SummaryEvaluation.Article> cnnDev = limit(SummaryEvaluation.readJsonl(cnnDevFile), limit);

        long encodeStart = System.nanoTime();
        String encoderId;
        String encoderSha;
        List<SummaryEvaluation.Prepared> tuningPrepared;
        List<SummaryEvaluation.Prepared> cnnDevPrepared;
        List<SummaryEvaluation.Prepared> bbcEvalPrepared = null;
        List<SummaryEvaluation.Prepared> cnnTestPrepared = null;
        try (TransformerEncoder encoder = TransformerEncoder.load(
                variant, weights, Windowing.of(Integer.parseInt(o.get("window"))), 0, InferenceDevice.cpu())) {
            encoderId = encoder.modelId();
            encoderSha = encoder.weightsSha256();
            tuningPrepared = cached(encoder, cache, bbcFile, "bbc-tune", tuning);
            cnnDevPrepared = cached(encoder, cache, cnnDevFile, "cnn-dev", cnnDev);
            if (reportTest) {
                bbcEvalPrepared = cached(
                        encoder, cache, bbcFile, "bbc-eval", limit(SummaryEvaluation.evaluationSplit(bbc), limit));
                cnnTestPrepared = cached(
                        encoder,
                        cache,
                        cnnTestFile,
                        "cnn-test",
                        limit(SummaryEvaluation.readJsonl(cnnTestFile), limit));
            }
        }
        double encodeSeconds = (System.nanoTime() - encodeStart) / 1e9;

        List<SummaryEvaluation.Prepared> train = new ArrayList<>();
        List<SummaryEvaluation.Prepared> heldOut = new ArrayList<>();
        for (int i = 0; i < tuningPrepared.size(); i++) {
            (i % 5 == 4 ? heldOut : train).add(tuningPrepared.get(i));
        }
        log(
                "training texts %d, held-out BBC texts %d, CNN dev texts %d; encoding %.0f s",
                train.size(), heldOut.size(), cnnDevPrepared.size(), encodeSeconds);

        long trainStart = System.nanoTime();
        List<Example> examples = new ArrayList<>();
        int positives = 0;
        int sentences = 0;
        for (SummaryEvaluation.Prepared p : train) {
            Example e = example(p, options.content(), options.labels());
            if (e != null) {
                examples.add(e);
                for (double y : e.labels()) {
                    positives += y > 0 ? 1 : 0;
                }
                sentences += e.labels().length;
            }
        }
        log(
                "labels (%s): %d of %d training sentences positive (%.1f%%)",
                options.labels(), positives, sentences, 100.0 * positives / Math.max(1, sentences));
        List<Map<String, Object>> history = new ArrayList<>();
        SentenceScorer scorer =
                train(examples, options, Integer.parseInt(o.get("patience")), heldOut, cnnDevPrepared, history);
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        log("training %.0f s", trainSeconds);

        // Settings. Default (any text): λ, then the position-prior weight w, each by the mean of BBC held-out and CNN
        // dev ROUGE-2 at three sentences. Highlights preset (short abstractive highlights, CNN-like): w and the word
        // budget by CNN dev ROUGE-2 alone.
        Map<String, Object> choices = new LinkedHashMap<>();
        List<Map<String, Object>> lambdaGrid = new ArrayList<>();
        double bestLambda = 0.85;
        double bestMean = -1;
        for (String value : o.get("lambdas").split(",")) {
            double lambda = Double.parseDouble(value);
            Summarizer s = Summarizer.builder()
                    .scorer(scorer)
                    .redundancyLambda(lambda)
                    .positionWeight(0)
                    .build();
            double bbcR2 = SummaryComparison.heed("", s, heldOut).rouge2();
            double cnnR2 = SummaryComparison.heed("", s, cnnDevPrepared).rouge2();
            lambdaGrid.add(grid("lambda", lambda, bbcR2, cnnR2));
            log("lambda %.2f, w 0: BBC held-out R2 %.4f, CNN dev R2 %.4f", lambda, bbcR2, cnnR2);
            if ((bbcR2 + cnnR2) / 2 > bestMean + 1e-9) {
                bestMean = (bbcR2 + cnnR2) / 2;
                bestLambda = lambda;
            }
        }
        choices.put("lambda_grid", lambdaGrid);
        choices.put("lambda", bestLambda);
        List<Map<String, Object>> positionGrid = new ArrayList<>();
        double bestWeight = 0;
        bestMean = -1;
        for (String value : o.get("position-weights").split(",")) {
            double w = Double.parseDouble(value);
            Summarizer s = Summarizer.builder()
                    .scorer(scorer)
                    .redundancyLambda(bestLambda)
                    .positionWeight(w)
                    .build();
            double bbcR2 = SummaryComparison.heed("", s, heldOut).rouge2();
            double cnnR2 = SummaryComparison.heed("", s, cnnDevPrepared).rouge2();
            positionGrid.add(grid("position_weight", w, bbcR2, cnnR2));
            log("lambda %.2f, w %.2f: BBC held-out R2 %.4f, CNN dev R2 %.4f", bestLambda, w, bbcR2, cnnR2);
            if ((bbcR2 + cnnR2) / 2 > bestMean + 1e-9) {
                bestMean = (bbcR2 + cnnR2) / 2;
                bestWeight = w;
            }
        }
        choices.put("position_weight_grid", positionGrid);
        choices.put("position_weight", bestWeight);
        for (int count : new int[] {2, 3, 4}) {
            Summarizer s = Summarizer.builder()
                    .scorer(scorer)
                    .redundancyLambda(bestLambda)
                    .positionWeight(bestWeight)
                    .maxSentences(count)
                    .build();
            log(
                    "sentences %d (no budget): BBC held-out R2 %.4f, CNN dev R2 %.4f",
                    count,
                    SummaryComparison.heed("", s, heldOut).rouge2(),
                    SummaryComparison.heed("", s, cnnDevPrepared).rouge2());
        }
        int bestBudget = 0;
        double highlightWeight = 0;
        double bestBudgetR2 = -1;
        List<Map<String, Object>> budgetGrid = new ArrayList<>();
        for (String weightValue : o.get("position-weights").split(",")) {
            double w = Double.parseDouble(weightValue);
            for (String value : o.get("budgets").split(",")) {
                int budget = Integer.parseInt(value.strip());
                Summarizer s = Summarizer.builder()
                        .scorer(scorer)
                        .redundancyLambda(bestLambda)
                        .positionWeight(w)
                        .maxWords(budget)
                        .build();
                SummaryComparison.Row row = SummaryComparison.heed("", s, cnnDevPrepared);
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("position_weight", w);
                cell.put("max_words", budget);
                cell.put("cnn_dev", SummaryComparison.json(row));
                budgetGrid.add(cell);
                log(
                        "CNN dev, w %.2f, max words %d: R1 %.4f R2 %.4f RL %.4f, %.1f words",
                        w, budget, row.rouge1(), row.rouge2(), row.rougeL(), row.words());
                if (row.rouge2() > bestBudgetR2 + 1e-9) {
                    bestBudgetR2 = row.rouge2();
                    bestBudget = budget;
                    highlightWeight = w;
                }
            }
        }
        choices.put("highlights_grid", budgetGrid);
        choices.put("highlights_position_weight", highlightWeight);
        choices.put("highlights_max_words", bestBudget);
        log(
                "chosen: lambda %.2f, position weight %.2f; highlights: position weight %.2f, max words %d",
                bestLambda, bestWeight, highlightWeight, bestBudget);

        Summarizer learned = Summarizer.builder()
                .scorer(scorer)
                .redundancyLambda(bestLambda)
                .positionWeight(bestWeight)
                .build();
        Summarizer learnedBudget = Summarizer.builder()
                .scorer(scorer)
                .redundancyLambda(bestLambda)
                .positionWeight(highlightWeight)
                .maxWords(bestBudget)
                .build();
        Summarizer attention = Summarizer.builder().attentionScorer().build();
        Summarizer attentionBudget =
                Summarizer.builder().attentionScorer().maxWords(bestBudget).build();
        Map<String, Object> devTables = new LinkedHashMap<>();
        devTables.put(
                "bbc_tuning_heldout",
                table(
                        "BBC tuning half, held-out fifth (" + heldOut.size() + ")",
                        heldOut,
                        learned,
                        attention,
                        0,
                        null,
                        null));
        devTables.put(
                "bbc_tuning_all",
                table(
                        "BBC tuning half, all (" + tuningPrepared.size() + "; the learned scorer trained on 4/5 of it)",
                        tuningPrepared,
                        learned,
                        attention,
                        0,
                        null,
                        null));
        devTables.put(
                "cnn_dev",
                table(
                        "CNN dev (" + cnnDevPrepared.size() + ")",
                        cnnDevPrepared,
                        learned,
                        attention,
                        bestBudget,
                        learnedBudget,
                        attentionBudget));

        Path scorerFile =
                SourceTree.output(weights, weights.headResource(SentenceScorer.BUNDLED_RESOURCE), o.get("out"));
        String fileName = scorerFile.getFileName().toString();
        Path out = scorerFile.getParent();
        if (Boolean.parseBoolean(o.get("write"))) {
            Files.createDirectories(out);
            byte[] bytes = scorer.toHeadFile().toBytes();
            Files.write(out.resolve(fileName), bytes);
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("format", SentenceScorer.FORMAT);
            card.put("scorer_sha256", Sha256.hex(bytes));
            card.put("scorer", SentenceScorer.fromBytes(bytes, fileName).toString());
            card.put("features", scorer.toHeadFile().labels());
            card.put("encoder", encoderId);
            card.put("encoder_weights", weights.toString());
            card.put("encoder_sha256", encoderSha);
            card.put("window", Integer.parseInt(o.get("window")));
            card.put("train_file", "bbc-news-summary/" + bbcFile.getFileName());
            card.put("train_file_sha256", Sha256.hex(bbcFile));
            card.put(
                    "train_split",
                    "tuning half (odd lines) less every fifth tuning article: " + train.size()
                            + " texts; held out for choosing: " + heldOut.size());
            card.put("dev_file", cnnDevFile.getFileName().toString() + " (cnn_dailymail)");
            card.put("dev_file_sha256", Sha256.hex(cnnDevFile));
            card.put(
                    "labels",
                    options.labels().equals("member")
                            ? "1 when the sentence occurs in the extractive reference (contiguous ROUGE tokens)"
                            : "greedy ROUGE-1+2 oracle, up to 3 sentences");
            card.put("options", options);
            card.put("positives", positives);
            card.put("training_sentences", sentences);
            card.put("epochs", history);
            card.put("choices", choices);
            card.put("dev", devTables);
            card.put("encode_seconds", Math.round(encodeSeconds));
            card.put("train_seconds", Math.round(trainSeconds));
            card.put("total_seconds", Math.round((System.nanoTime() - started) / 1e9));
            Files.writeString(
                    out.resolve(fileName.replace(".bin", ".json")),
                    new GsonBuilder()
                                    .setPrettyPrinting()
                                    .disableHtmlEscaping()
                                    .serializeSpecialFloatingPointValues()
                                    .create()
                                    .toJson(card)
                            + "\n",
                    StandardCharsets.UTF_8);
            log("wrote %s and its card into %s", fileName, out);
        }
        if (reportTest) {
            // Reported only: every choice above is already fixed.
            table(
                    "BBC evaluation half (" + bbcEvalPrepared.size() + ")",
                    bbcEvalPrepared,
                    learned,
                    attention,
                    0,
                    null,
                    null);
            table(
                    "CNN test (" + cnnTestPrepared.size() + ")",
                    cnnTestPrepared,
                    learned,
                    attention,
                    bestBudget,
                    learnedBudget,
                    attentionBudget);
        }
    }

    private static Map<String, Object> table(
            String title,
            List<SummaryEvaluation.Prepared> prepared,
            Summarizer learned,
            Summarizer attention,
            int budget,
            Summarizer learnedBudget,
            Summarizer attentionBudget) {
        List<SummaryComparison.Row> rows = new ArrayList<>();
        rows.add(SummaryComparison.heed("Heed learned (3 sentences)", learned, prepared));
        rows.add(SummaryComparison.heed("Heed attention (old, 3 sentences)", attention, prepared));
        if (budget > 0) {
            rows.add(SummaryComparison.heed(
                    "Heed learned, highlights preset (" + learnedBudget.positionWeight() + " position weight, " + budget
                            + " words)",
                    learnedBudget,
                    prepared));
            rows.add(SummaryComparison.heed("Heed attention within " + budget + " words", attentionBudget, prepared));
        }
        rows.addAll(SummaryComparison.baselines(prepared, budget));
        StringBuilder text = new StringBuilder(title)
                .append('\n')
                .append(SummaryComparison.header())
                .append('\n');
        Map<String, Object> json = new LinkedHashMap<>();
        for (SummaryComparison.Row row : rows) {
            text.append(row.markdown()).append('\n');
            json.put(row.system(), SummaryComparison.json(row));
        }
        System.out.println(text);
        return json;
    }

    private static Map<String, Object> grid(String knob, double value, double bbcR2, double cnnR2) {
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put(knob, value);
        cell.put("bbc_heldout_rouge2", bbcR2);
        cell.put("cnn_dev_rouge2", cnnR2);
        return cell;
    }

    // ---- labels and examples ----

    /** Feature rows and labels of one text, or null when it has fewer than two candidates or no positive label. */
    static Example example(SummaryEvaluation.Prepared p, boolean content, String labelRule) {
        String text = p.article().text();
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < p.sentences().size(); i++) {
            if (p.vectors().vectors()[i] != null) {
                candidates.add(i);
            }
        }
        if (candidates.size() < 2) {
            return null;
        }
        List<String> candidateTexts =
                candidates.stream().map(i -> p.sentences().get(i).of(text)).toList();
        boolean[] positive = labelRule.equals("oracle")
                ? oracleLabels(candidateTexts, p.article().reference(), SENTENCES)
                : memberLabels(candidateTexts, p.article().reference());
        double[] labels = new double[candidates.size()];
        boolean any = false;
        for (int c = 0; c < labels.length; c++) {
            labels[c] = positive[c] ? 1 : 0;
            any |= positive[c];
        }
        if (!any) {
            return null;
        }
        return new Example(SentenceFeatures.of(text, p.sentences(), p.vectors(), candidates, content), labels);
    }

    /**
     * Whether each sentence occurs in an extractive reference: its ROUGE tokens (at least three) form a contiguous run
     * of the reference's tokens, or (for shorter sentences) equal one whole reference sentence's tokens.
     */
    static boolean[] memberLabels(List<String> sentences, String reference) {
        String joined = " " + String.join(" ", Rouge.tokens(reference)) + " ";
        Set<String> referenceSentences = new HashSet<>();
        for (String sentence : SentenceSplitter.splitReference(reference)) {
            referenceSentences.add(String.join(" ", Rouge.tokens(sentence)));
        }
        boolean[] labels = new boolean[sentences.size()];
        for (int c = 0; c < labels.length; c++) {
            List<String> tokens = Rouge.tokens(sentences.get(c));
            String key = String.join(" ", tokens);
            labels[c] = !tokens.isEmpty()
                    && (tokens.size() >= 3 ? joined.contains(" " + key + " ") : referenceSentences.contains(key));
        }
        return labels;
    }

    /** Greedy ROUGE oracle: add the sentence that most raises ROUGE-1 + ROUGE-2 F1, up to {@code most}. */
    static boolean[] oracleLabels(List<String> sentences, String reference, int most) {
        boolean[] chosen = new boolean[sentences.size()];
        double best = 0;
        for (int round = 0; round < most; round++) {
            int pick = -1;
            for (int c = 0; c < sentences.size(); c++) {
                if (chosen[c]) {
                    continue;
                }
                StringBuilder summary = new StringBuilder();
                for (int k = 0; k < sentences.size(); k++) {
                    if (chosen[k] || k == c) {
                        summary.append(sentences.get(k)).append(' ');
                    }
                }
                Rouge.Scores s = Rouge.score(summary.toString(), reference);
                double value = s.rouge1() + s.rouge2();
                if (value > best + 1e-12) {
                    best = value;
                    pick = c;
                }
            }
            if (pick < 0) {
                break;
            }
            chosen[pick] = true;
        }
        return chosen;
    }

    // ---- training ----

    static SentenceScorer train(
            List<Example> examples,
            Options options,
            int patience,
            List<SummaryEvaluation.Prepared> heldOut,
            List<SummaryEvaluation.Prepared> cnnDev,
            List<Map<String, Object>> history) {
        int width = examples.get(0).features()[0].length;
        int hidden = options.hidden();
        float[] mean = new float[width];
        float[] std = new float[width];
        moments(examples, mean, std);
        Random random = new Random(options.seed());
        Params params = new Params(width, hidden, random);
        Params m1 = params.zeros();
        Params m2 = params.zeros();
        Params grad = params.zeros();
        // Inputs z-scored once.
        List<double[][]> inputs = new ArrayList<>();
        for (Example e : examples) {
            double[][] z = new double[e.features().length][width];
            for (int r = 0; r < z.length; r++) {
                for (int k = 0; k < width; k++) {
                    z[r][k] = (e.features()[r][k] - mean[k]) / std[k];
                }
            }
            inputs.add(z);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            order.add(i);
        }
        double bestScore = -1;
        SentenceScorer best = null;
        int bestEpoch = 0;
        int step = 0;
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            java.util.Collections.shuffle(order, random);
            double lossSum = 0;
            for (int from = 0; from < order.size(); from += options.batch()) {
                grad.clear();
                int to = Math.min(order.size(), from + options.batch());
                for (int k = from; k < to; k++) {
                    int i = order.get(k);
                    lossSum += params.accumulate(
                            inputs.get(i), examples.get(i).labels(), options.loss(), grad, 1.0 / (to - from));
                }
                step++;
                params.adamW(grad, m1, m2, step, options.lr(), options.weightDecay());
            }
            SentenceScorer scorer = params.scorer(options.content(), mean, std);
            Summarizer summarizer = Summarizer.builder()
                    .scorer(scorer)
                    .redundancyLambda(0.85)
                    .positionWeight(0)
                    .build();
            double bbc = SummaryComparison.heed("", summarizer, heldOut).rouge2();
            double cnn = SummaryComparison.heed("", summarizer, cnnDev).rouge2();
            double score = (bbc + cnn) / 2;
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("epoch", epoch);
            record.put("train_loss", lossSum / examples.size());
            record.put("bbc_heldout_rouge2", bbc);
            record.put("cnn_dev_rouge2", cnn);
            history.add(record);
            log(
                    "epoch %d: loss %.4f, BBC held-out R2 %.4f, CNN dev R2 %.4f",
                    epoch, lossSum / examples.size(), bbc, cnn);
            if (score > bestScore + 1e-9) {
                bestScore = score;
                best = scorer;
                bestEpoch = epoch;
            } else if (epoch - bestEpoch >= patience) {
                log("no gain for %d epochs: stopping", patience);
                break;
            }
        }
        log("chosen epoch %d (mean dev ROUGE-2 %.4f)", bestEpoch, bestScore);
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("chosen_epoch", bestEpoch);
        history.add(chosen);
        return best;
    }

    static void moments(List<Example> examples, float[] mean, float[] std) {
        int width = mean.length;
        double[] sum = new double[width];
        double[] squares = new double[width];
        long count = 0;
        for (Example e : examples) {
            for (double[] row : e.features()) {
                for (int k = 0; k < width; k++) {
                    sum[k] += row[k];
                    squares[k] += row[k] * row[k];
                }
                count++;
            }
        }
        for (int k = 0; k < width; k++) {
            double mu = sum[k] / count;
            double variance = Math.max(0, squares[k] / count - mu * mu);
            mean[k] = (float) mu;
            std[k] = (float) Math.max(Math.sqrt(variance), 1e-3);
        }
    }

    /** Weights of the scorer in training (double precision), with AdamW. */
    static final class Params {
        final int width;
        final int hidden;
        final double[] w1;
        final double[] b1;
        final double[] w2;
        final double[] b2 = new double[1];

        Params(int width, int hidden, Random random) {
            this.width = width;
            this.hidden = hidden;
            this.w1 = new double[hidden == 0 ? width : hidden * width];
            this.b1 = new double[hidden];
            this.w2 = new double[hidden];
            if (random != null) {
                double scale1 = Math.sqrt(2.0 / width);
                for (int i = 0; i < w1.length; i++) {
                    w1[i] = hidden == 0 ? 0 : random.nextGaussian() * scale1;
                }
                double scale2 = Math.sqrt(1.0 / Math.max(1, hidden));
                for (int i = 0; i < w2.length; i++) {
                    w2[i] = random.nextGaussian() * scale2;
                }
            }
        }

        Params zeros() {
            return new Params(width, hidden, null);
        }

        void clear() {
            java.util.Arrays.fill(w1, 0);
            java.util.Arrays.fill(b1, 0);
            java.util.Arrays.fill(w2, 0);
            b2[0] = 0;
        }

        /** Adds {@code weight ×} the gradient of one text's loss to {@code grad}; returns the loss. */
        double accumulate(double[][] z, double[] labels, String loss, Params grad, double weight) {
            int m = z.length;
            double[][] a = new double[m][hidden];
            double[] s = new double[m];
            for (int r = 0; r < m; r++) {
                double score = b2[0];
                if (hidden == 0) {
                    for (int k = 0; k < width; k++) {
                        score += w1[k] * z[r][k];
                    }
                } else {
                    for (int h = 0; h < hidden; h++) {
                        double v = b1[h];
                        int offset = h * width;
                        for (int k = 0; k < width; k++) {
                            v += w1[offset + k] * z[r][k];
                        }
                        a[r][h] = v;
                        if (v > 0) {
                            score += w2[h] * v;
                        }
                    }
                }
                s[r] = score;
            }
            double[] ds = new double[m];
            double value = 0;
            if (loss.equals("listwise")) {
                double max = Double.NEGATIVE_INFINITY;
                double positives = 0;
                for (int r = 0; r < m; r++) {
                    max = Math.max(max, s[r]);
                    positives += labels[r];
                }
                double sum = 0;
                for (int r = 0; r < m; r++) {
                    sum += Math.exp(s[r] - max);
                }
                double logSum = max + Math.log(sum);
                for (int r = 0; r < m; r++) {
                    double target = labels[r] / positives;
                    double p = Math.exp(s[r] - logSum);
                    ds[r] = p - target;
                    value -= target * (s[r] - logSum);
                }
            } else {
                for (int r = 0; r < m; r++) {
                    double p = 1 / (1 + Math.exp(-s[r]));
                    ds[r] = (p - labels[r]) / m;
                    value -= (labels[r] * Math.log(Math.max(p, 1e-12))
                                    + (1 - labels[r]) * Math.log(Math.max(1 - p, 1e-12)))
                            / m;
                }
            }
            for (int r = 0; r < m; r++) {
                double d = ds[r] * weight;
                grad.b2[0] += d;
                if (hidden == 0) {
                    for (int k = 0; k < width; k++) {
                        grad.w1[k] += d * z[r][k];
                    }
                    continue;
                }
                for (int h = 0; h < hidden; h++) {
                    if (a[r][h] <= 0) {
                        continue;
                    }
                    grad.w2[h] += d * a[r][h];
                    double da = d * w2[h];
                    grad.b1[h] += da;
                    int offset = h * width;
                    for (int k = 0; k < width; k++) {
                        grad.w1[offset + k] += da * z[r][k];
                    }
                }
            }
            return value;
        }

        void adamW(Params g, Params m1, Params m2, int step, double lr, double weightDecay) {
            update(w1, g.w1, m1.w1, m2.w1, step, lr, weightDecay);
            update(b1, g.b1, m1.b1, m2.b1, step, lr, 0);
            update(w2, g.w2, m1.w2, m2.w2, step, lr, weightDecay);
            update(b2, g.b2, m1.b2, m2.b2, step, lr, 0);
        }

        private static void update(
                double[] w, double[] g, double[] m, double[] v, int step, double lr, double weightDecay) {
            double beta1 = 0.9;
            double beta2 = 0.999;
            double c1 = 1 - Math.pow(beta1, step);
            double c2 = 1 - Math.pow(beta2, step);
            for (int i = 0; i < w.length; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                w[i] -= lr * (m[i] / c1 / (Math.sqrt(v[i] / c2) + 1e-8) + weightDecay * w[i]);
            }
        }

        SentenceScorer scorer(boolean content, float[] mean, float[] std) {
            return new SentenceScorer(
                    content, width, hidden, mean, std, floats(w1), floats(b1), floats(w2), (float) b2[0], null);
        }

        private static float[] floats(double[] values) {
            float[] out = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = (float) values[i];
            }
            return out;
        }
    }

    // ---- encoding cache ----

    private static List<SummaryEvaluation.Article> limit(List<SummaryEvaluation.Article> articles, int limit) {
        return limit > 0 ? articles.subList(0, Math.min(limit, articles.size())) : articles;
    }

    /** The prepared articles, from the cache when it holds this set for this data file and encoder. */
    static List<SummaryEvaluation.Prepared> cached(
            TransformerEncoder encoder, Path dir, Path dataFile, String name, List<SummaryEvaluation.Article> articles)
            throws IOException {
        String key = Sha256.hex((Sha256.hex(dataFile) + "|" + encoder.weightsSha256() + "|" + encoder.windowing() + "|"
                                + articles.size())
                        .getBytes(StandardCharsets.UTF_8))
                .substring(0, 16);
        Path file = dir.resolve(name + "-" + key + ".bin");
        if (Files.isRegularFile(file)) {
            log("%s: reading cached encodings %s", name, file);
            return read(file, articles);
        }
        long start = System.nanoTime();
        List<SummaryEvaluation.Prepared> prepared =
                SummaryEvaluation.prepare(encoder, articles, message -> log("%s: %s", name, message));
        log("%s: encoded %d texts in %.0f s", name, articles.size(), (System.nanoTime() - start) / 1e9);
        Files.createDirectories(dir);
        Path temporary = dir.resolve(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
            out.writeInt(prepared.size());
            for (SummaryEvaluation.Prepared p : prepared) {
                SentenceVectors v = p.vectors();
                out.writeInt(v.size());
                for (int s = 0; s < v.size(); s++) {
                    out.writeInt(v.tokenCounts()[s]);
                    float[] vector = v.vectors()[s];
                    out.writeInt(vector == null ? 0 : vector.length);
                    if (vector != null) {
                        for (float x : vector) {
                            out.writeFloat(x);
                        }
                    }
                }
            }
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return prepared;
    }

    private static List<SummaryEvaluation.Prepared> read(Path file, List<SummaryEvaluation.Article> articles) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int count = in.readInt();
            if (count != articles.size()) {
                throw new IOException("cache " + file + " holds " + count + " texts, expected " + articles.size());
            }
            List<SummaryEvaluation.Prepared> prepared = new ArrayList<>(count);
            for (SummaryEvaluation.Article article : articles) {
                List<SentenceSplitter.Span> spans = SentenceSplitter.split(article.text());
                int n = in.readInt();
                if (n != spans.size()) {
                    throw new IOException("cache " + file + " does not match the sentences of the data");
                }
                float[][] vectors = new float[n][];
                int[] counts = new int[n];
                for (int s = 0; s < n; s++) {
                    counts[s] = in.readInt();
                    int width = in.readInt();
                    if (width > 0) {
                        vectors[s] = new float[width];
                        for (int k = 0; k < width; k++) {
                            vectors[s][k] = in.readFloat();
                        }
                    }
                }
                prepared.add(new SummaryEvaluation.Prepared(article, spans, new SentenceVectors(vectors, counts)));
            }
            return prepared;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the encoding cache " + file + " (delete it to re-encode)", e);
        }
    }

    private static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }
}
