/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import io.heed.models.HeadFile;
import io.heed.models.Sha256;
import io.heed.models.SourceTree;
import io.heed.models.ToolArguments;
import io.heed.models.encoder.BaseEncoder;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.entities.ConllReader;
import io.heed.models.entities.EntityCorpus;
import io.heed.models.entities.EntityTuning;
import io.heed.models.sentiment.LabeledTexts;
import io.heed.models.sentiment.SentimentCorpus;
import io.heed.models.sentiment.SentimentScores;
import io.heed.models.sentiment.SentimentTuning;
import io.heed.models.summary.SentenceGeometry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fine-tunes an encoder ({@code --base}: the bundled MiniLM by default, or a candidate {@link BaseEncoder} measured
 * against it; fp32 weights of its Maven artifact) with LoRA adapters, multi-task: the
 * three-class sentiment head on every {@link SentimentCorpus} (binary examples scored given not neutral, as in
 * {@link SentimentHeadTrainer}), the entity head with its CRF on the {@link EntityCorpus} train files (newswire,
 * social media, Wikipedia), and the summariser's sentence geometry, all reading one shared encoder. Steps alternate
 * between the tasks in a seeded random order that covers each training set once per epoch. AdamW, linear warm-up
 * then linear decay, global gradient-norm clipping, non-finite steps skipped; every {@code eval-every} steps it
 * scores the sentiment dev carves and the entity dev files (never test), keeps the best by the mean of the two tasks'
 * means, and writes a resumable
 * checkpoint. Writes {@code best/encoder-patch.bin} (the patch that ships), the jointly trained heads and a card.
 *
 * <p>Run: {@code mvn -B -pl models/tooling -am test-compile exec:exec@finetune-encoder -Dtrain.args="--max-steps 30"}. The
 * PyTorch engine is only on the test classpath.
 */
public final class EncoderFineTuner {
    private static final String PATCH = "encoder-patch.bin";
    private static final String SENTIMENT = "sentiment-head.bin";
    private static final String ENTITIES = "entity-head.bin";
    private static final String OPTIMIZER = "optimizer.bin";

    private final Map<String, String> options;
    private final BaseEncoder base;
    private final Path out;

