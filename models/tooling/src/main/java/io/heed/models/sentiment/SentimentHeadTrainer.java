/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.google.gson.GsonBuilder;
import io.heed.models.HeadFile;
import io.heed.models.InferenceDevice;
import io.heed.models.Sha256;
import io.heed.models.SourceTree;
import io.heed.models.ToolArguments;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.encoder.Windowing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the three-class sentiment head (negative, positive, neutral) on the frozen bundled encoder with DJL's training
 * API (PyTorch engine), on a mix of every {@link SentimentCorpus}: binary sets (SST-2, Amazon, Yelp) and three-class
 * ones (SemEval-2017 tweets, Financial PhraseBank).
 *
 * <p><b>Loss.</b> A binary example says which of negative and positive the text is, and nothing about whether a
 * reader would call it neutral (Yelp sentences carry their whole review's label, neutral or not). So its loss is the
 * cross-entropy of the label <em>given that the text is not neutral</em>: {@code -log(p_y / (p_neg + p_pos))}, done
 * by masking the neutral logit before the softmax. It neither pushes neutral down on binary texts nor teaches that
 * every review is polar. Three-class examples use the full cross-entropy.
 *
 * <p><b>Choice and calibration.</b> The epoch is chosen by the mean over corpora of each one's headline dev figure
 * (accuracy, or macro-recall on three classes) on dev splits carved from the train files ({@link SentimentCorpus}).
 * One temperature T is then fitted on the same dev splits (grid, each corpus weighted equally, binary examples scored
 * by the conditional likelihood above) and folded into the classifier (w2 / T, b2 / T), so the shipped probabilities
 * are calibrated and the head file's format is unchanged.
 *
 * <p>The encoder weights are an explicit option, {@code --weights tuned|frozen|bge-small}, and pick the
 * output file
 * ({@link EncoderWeights#headResource}): a head trained on one encoder's states can never silently replace the head of
 * the other. Run with {@code mvn -B -pl models/tooling -am test-compile exec:exec@train-sentiment -Dtrain.args="--weights tuned"}.
 */
public final class SentimentHeadTrainer {
    static final List<String> LABELS = LabeledTexts.LABELS;
    private static final float MASKED_LOGIT = -1e4f;

    private final Map<String, String> options;
    private final EncoderWeights weights;

    SentimentHeadTrainer(Map<String, String> options) {
        this.options = options;
        if (options.get("weights").isBlank()) {
            throw new IllegalArgumentException(
                    "--weights is required (" + EncoderWeights.optionNames() + "): it names the encoder whose "
                            + "states the head is trained on, and so which bundled head file is written");
        }
        this.weights = EncoderWeights.parse(options.get("weights"));
    }

    static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("data-dir", System.getProperty("heed.data.dir", "../shared/data"));
        defaults.put("weights", "");
        defaults.put("out", ""); // empty: where the head ships for --weights (SourceTree)
        defaults.put("encoder", "int8");
        defaults.put("corpora", "sst2,amazon,yelp,semeval,finance");
        // Per-corpus caps on train rows (seeded sample) and repeats, so a large set does not drown a small one.
        defaults.put("caps", "sst2=25000,yelp=15000");
        defaults.put("repeats", "finance=3");
        defaults.put("window", "256");
        defaults.put("max-tokens", "512");
        // Start from: none (random weights), bundled (the head shipped for --weights) or a head file. With
        // --epochs 0 the start head is only calibrated (e.g. the head trained jointly by the encoder fine-tuning).
        defaults.put("init", "none");
        defaults.put("epochs", "4");
        defaults.put("batch-size", "64");
        defaults.put("learning-rate", "0.001");
        defaults.put("weight-decay", "0.0001");
        defaults.put("projection", "256");
        defaults.put("seed", "42");
        return defaults;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = ToolArguments.parse(args, defaults());
        new SentimentHeadTrainer(options).run(String.join(" ", args));
    }

    /** The head file this run writes: the bundled name for its encoder weights. */
    Path headFile() {
        return SourceTree.output(weights, weights.headResource(SentimentHead.BUNDLED_FILE), options.get("out"));
    }

    /** The card beside the head file. */
    Path cardFile() {
        return Paths.get(headFile().toString().replaceFirst("\\.bin$", ".json"));
    }

    private int intOption(String key) {
        return Integer.parseInt(options.get(key));
    }

    private float floatOption(String key) {
        return Float.parseFloat(options.get(key));
    }

    private void run(String commandArgs) throws IOException {
        Instant started = Instant.now();
        Path dataDir = Paths.get(options.get("data-dir"));
        List<SentimentCorpus> corpora = new ArrayList<>();
        for (String name : options.get("corpora").split(",")) {
            corpora.add(SentimentCorpus.parse(name));
        }
        Map<SentimentCorpus, Integer> caps = SentimentCorpus.perCorpus(options.get("caps"));
        Map<SentimentCorpus, Integer> repeats = SentimentCorpus.perCorpus(options.get("repeats"));
        Random random = new Random(intOption("seed"));
        SentimentCorpus.TrainingMix train =
                SentimentCorpus.TrainingMix.of(dataDir, corpora, caps, repeats, intOption("seed"));
        Map<SentimentCorpus, List<LabeledTexts.Example>> dev = new LinkedHashMap<>();
        Map<String, Object> data = new LinkedHashMap<>();
        for (SentimentCorpus corpus : corpora) {
            dev.put(corpus, corpus.dev(dataDir));
            data.put(
                    corpus.toString(),
                    Map.of(
                            "train_file",
                            corpus.folder() + "/train.tsv",
                            "train_sha256",
                            Sha256.hex(corpus.trainFile(dataDir)),
                            "train_rows",
                            train.perCorpus().get(corpus),
                            "repeats",
                            repeats.getOrDefault(corpus, 1),
                            "dev_rows_carved",
                            dev.get(corpus).size(),
                            "three_class",
                            train.isThreeClass(corpus)));
        }
        EncoderVariant variant = EncoderVariant.parse(options.get("encoder"));
        Windowing windowing =
                new Windowing(intOption("window"), (intOption("window") - 2) / 4, intOption("max-tokens"));
        log(
                "Encoding %d train texts and %d dev texts with %s (%s weights)",
                intOption("epochs") > 0 ? train.rows().size() : 0,
                dev.values().stream().mapToInt(List::size).sum(),
                weights.modelId(variant),
                weights);
        List<TokenStates> trainStates;
        Map<SentimentCorpus, List<TokenStates>> devStates = new LinkedHashMap<>();
        String encoderSha;
        String encoderId;
        try (TransformerEncoder encoder =
                TransformerEncoder.load(variant, weights, windowing, 0, InferenceDevice.cpu())) {
            trainStates = intOption("epochs") > 0 ? encodeOnce(encoder, train.rows()) : List.of();
            for (Map.Entry<SentimentCorpus, List<LabeledTexts.Example>> entry : dev.entrySet()) {
                devStates.put(entry.getKey(), encoder.encodeSortedByLength(texts(entry.getValue()), 32, this::log));
            }
            encoderSha = encoder.weightsSha256();
            encoderId = encoder.modelId();
        }
        log("Encoded in %ds", Duration.between(started, Instant.now()).toSeconds());
        HeadFile init = initHead();
        List<Map<String, Object>> epochs = new ArrayList<>();
        HeadFile bestHead = init;
        double bestScore = init == null
                ? -1
                : (double) devScores(SentimentHead.of(init), devStates, dev).get("mean_headline");
        int bestEpoch = 0;
        Engine engine = Engine.getEngine("PyTorch");
        if (intOption("epochs") > 0) {
            int hidden = trainStates.get(0).hiddenSize();
            float[][] stats = FeatureEncoding.meanAndStd(trainStates);

            engine.setRandomSeed(intOption("seed"));
            SentimentHeadBlock block = new SentimentHeadBlock(hidden, intOption("projection"), LABELS.size());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adamW()
                            .optLearningRateTracker(Tracker.fixed(floatOption("learning-rate")))
                            .optWeightDecays(floatOption("weight-decay"))
                            .build());
            try (Model model = Model.newInstance("heed-sentiment-head", engine.getEngineName())) {
                model.setBlock(block);
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(1, 8, hidden), new Shape(1, 8));
                    if (init == null) {
                        block.setNormalization(stats[0], stats[1]);
                    } else {
                        block.load(init); // its own z-score statistics included: the weights were trained with them
                    }
                    List<int[]> batches = FeatureEncoding.lengthBuckets(trainStates, intOption("batch-size"));
                    int totalSteps = batches.size() * intOption("epochs");
                    int step = 0;
                    Instant trainStart = Instant.now();
                    for (int epoch = 1; epoch <= intOption("epochs"); epoch++) {
                        Collections.shuffle(batches, random);
                        double lossSum = 0;
                        int epochSteps = 0;
                        for (int[] batch : batches) {
                            lossSum += trainStep(trainer, trainStates, train.rows(), train.threeClass(), batch);
                            step++;
                            epochSteps++;
                            if (step % 500 == 0) {
                                Duration elapsed = Duration.between(trainStart, Instant.now());
                                log(
                                        "epoch %d step %d/%d loss %.4f eta %ds",
                                        epoch,
                                        step,
                                        totalSteps,
                                        lossSum / epochSteps,
                                        elapsed.toSeconds() * (totalSteps - step) / step);
                            }
                        }
                        HeadFile headFile = block.toHeadFile(LABELS);
                        Map<String, Object> scores = devScores(SentimentHead.of(headFile), devStates, dev);
                        double score = (double) scores.get("mean_headline");
                        log("epoch %d: train loss %.4f, dev %s", epoch, lossSum / batches.size(), scores);
                        Map<String, Object> record = new LinkedHashMap<>();
                        record.put("epoch", epoch);
                        record.put("train_loss", lossSum / batches.size());
                        record.put("dev", scores);
                        epochs.add(record);
                        if (score > bestScore) {
                            bestScore = score;
                            bestHead = headFile;
                            bestEpoch = epoch;
                        }
                    }
                }
            }
        }
        if (bestHead == null) {
            throw new IllegalArgumentException("--epochs 0 needs --init: there is no head to calibrate");
        }
        double temperature = fitTemperature(SentimentHead.of(bestHead), devStates, dev);
        HeadFile calibrated = withTemperature(bestHead, temperature);
        Map<String, Object> calibratedScores = devScores(SentimentHead.of(calibrated), devStates, dev);
        log(
                "chose epoch %d (dev mean %.4f); temperature %.2f; calibrated dev %s",
                bestEpoch, bestScore, temperature, calibratedScores);

        byte[] headBytes = calibrated.toBytes();
        Files.createDirectories(headFile().getParent());
        Files.write(headFile(), headBytes);
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("format", SentimentHead.FORMAT);
        card.put("head_sha256", Sha256.hex(headBytes));
        card.put("labels", LABELS);
        card.put("encoder", encoderId);
        card.put("encoder_weights", weights.toString());
        card.put("encoder_sha256", encoderSha);
        card.put("loss", "cross-entropy; binary examples: conditional on not neutral (neutral logit masked)");
        card.put("chosen_epoch", bestEpoch);
        card.put(
                "chosen_by",
                "mean over corpora of dev headline (accuracy; macro-recall on three classes), "
                        + "dev splits carved from the train files with seed " + SentimentCorpus.CARVE_SEED);
        card.put("temperature", temperature);
        card.put("dev_calibrated", calibratedScores);
        card.put("epochs", epochs);
        card.put("data", data);
        card.put(
                "options",
                options.entrySet().stream()
                        .filter(e -> !e.getKey().equals("data-dir"))
                        .collect(java.util.stream.Collectors.toMap(
                                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
        card.put(
                "command",
                "mvn -B -pl models/tooling -am test-compile exec:exec@train-sentiment -Dtrain.args=\"" + commandArgs
                        + "\"");
        card.put("engine", engine.getEngineName() + " " + engine.getVersion());
        card.put("training_seconds", Duration.between(started, Instant.now()).toSeconds());
        Files.writeString(
                cardFile(),
                new GsonBuilder()
                                .setPrettyPrinting()
                                .disableHtmlEscaping()
                                .create()
                                .toJson(card) + "\n",
                StandardCharsets.UTF_8);
        log(
                "Wrote %s and %s in %ds",
                headFile(), cardFile(), Duration.between(started, Instant.now()).toSeconds());
    }

    /** The head training starts from ({@code --init}), or null for random weights. */
    private HeadFile initHead() {
        String init = options.get("init");
        if (init.equals("none")) {
            return null;
        }
        return init.equals("bundled")
                ? HeadFile.loadResource(
                        SentimentHeadTrainer.class,
                        weights.headResource(SentimentHead.BUNDLED_FILE),
                        "sentiment head",
                        (file, sha) -> file)
                : HeadFile.load(Paths.get(init), "sentiment head", (file, sha) -> file);
    }

    /** Encodes each distinct text once (repeated corpora share their states). */
    private List<TokenStates> encodeOnce(TransformerEncoder encoder, List<LabeledTexts.Example> examples) {
        Map<String, Integer> firstIndex = new LinkedHashMap<>();
        for (LabeledTexts.Example example : examples) {
            firstIndex.putIfAbsent(example.text(), firstIndex.size());
        }
        List<TokenStates> distinct = encoder.encodeSortedByLength(new ArrayList<>(firstIndex.keySet()), 32, this::log);
        List<TokenStates> states = new ArrayList<>(examples.size());
        for (LabeledTexts.Example example : examples) {
            states.add(distinct.get(firstIndex.get(example.text())));
        }
        return states;
    }

    private static double trainStep(
            Trainer trainer,
            List<TokenStates> states,
            List<LabeledTexts.Example> examples,
            boolean[] threeClass,
            int[] batch) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDList inputs = FeatureEncoding.toBatch(manager, states, batch);
            float[] labels = new float[batch.length];
            boolean[] batchThreeClass = new boolean[batch.length];
            for (int i = 0; i < batch.length; i++) {
                labels[i] = examples.get(batch[i]).label();
                batchThreeClass[i] = threeClass[batch[i]];
            }
            NDArray labelArray = manager.create(labels);
            NDArray maskArray = neutralMask(manager, batchThreeClass);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList outputs = trainer.forward(inputs);
                NDArray logits = outputs.get(0).add(maskArray);
                NDArray loss = trainer.getLoss().evaluate(new NDList(labelArray), new NDList(logits));
                collector.backward(loss);
                trainer.step();
                return loss.getFloat();
            }
        }
    }

    /**
     * What to add to a batch's logits so that a binary example ({@code threeClass[i]} false) is scored given that it
     * is not neutral: a large negative number on its neutral logit, 0 elsewhere. {@code [batch, labels]}.
     */
    static NDArray neutralMask(NDManager manager, boolean[] threeClass) {
        float[] mask = new float[threeClass.length * LABELS.size()];
        for (int i = 0; i < threeClass.length; i++) {
            if (!threeClass[i]) {
                mask[i * LABELS.size() + LabeledTexts.NEUTRAL] = MASKED_LOGIT;
            }
        }
        return manager.create(mask, new Shape(threeClass.length, LABELS.size()));
    }

    /** Per-corpus dev figures and their mean. */
    private static Map<String, Object> devScores(
            SentimentHead head,
            Map<SentimentCorpus, List<TokenStates>> states,
            Map<SentimentCorpus, List<LabeledTexts.Example>> examples) {
        Map<String, Object> scores = new LinkedHashMap<>();
        double sum = 0;
        for (SentimentCorpus corpus : states.keySet()) {
            SentimentScores s = SentimentEvaluation.score(head, states.get(corpus), examples.get(corpus));
            sum += s.headline();
            scores.put(
                    corpus.toString(),
                    Map.of(
                            "headline",
                            round(s.headline()),
                            "accuracy",
                            round(s.accuracy()),
                            "neutral_share",
                            round(s.neutralShare()),
                            "ece",
                            round(s.ece())));
        }
        scores.put("mean_headline", sum / states.size());
        return scores;
    }

    private static double round(double value) {
        return Math.round(value * 10000) / 10000.0;
    }

    /**
     * The temperature minimising the mean negative log-likelihood on the dev splits, each corpus weighted equally;
     * binary examples are scored conditionally on not being neutral, as in training.
     */
    static double fitTemperature(
            SentimentHead head,
            Map<SentimentCorpus, List<TokenStates>> states,
            Map<SentimentCorpus, List<LabeledTexts.Example>> examples) {
        Map<SentimentCorpus, List<float[]>> logProbabilities = new LinkedHashMap<>();
        for (SentimentCorpus corpus : states.keySet()) {
            List<float[]> rows = new ArrayList<>();
            for (TokenStates text : states.get(corpus)) {
                float[] p = head.probabilities(text);
                float[] log = new float[p.length];
                for (int l = 0; l < p.length; l++) {
                    log[l] = (float) Math.log(Math.max(p[l], 1e-30f));
                }
                rows.add(log);
            }
            logProbabilities.put(corpus, rows);
        }
        double bestT = 1;
        double bestNll = Double.POSITIVE_INFINITY;
        for (double t = 0.3; t <= 4.0001; t += 0.02) {
            double nll = 0;
            for (SentimentCorpus corpus : logProbabilities.keySet()) {
                List<LabeledTexts.Example> gold = examples.get(corpus);
                boolean threeClass = LabeledTexts.hasNeutral(gold);
                double corpusNll = 0;
                for (int i = 0; i < gold.size(); i++) {
                    corpusNll += negativeLogLikelihood(
                            logProbabilities.get(corpus).get(i), gold.get(i).label(), t, threeClass);
                }
                nll += corpusNll / gold.size();
            }
            if (nll < bestNll) {
                bestNll = nll;
                bestT = t;
            }
        }
        return Math.round(bestT * 100) / 100.0;
    }

    static double negativeLogLikelihood(float[] logP, int label, double temperature, boolean threeClass) {
        int classes = threeClass ? logP.length : LabeledTexts.NEUTRAL;
        double max = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < classes; l++) {
            max = Math.max(max, logP[l] / temperature);
        }
        double sum = 0;
        for (int l = 0; l < classes; l++) {
            sum += Math.exp(logP[l] / temperature - max);
        }
        return -(logP[label] / temperature - max - Math.log(sum));
    }

    /**
     * The head calibrated as this trainer ships it: the temperature fitted on dev states ({@link #fitTemperature})
     * folded into the classifier. For tools that compare heads of several encoders on the same footing.
     */
    public static SentimentHead calibrated(
            HeadFile head,
            Map<SentimentCorpus, List<TokenStates>> devStates,
            Map<SentimentCorpus, List<LabeledTexts.Example>> dev) {
        return SentimentHead.of(withTemperature(head, fitTemperature(SentimentHead.of(head), devStates, dev)));
    }

    /** The head with its classifier divided by {@code temperature}: softmax(logits / T). */
    static HeadFile withTemperature(HeadFile head, double temperature) {
        Map<String, HeadFile.Tensor> tensors = new LinkedHashMap<>(head.tensors());
        for (String name : List.of("w2", "b2")) {
            HeadFile.Tensor tensor = tensors.get(name);
            float[] values = tensor.values().clone();
            for (int i = 0; i < values.length; i++) {
                values[i] /= (float) temperature;
            }
            tensors.put(name, new HeadFile.Tensor(tensor.shape(), values));
        }
        return new HeadFile(head.format(), head.labels(), tensors);
    }

    private static List<String> texts(List<LabeledTexts.Example> examples) {
        List<String> texts = new ArrayList<>(examples.size());
        examples.forEach(e -> texts.add(e.text()));
        return texts;
    }

    private void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[train-sentiment] " + format + "%n", args);
    }

    private void log(String message) {
        log("%s", message);
    }
}
