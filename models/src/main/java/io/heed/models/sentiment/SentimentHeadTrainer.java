package io.heed.models.sentiment;

import io.heed.models.HeadFile;
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
import io.heed.models.Sha256;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the sentiment head on the frozen bundled encoder with DJL's training API (PyTorch engine), selects the epoch
 * by dev accuracy, and writes {@code sentiment-head.bin} plus a {@code sentiment-head.json} card (command, data hashes,
 * scores). The PyTorch engine is only on the models module's test classpath; run with
 * {@code mvn -pl models test-compile exec:exec@train-sentiment} (see README).
 */
public final class SentimentHeadTrainer {
    static final List<String> LABELS = List.of("negative", "positive");

    private final Map<String, String> options;

    private SentimentHeadTrainer(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("data-dir", System.getProperty("heed.data.dir", "../shared/data"));
        options.put("out", "models/src/main/resources/io/heed/models/sentiment");
        options.put("encoder", "int8");
        options.put("epochs", "5");
        options.put("batch-size", "64");
        options.put("learning-rate", "0.001");
        options.put("weight-decay", "0.0001");
        options.put("projection", "256");
        options.put("seed", "42");
        options.put("limit", "0");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!options.containsKey(key)) {
                throw new IllegalArgumentException("Unknown option " + args[i] + "; known: " + options.keySet());
            }
            options.put(key, args[i + 1]);
        }
        new SentimentHeadTrainer(options).run(String.join(" ", args));
    }

    private int intOption(String key) {
        return Integer.parseInt(options.get(key));
    }

    private float floatOption(String key) {
        return Float.parseFloat(options.get(key));
    }

    private void run(String commandArgs) throws IOException {
        Instant started = Instant.now();
        Path dataDir = Paths.get(options.get("data-dir"), "sst2");
        Path trainFile = dataDir.resolve("train.tsv");
        Path devFile = dataDir.resolve("dev.tsv");
        List<LabeledTexts.Example> train = LabeledTexts.readTsv(trainFile);
        List<LabeledTexts.Example> dev = LabeledTexts.readTsv(devFile);
        int limit = intOption("limit");
        if (limit > 0 && limit < train.size()) {
            Collections.shuffle(train = new ArrayList<>(train), new Random(intOption("seed")));
            train = train.subList(0, limit);
        }
        EncoderVariant variant = EncoderVariant.parse(options.get("encoder"));
        log("Encoding %d train and %d dev texts with %s", train.size(), dev.size(), variant.modelId());
        List<TokenStates> trainStates;
        List<TokenStates> devStates;
        String encoderSha;
        try (TransformerEncoder encoder = TransformerEncoder.load(variant, 128, 0)) {
            trainStates = encoder.encodeSortedByLength(texts(train), 32, this::log);
            devStates = encoder.encodeSortedByLength(texts(dev), 32, this::log);
            encoderSha = encoder.weightsSha256();
        }
        int hidden = trainStates.get(0).hiddenSize();
        float[][] stats = FeatureEncoding.meanAndStd(trainStates);

        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(intOption("seed"));
        SentimentHeadBlock block = new SentimentHeadBlock(hidden, intOption("projection"), LABELS.size());
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adamW()
                        .optLearningRateTracker(Tracker.fixed(floatOption("learning-rate")))
                        .optWeightDecays(floatOption("weight-decay"))
                        .build());
        Map<String, Object> card = new LinkedHashMap<>();
        List<Map<String, Object>> epochs = new ArrayList<>();
        try (Model model = Model.newInstance("heed-sentiment-head", engine.getEngineName())) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 8, hidden), new Shape(1, 8));
                block.setNormalization(stats[0], stats[1]);
                double bestAccuracy = -1;
                byte[] bestHead = null;
                int bestEpoch = 0;
                int batchSize = intOption("batch-size");
                List<int[]> batches = FeatureEncoding.lengthBuckets(trainStates, batchSize);
                Random random = new Random(intOption("seed"));
                int totalSteps = batches.size() * intOption("epochs");
                int step = 0;
                Instant trainStart = Instant.now();
                for (int epoch = 1; epoch <= intOption("epochs"); epoch++) {
                    Collections.shuffle(batches, random);
                    double lossSum = 0;
                    for (int[] batch : batches) {
                        lossSum += trainStep(trainer, trainStates, train, batch);
                        step++;
                        if (step % 200 == 0) {
                            Duration elapsed = Duration.between(trainStart, Instant.now());
                            long etaSeconds = elapsed.toSeconds() * (totalSteps - step) / step;
                            log("epoch %d step %d/%d loss %.4f eta %ds", epoch, step, totalSteps,
                                    lossSum / (step - (epoch - 1) * batches.size()), etaSeconds);
                        }
                    }
                    HeadFile headFile = block.toHeadFile(LABELS);
                    double accuracy = accuracy(SentimentHead.of(headFile), devStates, dev);
                    log("epoch %d: train loss %.4f, dev accuracy %.4f", epoch, lossSum / batches.size(), accuracy);
                    epochs.add(Map.of("epoch", epoch, "train_loss", lossSum / batches.size(), "dev_accuracy", accuracy));
                    if (accuracy > bestAccuracy) {
                        bestAccuracy = accuracy;
                        bestHead = headFile.toBytes();
                        bestEpoch = epoch;
                    }
                }
                Path out = Paths.get(options.get("out"));
                Files.createDirectories(out);
                Files.write(out.resolve("sentiment-head.bin"), bestHead);
                card.put("format", SentimentHead.FORMAT);
                card.put("head_sha256", Sha256.hex(bestHead));
                card.put("labels", LABELS);
                card.put("encoder", variant.modelId());
                card.put("encoder_sha256", encoderSha);
                card.put("dev_accuracy", bestAccuracy);
                card.put("chosen_epoch", bestEpoch);
                card.put("epochs", epochs);
                card.put("train_file", "sst2/train.tsv");
                card.put("train_sha256", Sha256.hex(trainFile));
                card.put("train_examples", train.size());
                card.put("dev_file", "sst2/dev.tsv");
                card.put("dev_sha256", Sha256.hex(devFile));
                card.put("options", options.entrySet().stream().filter(e -> !e.getKey().equals("data-dir"))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
                                (a, b) -> a, LinkedHashMap::new)));
                card.put("command", "mvn -B -pl models test-compile exec:exec@train-sentiment"
                        + (commandArgs.isBlank() ? "" : " -Dtrain.args=\"" + commandArgs + "\""));
                card.put("engine", engine.getEngineName() + " " + engine.getVersion());
                card.put("training_seconds", Duration.between(started, Instant.now()).toSeconds());
                try (OutputStream cardOut = Files.newOutputStream(out.resolve("sentiment-head.json"))) {
                    cardOut.write(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(card)
                            .getBytes(StandardCharsets.UTF_8));
                }
                log("Wrote %s (dev accuracy %.4f, epoch %d) in %ds", out.resolve("sentiment-head.bin"),
                        bestAccuracy, bestEpoch, Duration.between(started, Instant.now()).toSeconds());
            }
        }
    }

    private static double trainStep(
            Trainer trainer, List<TokenStates> states, List<LabeledTexts.Example> examples, int[] batch) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDList inputs = FeatureEncoding.toBatch(manager, states, batch);
            float[] labels = new float[batch.length];
            for (int i = 0; i < batch.length; i++) {
                labels[i] = examples.get(batch[i]).label();
            }
            NDArray labelArray = manager.create(labels);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList outputs = trainer.forward(inputs);
                NDArray loss = trainer.getLoss().evaluate(new NDList(labelArray), new NDList(outputs.get(0)));
                collector.backward(loss);
                trainer.step();
                return loss.getFloat();
            }
        }
    }

    static double accuracy(SentimentHead head, List<TokenStates> states, List<LabeledTexts.Example> examples) {
        int correct = 0;
        for (int i = 0; i < states.size(); i++) {
            float[] probabilities = head.probabilities(states.get(i));
            int predicted = probabilities[1] > probabilities[0] ? 1 : 0;
            if (predicted == examples.get(i).label()) {
                correct++;
            }
        }
        return (double) correct / states.size();
    }

    private static List<String> texts(List<LabeledTexts.Example> examples) {
        List<String> texts = new ArrayList<>(examples.size());
        examples.forEach(e -> texts.add(e.text()));
        return texts;
    }

    private void log(String format, Object... args) {
        System.out.printf("[train-sentiment] " + format + "%n", args);
    }

    private void log(String message) {
        log("%s", message);
    }
}