    private EncoderFineTuner(Map<String, String> options) {
        this.options = options;
        this.base = BaseEncoder.parse(options.get("base"));
        this.out = options.get("out").isBlank()
                ? SourceTree.WORK_DIR.resolve(base.workDirName())
                : Paths.get(options.get("out"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("data-dir", System.getProperty("heed.data.dir", "../shared/data"));
        // The encoder to fine-tune (BaseEncoder): minilm-l6, the bundled one, or a candidate such as bge-small.
        defaults.put("base", BaseEncoder.MINILM_L6.toString());
        // Empty: models/tooling/target/encoder-finetune for minilm-l6, encoder-finetune-<base> for the others.
        defaults.put("out", "");
        defaults.put("resume", ""); // a checkpoint directory, e.g. models/tooling/target/encoder-finetune/checkpoint
        defaults.put("epochs", "1");
        defaults.put("max-steps", "0"); // stop after this many steps (0: all); for smoke runs
        defaults.put("sst-batch", "32"); // sentiment texts per step (every corpus, not only SST-2)
        // Sentiment corpora (SentimentCorpus): caps on train rows and repeats, as train-sentiment takes them.
        defaults.put("sentiment-corpora", "sst2,amazon,yelp,semeval,finance");
        defaults.put("sentiment-caps", "sst2=20000,yelp=12000");
        defaults.put("sentiment-repeats", "finance=3");
        defaults.put("sentiment-dev-limit", "500"); // dev texts per corpus scored at each evaluation
        // Entity corpora (EntityCorpus) with repeats, and those whose dev F1 is averaged at each evaluation.
        defaults.put(
                "entity-train",
                "conll,wnut=2,crossner-politics=3,crossner-science=3,crossner-music=3,"
                        + "crossner-literature=3,crossner-ai=3");
        defaults.put("entity-dev", "conll,wnut,crossner-politics");
        defaults.put("conll-batch", "16"); // sentences; the CRF scores whole sentences
        defaults.put("rank", "16");
        defaults.put("alpha", "32");
        defaults.put("encoder-lr", "4e-4");
        defaults.put("head-lr", "1e-3");
        defaults.put("encoder-weight-decay", "0.01");
        defaults.put("head-weight-decay", "1e-4");
        defaults.put("warmup", "0.06"); // fraction of all steps
        defaults.put("clip", "1.0");
        defaults.put("dropout", "0.1");
        defaults.put("entity-dropout", "0.3");
        defaults.put("eval-every", "500");
        defaults.put("eval-limit", "0"); // score on the first N dev/valid examples only (0: all); for smoke runs
        defaults.put("log-every", "10");
        defaults.put("stats-sample", "2000"); // texts per task for the heads' frozen z-score statistics
        defaults.put("min-std", "0.05"); // floor of the heads' z-score std (median std of MiniLM's states: ~0.35)
        defaults.put("seed", "42");
        // Sentence geometry (the summariser's attention between sentences, see SentenceGeometry): 0 turns it off.
        defaults.put("sentence-weight", "10");
        defaults.put("sentence-batch", "4"); // chunks of BBC tuning-split articles
        defaults.put("chunk-chars", "900");
        defaults.put("sentence-temperature", "0.1"); // the summariser's default τ
        Map<String, String> options = ToolArguments.parse(args, defaults);
        new EncoderFineTuner(options).run(String.join(" ", args));
    }

    private int intOption(String key) {
        return Integer.parseInt(options.get(key));
    }

    private float floatOption(String key) {
        return Float.parseFloat(options.get(key));
    }

    private void run(String commandArgs) throws IOException {
        long started = System.nanoTime();
        Path data = Paths.get(options.get("data-dir"));
        Map<String, Path> files = new LinkedHashMap<>();
        SentimentData sentimentData = sentimentData(data, files);
        List<LabeledTexts.Example> sstTrain = sentimentData.train();
        EntityData entityData = entityData(data, files);
        EntityTuning.Split conllTrain = entityData.train();
        float sentenceWeight = floatOption("sentence-weight");
        if (sentenceWeight > 0) {
            files.put(
                    "bbc-news-summary/bbc_news_summary.jsonl", data.resolve("bbc-news-summary/bbc_news_summary.jsonl"));
        }
        List<SentenceGeometry.Chunk> chunks = sentenceWeight > 0
                ? SentenceGeometry.chunks(
                        SentenceGeometry.tuningTexts(files.get("bbc-news-summary/bbc_news_summary.jsonl")),
                        intOption("chunk-chars"))
                : List.of();
        SentenceGeometry geometry = new SentenceGeometry(floatOption("sentence-temperature"));

        int seed = intOption("seed");
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(seed);
        Path baseOnnx = base.onnxFile();
        EncoderGraph graph = EncoderGraph.read(baseOnnx);
        int hidden = graph.hidden();
        try (Model model = Model.newInstance("heed-encoder-finetune", engine.getEngineName());
                HuggingFaceTokenizer tokenizer = TransformerEncoder.tokenizer(base.tokenizerFile())) {
            NDManager manager = model.getNDManager();
            BertBlock block =
                    new BertBlock(graph, intOption("rank"), floatOption("alpha"), floatOption("dropout"), seed);
            model.setBlock(block);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
            TrainingEncoder encoder = new TrainingEncoder(tokenizer, block, hidden);
            List<TrainingEncoder.Tokens> sstTrainTokens = encoder.tokenize(texts(sstTrain), 128);
            Map<SentimentCorpus, List<TrainingEncoder.Tokens>> sentimentDevTokens = new LinkedHashMap<>();
            sentimentData
                    .dev()
                    .forEach((corpus, dev) -> sentimentDevTokens.put(corpus, encoder.tokenize(texts(dev), 128)));
            List<TrainingEncoder.Tokens> conllTrainTokens = encoder.tokenize(conllTrain.texts(), 256);
            Map<EntityCorpus, List<TrainingEncoder.Tokens>> entityDevTokens = new LinkedHashMap<>();
            entityData.dev().forEach((corpus, dev) -> entityDevTokens.put(corpus, encoder.tokenize(dev.texts(), 256)));
            List<TrainingEncoder.Tokens> chunkTokens = encoder.tokenize(
                    chunks.stream().map(SentenceGeometry.Chunk::text).toList(), 256);
            // The block is still the untuned encoder here (LoRA starts at zero), also on --resume: the teacher.
            List<float[]> teacher = teacherAttention(encoder, manager, geometry, chunks, chunkTokens);
            SentimentTuning sentiment = new SentimentTuning(manager, hidden, 256);
            EntityTuning entities = new EntityTuning(manager, hidden, 32768, 16, 256, floatOption("entity-dropout"));
            AdamW optimizer = new AdamW(manager);
            log(
                    "%d sentiment train texts (%s), %d entity train sentences (%s), %d BBC chunks; %d trainable "
                            + "encoder values (rank %s)",
                    sstTrain.size(),
                    options.get("sentiment-corpora"),
                    conllTrain.size(),
                    options.get("entity-train"),
                    chunks.size(),
                    block.toPatch().parameterCount(),
                    options.get("rank"));

            int firstStep = 0;
            double bestScore = -1;
            List<Map<String, Object>> evaluations = new ArrayList<>();
            String resume = options.get("resume");
            if (resume.isBlank()) {
                normalizeHeads(
                        encoder,
                        manager,
                        sentiment,
                        sstTrainTokens,
                        entities,
                        conllTrain,
                        conllTrainTokens,
                        new Random(seed));
            } else {
                Path dir = Paths.get(resume);
                block.load(EncoderPatch.fromHeadFile(Checkpoint.read(dir, PATCH)));
                sentiment.load(Checkpoint.read(dir, SENTIMENT));
                entities.load(Checkpoint.read(dir, ENTITIES));
                optimizer.restore(Checkpoint.read(dir, OPTIMIZER));
                JsonObject info = Checkpoint.info(dir);
                firstStep = info.get("step").getAsInt();
                bestScore = info.get("best_score").getAsDouble();
                // Dropout draws cannot be restored; reseeding by step keeps a resumed run deterministic itself.
                engine.setRandomSeed(seed + firstStep);
                log("Resumed from %s at step %d (best score so far %.4f)", dir, firstStep, bestScore);
            }

            List<Schedule.Step> schedule = Schedule.steps(
                    lengths(sstTrainTokens),
                    intOption("sst-batch"),
                    lengths(conllTrainTokens),
                    intOption("conll-batch"),
                    lengths(chunkTokens),
                    intOption("sentence-batch"),
                    intOption("epochs"),
                    new Random(seed));
            int total = schedule.size();
            if (intOption("max-steps") > 0) {
                total = Math.min(total, firstStep + intOption("max-steps"));
            }
            int warmup = Math.max(1, Math.round(floatOption("warmup") * schedule.size()));
            AdamW.Group encoderGroup = new AdamW.Group(
                    "encoder/",
                    block.trainableParameters(),
                    floatOption("encoder-lr"),
                    floatOption("encoder-weight-decay"));
            AdamW.Group sentimentGroup = new AdamW.Group(
                    "sentiment/", sentiment.parameters(), floatOption("head-lr"), floatOption("head-weight-decay"));
            AdamW.Group entityGroup = new AdamW.Group(
                    "entities/", entities.parameters(), floatOption("head-lr"), floatOption("head-weight-decay"));

            // Forward and backward pass of one step; returns the loss, leaves the gradients on the parameters.
            java.util.function.Function<Schedule.Step, Float> forwardBackward = next -> {
                try (NDManager batch = manager.newSubManager()) {
                    ParameterStore store = new ParameterStore(batch, false);
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray lossArray = switch (next.task()) {
                            case SENTIMENT ->
                                sentimentLoss(
                                        encoder,
                                        store,
                                        batch,
                                        sentiment,
                                        sstTrain,
                                        sentimentData.threeClass(),
                                        sstTrainTokens,
                                        next);
                            case ENTITIES ->
                                entityLoss(encoder, store, batch, entities, conllTrain, conllTrainTokens, next);
                            case SENTENCES ->
                                sentenceLoss(encoder, store, batch, geometry, chunks, chunkTokens, teacher, next);
                        };
                        collector.backward(
                                next.task() == Schedule.Task.SENTENCES ? lossArray.mul(sentenceWeight) : lossArray);
                        return lossArray.getFloat();
                    }
                }
            };
            long loopStart = System.nanoTime();
            int tasks = Schedule.Task.values().length;
            double[] lossSums = new double[tasks];
            double[] normSums = new double[tasks]; // gradient norms before clipping: how the tasks' scales compare
            int[] lossCounts = new int[tasks];
            int skipped = 0;
            long optimizerNanos = 0;
            long[] taskNanos = new long[tasks];
            int[] taskSteps = new int[tasks];
            for (int step = firstStep; step < total; step++) {
                long stepStart = System.nanoTime();
                Schedule.Step next = schedule.get(step);
                List<AdamW.Group> groups = switch (next.task()) {
                    case SENTIMENT -> List.of(encoderGroup, sentimentGroup);
                    case ENTITIES -> List.of(encoderGroup, entityGroup);
                    case SENTENCES -> List.of(encoderGroup);
                };
                int task = next.task().ordinal();
                float loss = forwardBackward.apply(next);
                long optimizerStart = System.nanoTime();
                double norm = optimizer.gradientNorm(groups);
                if (!Float.isFinite(loss) || !Double.isFinite(norm)) {
                    // Seen about once in 50-100 steps, at random (identical runs differ), with a finite loss: NaN or
                    // overflowing gradients across the encoder. Clear them and run the same batch once more; the
                    // log says whether that second pass was clean, i.e. whether the fault is transient.
                    List<String> bad = AdamW.clearNonFinite(groups);
                    float firstLoss = loss;
                    double firstNorm = norm;
                    loss = forwardBackward.apply(next);
                    norm = optimizer.gradientNorm(groups);
                    log(
                            "step %d: non-finite %s step (loss %s, gradient norm %s; %d tensors with non-finite gradients: "
                                    + "%s); rerun: loss %s, gradient norm %s",
                            step + 1,
                            next.task().label,
                            firstLoss,
                            firstNorm,
                            bad.size(),
                            bad.subList(0, Math.min(4, bad.size())),
                            loss,
                            norm);
                }
                if (!Float.isFinite(loss) || !Double.isFinite(norm)) {
                    skipped++;
                    AdamW.clearNonFinite(groups);
                } else {
                    float clip = floatOption("clip");
                    optimizer.step(
                            groups,
                            norm > clip ? (float) (clip / norm) : 1f,
                            Schedule.rateFactor(step, warmup, schedule.size()));
                    lossSums[task] += loss;
                    normSums[task] += norm;
                    lossCounts[task]++;
                }
                optimizerNanos += System.nanoTime() - optimizerStart;
                taskNanos[task] += System.nanoTime() - stepStart;
                taskSteps[task]++;
                int done = step + 1;
                if (done % intOption("log-every") == 0 || done == total) {
                    double secondsPerStep = (System.nanoTime() - loopStart) / 1e9 / (done - firstStep);
                    StringBuilder losses = new StringBuilder();
                    StringBuilder times = new StringBuilder();
                    for (Schedule.Task t : Schedule.Task.values()) {
                        int i = t.ordinal();
                        losses.append(String.format(
                                "  %s loss %s (grad norm %s)",
                                t.label, mean(lossSums[i], lossCounts[i]), mean(normSums[i], lossCounts[i])));
                        times.append(
                                String.format("%s %.3f, ", t.label, taskNanos[i] / 1e9 / Math.max(1, taskSteps[i])));
                    }
                    log(
                            "step %d/%d%s  lr x%.3f  %.3f s/step (%soptimizer %.3f)  eta %s  skipped %d  rss %d MB  "
                                    + "arrays %d",
                            done,
                            total,
                            losses,
                            Schedule.rateFactor(step, warmup, schedule.size()),
                            secondsPerStep,
                            times,
                            optimizerNanos / 1e9 / (done - firstStep),
                            duration((long) (secondsPerStep * (total - done))),
                            skipped,
                            rssMb(),
                            manager.getManagedArrays().size());
                    lossSums = new double[tasks];
                    normSums = new double[tasks];
                    lossCounts = new int[tasks];
                }
                if (done % intOption("eval-every") == 0 || done == total) {
                    long evalStart = System.nanoTime();
                    Map<String, Object> evaluation = new LinkedHashMap<>();
                    evaluation.put("step", done);
                    double sentimentSum = 0;
                    for (Map.Entry<SentimentCorpus, List<LabeledTexts.Example>> dev :
                            sentimentData.dev().entrySet()) {
                        SentimentScores scores = sentiment.scores(
                                encoder.encode(manager, sentimentDevTokens.get(dev.getKey()), 64), dev.getValue());
                        sentimentSum += scores.headline();
                        evaluation.put("sentiment_dev_" + dev.getKey(), scores.headline());
                    }
                    double entitySum = 0;
                    for (Map.Entry<EntityCorpus, EntityTuning.Split> dev :
                            entityData.dev().entrySet()) {
                        double f1 = entities.f1(
                                dev.getValue(), encoder.encode(manager, entityDevTokens.get(dev.getKey()), 32));
                        entitySum += f1;
                        evaluation.put("entity_dev_f1_" + dev.getKey(), f1);
                    }
                    double sentimentMean = sentimentSum / sentimentData.dev().size();
                    double entityMean = entitySum / entityData.dev().size();
                    double score = (sentimentMean + entityMean) / 2;
                    evaluation.put("sentiment_dev_mean", sentimentMean);
                    evaluation.put("entity_dev_mean_f1", entityMean);
                    evaluations.add(evaluation);
                    log("step %d: %s (%.0f s)", done, evaluation, (System.nanoTime() - evalStart) / 1e9);
                    Map<String, HeadFile> state = new LinkedHashMap<>();
                    state.put(PATCH, block.toPatch().toHeadFile());
                    state.put(SENTIMENT, sentiment.headFile());
                    state.put(ENTITIES, entities.headFile());
                    if (score > bestScore) {
                        bestScore = score;
                        Checkpoint.write(out.resolve("best"), state, evaluation);
                        log("new best (mean %.4f): wrote %s", score, out.resolve("best"));
                    }
                    state.put(OPTIMIZER, optimizer.state());
                    Checkpoint.write(
                            out.resolve("checkpoint"),
                            state,
                            Map.of("step", done, "best_score", bestScore, "skipped", skipped));
                }
            }
            writeCard(files, baseOnnx, evaluations, skipped, commandArgs, started);
        }
    }

    private static NDArray sentimentLoss(
            TrainingEncoder encoder,
            ParameterStore store,
            NDManager manager,
            SentimentTuning task,
            List<LabeledTexts.Example> examples,
            boolean[] threeClassRows,
            List<TrainingEncoder.Tokens> tokens,
            Schedule.Step step) {
        List<TrainingEncoder.Tokens> texts = new ArrayList<>();
        int[] labels = new int[step.examples().length];
        boolean[] threeClass = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            texts.add(tokens.get(step.examples()[i]));
            labels[i] = examples.get(step.examples()[i]).label();
            threeClass[i] = threeClassRows[step.examples()[i]];
        }
        NDList inputs = TrainingEncoder.inputs(manager, texts);
        return task.loss(store, encoder.forward(store, inputs, true), inputs.get(1), labels, threeClass);
    }

