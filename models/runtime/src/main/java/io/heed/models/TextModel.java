/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import io.heed.models.encoder.EncodedText;
import io.heed.models.encoder.HeadsGraph;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.entities.Entity;
import io.heed.models.entities.EntityHead;
import io.heed.models.entities.HfEntityTagger;
import io.heed.models.sentiment.HfSentimentClassifier;
import io.heed.models.sentiment.Sentiment;
import io.heed.models.sentiment.SentimentHead;
import io.heed.models.summary.Summarizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The bundled encoder plus the enabled task heads. {@link #analyze(List)} runs the encoder once for the whole batch
 * and every enabled head on the same token states, so enabling more tasks costs little more than one.
 *
 * <p>A task given a user's Hugging Face export ({@link ModelSpec#sentimentModelDir()},
 * {@link ModelSpec#entitiesModelDir()}) runs that model instead, one batched call of its own; the encoder pass is
 * skipped for a batch when no enabled task needs it.
 *
 * <p>Not thread-safe (the encoder's predictor is not); one instance per caller thread.
 */
public final class TextModel implements AutoCloseable {
    private final TransformerEncoder encoder;
    /** Null when the task is not enabled. */
    private final SentimentHead sentimentHead;

    private final EntityHead entityHead;
    private final Summarizer summarizer;
    /** User models replacing a head; null when the task is off or uses the bundled head. */
    private final HfSentimentClassifier userSentiment;

    private final HfEntityTagger userEntities;
    /**
     * The bundled heads' networks run by ONNX Runtime right after the encoder (null when the heads run in Java: a
     * head file given at run time, or no graph on the classpath). Which heads read it: {@link #sentimentInGraph},
     * {@link #entitiesInGraph}.
     */
    private final HeadsGraph headsGraph;

    private final boolean sentimentInGraph;
    private final boolean entitiesInGraph;
    private final ModelInfo info;
    /**
     * Runs the heads of a batch in parallel. A pool of the model's own, not {@code ForkJoinPool.commonPool()}: that
     * one is shared by every job in a TaskManager's JVM, and its threads would outlive (and pin) a job's class loader.
     */
    private final ForkJoinPool heads;

    private TextModel(
            TransformerEncoder encoder,
            SentimentHead sentimentHead,
            EntityHead entityHead,
            Summarizer summarizer,
            HfSentimentClassifier userSentiment,
            HfEntityTagger userEntities,
            HeadsGraph headsGraph,
            boolean sentimentInGraph,
            int headThreads) {
        this.encoder = encoder;
        this.headsGraph = headsGraph;
        this.sentimentInGraph = sentimentInGraph && sentimentHead != null && headsGraph != null;
        this.entitiesInGraph = entityHead != null && headsGraph != null;
        this.heads = new ForkJoinPool(headThreads, HeadThread::new, null, false);
        this.sentimentHead = sentimentHead;
        this.entityHead = entityHead;
        this.summarizer = summarizer;
        this.userSentiment = userSentiment;
        this.userEntities = userEntities;
        String modelId = encoder.modelId();
        String weights = encoder.weightsSha256();
        if (sentimentHead != null) {
            modelId += "+sentiment-attention-v1";
            weights += sentimentHead.sha256();
        }
        if (userSentiment != null) {
            modelId += "+sentiment=" + userSentiment.modelId();
            weights += userSentiment.sha256();
        }
        if (entityHead != null) {
            modelId += "+entities-crf-v1";
            weights += entityHead.sha256();
        }
        if (userEntities != null) {
            modelId += "+entities=" + userEntities.modelId();
            weights += userEntities.sha256();
        }
        if (summarizer != null) {
            // Parameter-free: no weights of its own.
            modelId += "+summary-attention-v1";
        }
        this.info = new ModelInfo(
                modelId,
                Sha256.hex(weights.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                encoder.engineDescription(),
                encoder.device());
    }

    /**
     * Loads the encoder and heads the spec asks for. Fails here, with a message naming the file and the problem,
     * rather than on every record later.
     */
    public static TextModel load(ModelSpec spec) {
        Set<Task> tasks = spec.tasks();
        boolean sentiment = tasks.contains(Task.SENTIMENT);
        boolean entities = tasks.contains(Task.ENTITIES);
        SentimentHead head = null;
        if (sentiment && spec.sentimentModelDir().isEmpty()) {
            head = spec.sentimentHeadPath()
                    .map(p -> SentimentHead.read(Path.of(p)))
                    .orElseGet(() -> SentimentHead.bundled(spec.weights()));
        }
        EntityHead entityHead =
                entities && spec.entitiesModelDir().isEmpty() ? EntityHead.bundled(spec.weights()) : null;
        Summarizer summarizer = tasks.contains(Task.SUMMARY)
                ? Summarizer.builder()
                        .maxSentences(spec.summarySentences())
                        .maxWords(spec.summaryMaxWords())
                        .build()
                : null;
        List<AutoCloseable> loaded = new ArrayList<>();
        try {
            // User models first: their load errors are the likely ones, and they name the user's files.
            HfSentimentClassifier userSentiment = sentiment
                    ? spec.sentimentModelDir()
                            .map(d -> HfSentimentClassifier.load(Path.of(d), spec.intraOpThreads(), spec.device()))
                            .orElse(null)
                    : null;
            loaded.add(userSentiment);
            HfEntityTagger userEntities = entities
                    ? spec.entitiesModelDir()
                            .map(d -> HfEntityTagger.load(Path.of(d), spec.intraOpThreads(), spec.device()))
                            .orElse(null)
                    : null;
            loaded.add(userEntities);
            TransformerEncoder encoder = TransformerEncoder.load(
                    spec.encoder(), spec.weights(), spec.windowing(), spec.intraOpThreads(), spec.device());
            loaded.add(encoder);
            int width = encoder.encode(List.of("probe")).get(0).hiddenSize();
            if (head != null && width != head.hiddenSize()) {
                throw new IllegalStateException(
                        "Sentiment head " + spec.sentimentHeadPath().orElse("(bundled)")
                                + " expects encoder states of width " + head.hiddenSize() + " but encoder "
                                + encoder.modelId() + " produces " + width);
            }
            if (entityHead != null && width != entityHead.hiddenSize()) {
                throw new IllegalStateException("Entity head expects encoder states of width " + entityHead.hiddenSize()
                        + " but encoder " + encoder.modelId() + " produces " + width);
            }
            // The graph holds the bundled heads of these weights: worth loading when one of them runs.
            boolean bundledSentiment = head != null && spec.sentimentHeadPath().isEmpty();
            HeadsGraph graph = bundledSentiment || entityHead != null
                    ? HeadsGraph.loadBundled(spec.weights(), spec.intraOpThreads(), spec.device())
                            .orElse(null)
                    : null;
            loaded.add(graph);
            int headThreads = spec.intraOpThreads() > 0
                    ? spec.intraOpThreads()
                    : Runtime.getRuntime().availableProcessors();
            return new TextModel(
                    encoder,
                    head,
                    entityHead,
                    summarizer,
                    userSentiment,
                    userEntities,
                    graph,
                    bundledSentiment,
                    headThreads);
        } catch (RuntimeException e) {
            for (AutoCloseable resource : loaded) {
                closeQuietly(resource, e);
            }
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable resource, RuntimeException failure) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Analyses texts with one encoder pass for the whole list; results are in input order. The heads then run on the
     * texts in parallel: they are plain Java, one text at a time, and the encoder's own threads are idle by then.
     */
    public List<TextAnalysis> analyze(List<String> texts) {
        List<EncodedText> states =
                needsEncoder() ? encoder.encode(texts, headsGraph, entitiesInGraph ? entityHead::plan : null) : null;
        List<Sentiment> sentiments = userSentiment == null ? null : userSentiment.predict(texts);
        List<List<Entity>> entities = userEntities == null ? null : userEntities.predict(texts);
        TextAnalysis[] results = new TextAnalysis[texts.size()];
        // A parallel stream started inside a ForkJoinPool task runs in that pool.
        heads.submit(() -> IntStream.range(0, results.length)
                        .parallel()
                        .forEach(i -> results[i] = runHeads(
                                texts.get(i),
                                states == null ? null : states.get(i),
                                sentiments == null ? null : sentiments.get(i),
                                entities == null ? null : entities.get(i))))
                .join();
        return List.of(results);
    }

    /** Whether an enabled task reads the bundled encoder's token states. */
    private boolean needsEncoder() {
        return sentimentHead != null || entityHead != null || summarizer != null;
    }

    /** Runs the bundled heads on {@code states} (null when no task needs them) beside the user models' results. */
    private TextAnalysis runHeads(
            String text, EncodedText encoded, Sentiment userSentimentResult, List<Entity> userEntityResult) {
        TokenStates states = encoded == null ? null : encoded.states();
        Optional<Sentiment> sentiment = userSentimentResult != null
                ? Optional.of(userSentimentResult)
                : sentimentHead == null
                        ? Optional.empty()
                        : Optional.of(
                                sentimentInGraph ? sentimentHead.predict(encoded) : sentimentHead.predict(states));
        List<Entity> entities = userEntityResult != null
                ? userEntityResult
                : entityHead == null
                        ? List.of()
                        : entitiesInGraph ? entityHead.predict(text, encoded) : entityHead.predict(text, states);
        return new TextAnalysis(
                states == null ? encoder.tokenCount(text) : states.length(),
                states != null && states.truncated(),
                sentiment,
                entities,
                summarizer == null ? Optional.empty() : Optional.of(summarizer.summarize(text, states)));
    }

    /** Whether the bundled heads' networks run in ONNX Runtime (the heads graph) rather than in Java. */
    public boolean headsInGraph() {
        return sentimentInGraph || entitiesInGraph;
    }

    /** Encoder tokens of a text without running the model (for batching by length). */
    public int tokenCount(String text) {
        return encoder.tokenCount(text);
    }

    public ModelInfo info() {
        return info;
    }

    /** Encoder forward passes so far. */
    public long encoderPasses() {
        return encoder.forwardPasses();
    }

    /** Threads of the heads' pool: named, daemon, so a thread dump says whose they are and none holds the JVM. */
    private static final class HeadThread extends ForkJoinWorkerThread {
        private static final AtomicInteger IDS = new AtomicInteger();

        HeadThread(ForkJoinPool pool) {
            super(pool);
            setName("heed-heads-" + IDS.incrementAndGet());
            setDaemon(true);
        }
    }

    @Override
    public void close() {
        heads.shutdownNow();
        if (headsGraph != null) {
            headsGraph.close();
        }
        encoder.close();
        if (userSentiment != null) {
            userSentiment.close();
        }
        if (userEntities != null) {
            userEntities.close();
        }
    }
}
