/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

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
import io.heed.models.FeatureMoments;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Trains the entity head on the frozen bundled encoder with DJL's training API (PyTorch engine): encodes the train and
 * dev files of the chosen {@link EntityCorpus corpora} once, caches each word's state and features, trains the window
 * MLP jointly with a linear-chain CRF (sentence log-likelihood under the IOB2 constraints; batches of whole sentences
 * of similar length), selects the epoch by the mean dev F1 over the corpora (constrained decoding, exact spans), and
 * writes the head plus a JSON card with every corpus's test scores (reported, never chosen on).
 *
 * <p>Training mixes newswire (CoNLL-2003) with social media (WNUT-17) and Wikipedia (CrossNER, five domains); the
 * small sets are repeated ({@code --train conll,wnut=2,...}) so they weigh in. {@code --init bundled} starts from the
 * head already shipped for the same weights (its z-score statistics kept) instead of from random weights.
 *
 * <p>The encoder weights are an explicit option, {@code --weights tuned|frozen|bge-small}, and pick the
 * output file
 * ({@link io.heed.models.encoder.EncoderWeights#headResource}), so a head trained on one encoder's states never
 * replaces the other's. The PyTorch engine is only on the models module's test classpath; run with
 * {@code mvn -B -pl models/tooling -am test-compile exec:exec@train-entities -Dtrain.args="--weights tuned ..."}.
 */
public final class EntityHeadTrainer {
    private static final List<String> LABELS = BioTags.CONLL_LABELS;
    private static final int ENCODER_WINDOW = 256;

    private final Map<String, String> options;
    private final EncoderWeights weights;

    EntityHeadTrainer(Map<String, String> options) {
        this.options = options;
        if (options.get("weights").isBlank()) {
            throw new IllegalArgumentException(
                    "--weights is required (" + EncoderWeights.optionNames() + "): it names the encoder whose "
                            + "states the head is trained on, and so which bundled head file is written");
        }
        this.weights = EncoderWeights.parse(options.get("weights"));
    }

    static Map<String, String> defaults() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("data-dir", System.getProperty("heed.data.dir", "../shared/data"));
        options.put("weights", "");
        options.put("out", ""); // empty: where the head ships for --weights (SourceTree)
        options.put("encoder", "int8");
        // Train files as corpus[=repeats]; dev files (what the epoch is chosen on) as corpus names.
        options.put(
                "train",
                "conll,wnut=2,crossner-politics=3,crossner-science=3,crossner-music=3,"
                        + "crossner-literature=3,crossner-ai=3");
        options.put(
                "dev",
                "conll,wnut,crossner-politics,crossner-science,crossner-music,crossner-literature," + "crossner-ai");
        options.put("init", "none"); // or bundled: start from the head shipped for these weights
        options.put("epochs", "8");
        options.put("batch-size", "16"); // sentences per step (the CRF scores whole sentences)
        options.put("learning-rate", "0.001");
        options.put("lr-decay", "cosine"); // or none; cosine decays to 1% of the learning rate by the last step
        options.put("weight-decay", "0.0001");
        options.put("projection", "256");
        options.put("embedding-dim", "16");
        options.put("buckets", "32768");
        options.put("dropout", "0.3");
        options.put("seed", "42");
        return options;
    }

    public static void main(String[] args) throws Exception {
        new EntityHeadTrainer(ToolArguments.parse(args, defaults())).run(String.join(" ", args));
    }

    /** The head file this run writes: the bundled name for its encoder weights. */
    Path headFile() {
        return SourceTree.output(weights, weights.headResource(EntityHead.BUNDLED_FILE), options.get("out"));
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

    /** Sentences with their words (joined by spaces), cached head inputs and gold tag indices. */
    private record Split(
            List<ConllReader.Sentence> sentences, List<Words> words, List<WordInputs> inputs, List<int[]> tags) {}

    private void run(String commandArgs) throws IOException {
        Instant started = Instant.now();
        Path dataDir = Paths.get(options.get("data-dir"));
        Map<EntityCorpus, Integer> trainRepeats = EntityCorpus.repeats(options.get("train"));
        List<EntityCorpus> devCorpora =
                new ArrayList<>(EntityCorpus.repeats(options.get("dev")).keySet());
        EncoderVariant variant = EncoderVariant.parse(options.get("encoder"));
        int buckets = intOption("buckets");
        Map<String, Object> data = new LinkedHashMap<>();
        try (TransformerEncoder encoder =
                TransformerEncoder.load(variant, weights, Windowing.of(ENCODER_WINDOW), 0, InferenceDevice.cpu())) {
            List<ConllReader.Sentence> trainSentences = new ArrayList<>();
            for (Map.Entry<EntityCorpus, Integer> entry : trainRepeats.entrySet()) {
                Path file = entry.getKey().trainFile(dataDir);
                List<ConllReader.Sentence> sentences = ConllReader.read(file);
                for (int r = 0; r < entry.getValue(); r++) {
                    trainSentences.addAll(sentences);
                }
                data.put(
                        entry.getKey().toString(),
                        Map.of(
                                "train_file",
                                entry.getKey().folder() + "/train.txt",
                                "train_sha256",
                                Sha256.hex(file),
                                "train_sentences",
                                sentences.size(),
                                "repeats",
                                entry.getValue()));
            }
            log(
                    "Encoding %d train sentences (repeats included) with %s (%s weights)",
                    trainSentences.size(), weights.modelId(variant), weights);
            Split train = encode(encoder, trainSentences, buckets);
            Map<EntityCorpus, Split> dev = new LinkedHashMap<>();
            for (EntityCorpus corpus : devCorpora) {
                dev.put(corpus, encode(encoder, ConllReader.read(corpus.devFile(dataDir)), buckets));
            }
            log("Encoded in %ds", Duration.between(started, Instant.now()).toSeconds());
            Map<String, Object> card = new LinkedHashMap<>();
            byte[] bestHead = train(train, dev, card);
            EntityHead head = EntityHead.fromBytes(bestHead, "trained head");
            Map<String, Object> tests = new LinkedHashMap<>();
            for (EntityCorpus corpus : devCorpora) {
                EntityEvaluation.Result test =
                        EntityEvaluation.evaluate(encoder, head, ConllReader.read(corpus.testFile(dataDir)));
                log(
                        "Test %s (%d sentences): F1 %.4f%n%s",
                        corpus, test.sentences(), test.micro().f1(), test.toMarkdown());
                tests.put(
                        corpus.toString(),
                        Map.of(
                                "f1",
                                test.micro().f1(),
                                "per_type",
                                perTypeTable(test),
                                "test_sha256",
                                Sha256.hex(corpus.testFile(dataDir))));
            }

            Files.createDirectories(headFile().getParent());
            Files.write(headFile(), bestHead);
            Map<String, Object> full = new LinkedHashMap<>();
            full.put("format", EntityHead.FORMAT);
            full.put("head_sha256", Sha256.hex(bestHead));
            full.put("labels", LABELS);
            full.put("encoder", encoder.modelId());
            full.put("encoder_weights", weights.toString());
            full.put("encoder_sha256", encoder.weightsSha256());
            full.put("encoder_window", ENCODER_WINDOW);
            full.putAll(card);
            full.put("test_reported_not_chosen_on", tests);
            full.put("data", data);
            full.put(
                    "options",
                    options.entrySet().stream()
                            .filter(e -> !e.getKey().equals("data-dir"))
                            .collect(Collectors.toMap(
                                    Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
            full.put(
                    "command",
                    "mvn -B -pl models/tooling -am test-compile exec:exec@train-entities -Dtrain.args=\"" + commandArgs
                            + "\"");
            Engine engine = Engine.getEngine("PyTorch");
            full.put("engine", engine.getEngineName() + " " + engine.getVersion());
            full.put("date", LocalDate.now(ZoneOffset.UTC).toString());
            full.put(
                    "training_seconds", Duration.between(started, Instant.now()).toSeconds());
            Files.writeString(
                    cardFile(),
                    new GsonBuilder()
                                    .setPrettyPrinting()
                                    .disableHtmlEscaping()
                                    .create()
                                    .toJson(full) + "\n",
                    StandardCharsets.UTF_8);
            log(
                    "Wrote %s (dev mean F1 %.4f) in %ds",
                    headFile(),
                    card.get("dev_mean_f1"),
                    Duration.between(started, Instant.now()).toSeconds());
        }
    }

    private Split encode(TransformerEncoder encoder, List<ConllReader.Sentence> sentences, int buckets) {
        List<Words> words = new ArrayList<>(sentences.size());
        List<String> texts = new ArrayList<>(sentences.size());
        for (ConllReader.Sentence sentence : sentences) {
            Words joined = Words.joined(sentence.words());
            words.add(joined);
            texts.add(joined.text());
        }
        List<TokenStates> states = encoder.encodeSortedByLength(texts, 32, this::log);
        List<WordInputs> inputs = new ArrayList<>(sentences.size());
        List<int[]> tags = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            inputs.add(WordInputs.of(words.get(i), states.get(i), buckets));
            tags.add(sentences.get(i).tags().stream()
                    .mapToInt(tag -> labelIndex(tag))
                    .toArray());
        }
        return new Split(sentences, words, inputs, tags);
    }

    private static int labelIndex(String tag) {
        int index = LABELS.indexOf(tag);
        if (index < 0) {
            throw new IllegalArgumentException("tag '" + tag + "' is not one of " + LABELS);
        }
        return index;
    }

    /** Trains, evaluating dev F1 after each epoch; fills the card's training entries; returns the best head. */
    private byte[] train(Split train, Map<EntityCorpus, Split> dev, Map<String, Object> card) throws IOException {
        int hidden = train.inputs().get(0).hiddenSize();
        float[][] stats = meanAndStd(train.inputs(), hidden);
        HeadFile init = switch (options.get("init")) {
            case "none" -> null;
            case "bundled" -> bundledHeadFile();
            default -> throw new IllegalArgumentException("--init must be none or bundled");
        };
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(intOption("seed"));
        EntityHeadBlock block = new EntityHeadBlock(
                hidden,
                intOption("buckets"),
                intOption("embedding-dim"),
                intOption("projection"),
                LABELS.size(),
                floatOption("dropout"));
        List<int[]> batches = lengthBuckets(train.inputs(), intOption("batch-size"));
        int stepsPerEpoch = batches.size();
        int epochs = intOption("epochs");
        // The loss is the CRF's (CrfLoss), computed from the block's outputs; the config's loss is unused.
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adamW()
                        .optLearningRateTracker(learningRate(stepsPerEpoch * epochs))
                        .optWeightDecays(floatOption("weight-decay"))
                        .build());
        List<Map<String, Object>> epochLog = new ArrayList<>();
        double bestF1 = -1;
        byte[] bestHead = null;
        int bestEpoch = 0;
        try (Model model = Model.newInstance("heed-entity-head", engine.getEngineName())) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                int window = EntityHead.WINDOW;
                trainer.initialize(
                        new Shape(1, window, hidden),
                        new Shape(1, window),
                        new Shape(1, window, WordFeatures.FLAG_COUNT),
                        new Shape(1, window, WordFeatures.ID_COUNT),
                        new Shape(1, window));
                if (init == null) {
                    block.setNormalization(stats[0], stats[1]);
                } else {
                    block.load(init); // its own z-score statistics included: the weights were trained with them
                }
                Random random = new Random(intOption("seed"));
                Instant trainStart = Instant.now();
                int step = 0;
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    Collections.shuffle(batches, random);
                    double lossSum = 0;
                    for (int[] batch : batches) {
                        lossSum += trainStep(trainer, train, batch);
                        step++;
                        if (step % 500 == 0) {
                            Duration elapsed = Duration.between(trainStart, Instant.now());
                            long eta = elapsed.toSeconds() * ((long) stepsPerEpoch * epochs - step) / step;
                            log(
                                    "epoch %d step %d/%d loss %.4f eta %ds",
                                    epoch,
                                    step,
                                    stepsPerEpoch * epochs,
                                    lossSum / (step - (epoch - 1) * stepsPerEpoch),
                                    eta);
                        }
                    }
                    HeadFile headFile = block.toHeadFile(LABELS);
                    EntityHead head = EntityHead.of(headFile);
                    Map<String, Double> devF1 = new LinkedHashMap<>();
                    double f1Sum = 0;
                    for (Map.Entry<EntityCorpus, Split> corpus : dev.entrySet()) {
                        double corpusF1 =
                                devScores(head, corpus.getValue()).micro().f1();
                        devF1.put(corpus.getKey().toString(), Math.round(corpusF1 * 10000) / 10000.0);
                        f1Sum += corpusF1;
                    }
                    double f1 = f1Sum / dev.size();
                    log("epoch %d: train loss %.4f, dev mean F1 %.4f %s", epoch, lossSum / stepsPerEpoch, f1, devF1);
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("epoch", epoch);
                    entry.put("train_loss", lossSum / stepsPerEpoch);
                    entry.put("dev_mean_f1", f1);
                    entry.put("dev_f1", devF1);
                    epochLog.add(entry);
                    if (f1 > bestF1) {
                        bestF1 = f1;
                        bestHead = headFile.toBytes();
                        bestEpoch = epoch;
                    }
                }
            }
        }
        card.put("dev_mean_f1", bestF1);
        card.put("chosen_by", "mean dev F1 over " + dev.keySet());
        card.put("chosen_epoch", bestEpoch);
        card.put("epochs", epochLog);
        card.put(
                "train_words",
                train.inputs().stream().mapToInt(WordInputs::count).sum());
        return bestHead;
    }

    private Tracker learningRate(int totalSteps) {
        float rate = floatOption("learning-rate");
        return switch (options.get("lr-decay")) {
            case "none" -> Tracker.fixed(rate);
            case "cosine" ->
                Tracker.cosine()
                        .setBaseValue(rate)
                        .optFinalValue(rate / 100)
                        .setMaxUpdates(totalSteps)
                        .build();
            default -> throw new IllegalArgumentException("--lr-decay must be none or cosine");
        };
    }

    /** Sentence indices in batches of similar length, so little of each padded batch is padding. */
    private static List<int[]> lengthBuckets(List<WordInputs> sentences, int batchSize) {
        Integer[] order = new Integer[sentences.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(
                order, java.util.Comparator.comparingInt(i -> sentences.get(i).count()));
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int[] batch = new int[Math.min(order.length, from + batchSize) - from];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = order[from + i];
            }
            batches.add(batch);
        }
        return batches;
    }

    private static double trainStep(Trainer trainer, Split train, int[] sentences) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            CrfLoss.Batch batch = CrfLoss.batch(manager, train.inputs(), train.tags(), sentences, LABELS.size());
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList outputs = trainer.forward(batch.inputs());
                NDArray loss = CrfLoss.negativeLogLikelihood(outputs, batch, LABELS);
                collector.backward(loss);
                trainer.step();
                return loss.getFloat();
            }
        }
    }

    /** The head shipped for this run's weights, as a head file (to start training from). */
    private HeadFile bundledHeadFile() {
        return HeadFile.loadResource(
                EntityHeadTrainer.class,
                weights.headResource(EntityHead.BUNDLED_FILE),
                "entity head",
                (file, sha) -> file);
    }

    /** Dev scores from the cached inputs, decoded exactly as {@link EntityHead#predict} decodes. */
    private static EntityEvaluation.Result devScores(EntityHead head, Split valid) {
        List<List<Entity>> predictions = new ArrayList<>(valid.inputs().size());
        for (int i = 0; i < valid.inputs().size(); i++) {
            WordInputs inputs = valid.inputs().get(i);
            predictions.add(head.entities(valid.words().get(i), head.tagScores(inputs)));
        }
        return EntityEvaluation.score(valid.sentences(), valid.words(), predictions, 0);
    }

    /** Per-dimension mean and standard deviation of the word states (words without a state left out). */
    private static float[][] meanAndStd(List<WordInputs> sentences, int hidden) {
        FeatureMoments moments = new FeatureMoments(hidden);
        for (WordInputs sentence : sentences) {
            for (int w = 0; w < sentence.count(); w++) {
                if (sentence.hasState()[w]) {
                    moments.add(sentence.states(), w * hidden);
                }
            }
        }
        return moments.meanAndStd();
    }

    private static Map<String, Object> perTypeTable(EntityEvaluation.Result result) {
        Map<String, Object> table = new LinkedHashMap<>();
        result.perType().forEach((type, scores) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("precision", scores.precision());
            row.put("recall", scores.recall());
            row.put("f1", scores.f1());
            row.put("gold", scores.gold());
            table.put(type, row);
        });
        return table;
    }

    private void log(String format, Object... args) {
        System.out.printf("[train-entities] " + format + "%n", args);
    }

    private void log(String message) {
        log("%s", message);
    }
}