    /** Sentiment train rows of every corpus (capped, repeated), which rows are three-class, and the dev carves. */
    record SentimentData(
            List<LabeledTexts.Example> train,
            boolean[] threeClass,
            Map<SentimentCorpus, List<LabeledTexts.Example>> dev) {}

    private SentimentData sentimentData(Path data, Map<String, Path> files) {
        List<SentimentCorpus> corpora = new ArrayList<>();
        for (String name : options.get("sentiment-corpora").split(",")) {
            corpora.add(SentimentCorpus.parse(name));
        }
        SentimentCorpus.TrainingMix mix = SentimentCorpus.TrainingMix.of(
                data,
                corpora,
                SentimentCorpus.perCorpus(options.get("sentiment-caps")),
                SentimentCorpus.perCorpus(options.get("sentiment-repeats")),
                intOption("seed"));
        Map<SentimentCorpus, List<LabeledTexts.Example>> dev = new LinkedHashMap<>();
        int devLimit = intOption("sentiment-dev-limit");
        for (SentimentCorpus corpus : corpora) {
            files.put(corpus.folder() + "/train.tsv", corpus.trainFile(data));
            List<LabeledTexts.Example> carve = corpus.dev(data);
            dev.put(corpus, limit(ToolArguments.limit(carve, devLimit)));
        }
        return new SentimentData(mix.rows(), mix.threeClass(), dev);
    }

    /** Entity train sentences of every corpus (repeated) and the dev files scored at each evaluation. */
    record EntityData(EntityTuning.Split train, Map<EntityCorpus, EntityTuning.Split> dev) {}

    private EntityData entityData(Path data, Map<String, Path> files) {
        List<ConllReader.Sentence> train = new ArrayList<>();
        for (Map.Entry<EntityCorpus, Integer> entry :
                EntityCorpus.repeats(options.get("entity-train")).entrySet()) {
            EntityCorpus corpus = entry.getKey();
            files.put(corpus.folder() + "/train.txt", corpus.trainFile(data));
            List<ConllReader.Sentence> sentences = ConllReader.read(corpus.trainFile(data));
            for (int r = 0; r < entry.getValue(); r++) {
                train.addAll(sentences);
            }
        }
        Map<EntityCorpus, EntityTuning.Split> dev = new LinkedHashMap<>();
        for (EntityCorpus corpus :
                EntityCorpus.repeats(options.get("entity-dev")).keySet()) {
            files.put(corpus.folder() + "/" + corpus.devFile(data).getFileName(), corpus.devFile(data));
            dev.put(corpus, new EntityTuning.Split(limit(ConllReader.read(corpus.devFile(data)))));
        }
        return new EntityData(new EntityTuning.Split(train), dev);
    }

    private static NDArray entityLoss(
            TrainingEncoder encoder,
            ParameterStore store,
            NDManager manager,
            EntityTuning task,
            EntityTuning.Split split,
            List<TrainingEncoder.Tokens> tokens,
            Schedule.Step step) {
        List<TrainingEncoder.Tokens> texts = new ArrayList<>();
        List<TokenStates> layouts = new ArrayList<>();
        for (int sentence : step.examples()) {
            texts.add(tokens.get(sentence));
            layouts.add(encoder.layout(tokens.get(sentence)));
        }
        NDArray states = encoder.forward(store, TrainingEncoder.inputs(manager, texts), true);
        return task.loss(store, split, step.examples(), states, layouts);
    }

    /**
     * KL of the summariser's attention rows from the untuned encoder's (the teacher's) to the trained encoder's, on a
     * batch of BBC chunks; the caller weighs it ({@code sentence-weight}).
     */
    private static NDArray sentenceLoss(
            TrainingEncoder encoder,
            ParameterStore store,
            NDManager manager,
            SentenceGeometry geometry,
            List<SentenceGeometry.Chunk> chunks,
            List<TrainingEncoder.Tokens> tokens,
            List<float[]> teacher,
            Schedule.Step step) {
        List<SentenceGeometry.Chunk> chosen = new ArrayList<>();
        List<TrainingEncoder.Tokens> texts = new ArrayList<>();
        for (int chunk : step.examples()) {
            chosen.add(chunks.get(chunk));
            texts.add(tokens.get(chunk));
        }
        NDList inputs = TrainingEncoder.inputs(manager, texts);
        NDArray weights = poolingWeights(manager, chosen, texts, inputs);
        NDArray mask = SentenceGeometry.sentenceMask(weights);
        // No dropout: the teacher ran without it, so the loss is 0 until the other tasks move the encoder, and its
        // gradient only pulls the attention back, instead of also training robustness to dropout noise.
        NDArray student =
                geometry.logAttention(SentenceGeometry.pool(weights, encoder.forward(store, inputs, false)), mask);
        int sentences = (int) weights.getShape().get(1);
        float[] target = new float[chosen.size() * sentences * sentences];
        java.util.Arrays.fill(target, -1e4f); // padding: probability 0
        for (int b = 0; b < chosen.size(); b++) {
            int n = chosen.get(b).sentences();
            float[] rows = teacher.get(step.examples()[b]);
            for (int r = 0; r < n; r++) {
                System.arraycopy(rows, r * n, target, (b * sentences + r) * sentences, n);
            }
        }
        return SentenceGeometry.loss(manager.create(target, student.getShape()), student, mask);
    }

    private static NDArray poolingWeights(
            NDManager manager, List<SentenceGeometry.Chunk> chunks, List<TrainingEncoder.Tokens> texts, NDList inputs) {
        return SentenceGeometry.poolingWeights(
                manager,
                chunks,
                texts.stream().map(TrainingEncoder.Tokens::starts).toList(),
                texts.stream().map(TrainingEncoder.Tokens::ends).toList(),
                (int) inputs.get(0).getShape().get(1));
    }

    /** Each chunk's attention rows under the encoder as it is now (untuned: the teacher), {@code n × n} log values. */
    private static List<float[]> teacherAttention(
            TrainingEncoder encoder,
            NDManager manager,
            SentenceGeometry geometry,
            List<SentenceGeometry.Chunk> chunks,
            List<TrainingEncoder.Tokens> tokens) {
        List<float[]> result = new ArrayList<>(chunks.size());
        for (int from = 0; from < chunks.size(); from += 16) {
            List<SentenceGeometry.Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + 16));
            List<TrainingEncoder.Tokens> texts = tokens.subList(from, from + batch.size());
            try (NDManager scratch = manager.newSubManager()) {
                NDList inputs = TrainingEncoder.inputs(scratch, texts);
                NDArray weights = poolingWeights(scratch, batch, texts, inputs);
                NDArray states = encoder.forward(new ParameterStore(scratch, false), inputs, false);
                float[] log = geometry.logAttention(
                                SentenceGeometry.pool(weights, states), SentenceGeometry.sentenceMask(weights))
                        .toFloatArray();
                int sentences = (int) weights.getShape().get(1);
                for (int b = 0; b < batch.size(); b++) {
                    int n = batch.get(b).sentences();
                    float[] rows = new float[n * n];
                    for (int r = 0; r < n; r++) {
                        System.arraycopy(log, (b * sentences + r) * sentences, rows, r * n, n);
                    }
                    result.add(rows);
                }
            }
        }
        return result;
    }

    /** Freezes both heads' z-score statistics on a seeded sample of training texts run through the untuned encoder. */
    private void normalizeHeads(
            TrainingEncoder encoder,
            NDManager manager,
            SentimentTuning sentiment,
            List<TrainingEncoder.Tokens> sstTokens,
            EntityTuning entities,
            EntityTuning.Split conll,
            List<TrainingEncoder.Tokens> conllTokens,
            Random random) {
        int sample = intOption("stats-sample");
        List<Integer> sst = sample(sstTokens.size(), sample, random);
        double minStd = Double.parseDouble(options.get("min-std"));
        sentiment.normalize(
                encoder.encode(manager, sst.stream().map(sstTokens::get).toList(), 64), minStd);
        List<Integer> sentences = sample(conllTokens.size(), sample, random);
        entities.normalize(
                conll,
                sentences,
                encoder.encode(manager, sentences.stream().map(conllTokens::get).toList(), 32),
                minStd);
        log("Head statistics from %d sentiment texts and %d entity sentences", sst.size(), sentences.size());
    }

    private static List<Integer> sample(int size, int count, Random random) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            indices.add(i);
        }
        Collections.shuffle(indices, random);
        return indices.subList(0, Math.min(count, size));
    }

    private void writeCard(
            Map<String, Path> files,
            Path baseOnnx,
            List<Map<String, Object>> evaluations,
            int skipped,
            String commandArgs,
            long started)
            throws IOException {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("format", EncoderPatch.FORMAT);
        card.put("base_model", base.modelId());
        card.put("base_onnx_sha256", Sha256.hex(baseOnnx));
        Path best = out.resolve("best");
        if (Files.exists(best.resolve(PATCH))) {
            card.put("patch_sha256", Sha256.hex(best.resolve(PATCH)));
            card.put("patch_bytes", Files.size(best.resolve(PATCH)));
            card.put("chosen", Checkpoint.info(best));
        }
        card.put("evaluations", evaluations);
        card.put("skipped_steps", skipped);
        Map<String, String> hashes = new LinkedHashMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            hashes.put(file.getKey(), Sha256.hex(file.getValue()));
        }
        card.put("data_sha256", hashes);
        Map<String, String> shown = new LinkedHashMap<>(options);
        shown.remove("data-dir");
        card.put("options", shown);
        card.put(
                "command",
                "mvn -B -pl models/tooling -am test-compile exec:exec@finetune-encoder"
                        + (commandArgs.isBlank() ? "" : " -Dtrain.args=\"" + commandArgs + "\""));
        Engine engine = Engine.getEngine("PyTorch");
        card.put("engine", engine.getEngineName() + " " + engine.getVersion());
        card.put("seconds", Math.round((System.nanoTime() - started) / 1e9));
        Files.createDirectories(out);
        Files.writeString(
                out.resolve("finetune.json"),
                new com.google.gson.GsonBuilder()
                                .setPrettyPrinting()
                                .disableHtmlEscaping()
                                .create()
                                .toJson(card) + "\n");
        log("Wrote %s", out.resolve("finetune.json"));
    }

    private static int[] lengths(List<TrainingEncoder.Tokens> texts) {
        return texts.stream().mapToInt(TrainingEncoder.Tokens::length).toArray();
    }

    private <T> List<T> limit(List<T> list) {
        return ToolArguments.limit(list, intOption("eval-limit"));
    }

    private static List<String> texts(List<LabeledTexts.Example> examples) {
        return examples.stream().map(LabeledTexts.Example::text).toList();
    }

    /** Mean loss since the last progress line, or "-" when the task had no step in it. */
    private static String mean(double sum, int count) {
        return count == 0 ? "-" : String.format("%.4f", sum / count);
    }

    private static String duration(long seconds) {
        return String.format("%dh%02dm%02ds", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /** Resident memory of this process (heap, native PyTorch buffers and all), from /proc; -1 where unavailable. */
    private static long rssMb() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[finetune-encoder] " + format + "%n", args);
    }
}
