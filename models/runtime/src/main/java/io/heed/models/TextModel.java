/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import io.heed.models.encoder.EncodedText;
import io.heed.models.encoder.GatherItems;
import io.heed.models.encoder.HeadsGraph;
import io.heed.models.encoder.TokenizedText;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.entities.EntityHead;
import io.heed.models.entities.HfEntityTagger;
import io.heed.models.sentiment.HfSentimentClassifier;
import io.heed.models.sentiment.SentimentHead;
import io.heed.models.summary.SentenceScorer;
import io.heed.models.summary.Summarizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The bundled encoder plus the enabled task heads. {@link #analyze(List)} runs the encoder once for the whole batch
 * and every enabled head on the same token states, so enabling more tasks costs little more than one.
 *
 * <p>A task given a user's Hugging Face export ({@link ModelSpec#sentimentModelDir()},
 * {@link ModelSpec#entitiesModelDir()}) runs that model instead, one batched call of its own; the encoder pass is
 * skipped for a batch when no enabled task needs it.
 *
 * <p>Thread-safe: concurrent calls run concurrently on their callers' threads, sharing the loaded sessions and heads.
 */
public final class TextModel implements AutoCloseable {
    private final TransformerEncoder encoder;
    /** The enabled tasks, in {@link Task} order. */
    private final List<TaskHead> tasks;
    /**
     * The bundled heads' networks run by ONNX Runtime right after the encoder; null when no task reads it (a head file
     * given at run time runs in Java, as does every head when no graph is on the classpath).
     */
    private final HeadsGraph headsGraph;

    private final GatherItems.Planner planner;
    private final boolean readsEncoder;
    private final ModelInfo info;

    private TextModel(TransformerEncoder encoder, List<TaskHead> tasks, HeadsGraph headsGraph) {
        this.encoder = encoder;
        this.tasks = List.copyOf(tasks);
        this.headsGraph = headsGraph;
        List<GatherItems.Planner> planners =
                tasks.stream().map(TaskHead::planner).filter(Objects::nonNull).toList();
        if (planners.size() > 1) {
            throw new IllegalStateException("only one task can gather items in the heads graph");
        }
        this.planner = planners.isEmpty() ? null : planners.get(0);
        this.readsEncoder = tasks.stream().anyMatch(TaskHead::readsEncoder);
        StringBuilder modelId = new StringBuilder(encoder.modelId());
        StringBuilder weights = new StringBuilder(encoder.weightsSha256());
        for (TaskHead task : tasks) {
            modelId.append(task.modelIdPart());
            weights.append(task.weightsSha256());
        }
        this.info = new ModelInfo(
                modelId.toString(),
                Sha256.hex(weights.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                encoder.engineDescription(),
                encoder.device());
    }

    /**
     * Loads the encoder and heads the spec asks for. Fails here, with a message naming the file and the problem,
     * rather than on every record later.
     */
    public static TextModel load(ModelSpec spec) {
        Set<Task> enabled = spec.tasks();
        boolean sentiment = enabled.contains(Task.SENTIMENT);
        boolean entities = enabled.contains(Task.ENTITIES);
        SentimentHead head = null;
        if (sentiment && spec.sentimentModelDir().isEmpty()) {
            head = spec.sentimentHeadPath()
                    .map(p -> SentimentHead.read(Path.of(p)))
                    .orElseGet(() -> SentimentHead.bundled(spec.weights()));
        }
        EntityHead entityHead =
                entities && spec.entitiesModelDir().isEmpty() ? EntityHead.bundled(spec.weights()) : null;
        List<AutoCloseable> loaded = new ArrayList<>();
        int threads = spec.sessionIntraOpThreads();
        try {
            // User models first: their load errors are the likely ones, and they name the user's files.
            HfSentimentClassifier userSentiment = sentiment
                    ? spec.sentimentModelDir()
                            .map(d -> HfSentimentClassifier.load(Path.of(d), threads, spec.device()))
                            .orElse(null)
                    : null;
            loaded.add(userSentiment);
            HfEntityTagger userEntities = entities
                    ? spec.entitiesModelDir()
                            .map(d -> HfEntityTagger.load(Path.of(d), threads, spec.device()))
                            .orElse(null)
                    : null;
            loaded.add(userEntities);
            TransformerEncoder encoder =
                    TransformerEncoder.load(spec.encoder(), spec.weights(), spec.windowing(), threads, spec.device());
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
                    ? HeadsGraph.loadBundled(spec.weights(), threads, spec.device())
                            .orElse(null)
                    : null;
            loaded.add(graph);
            List<TaskHead> tasks = new ArrayList<>();
            if (sentiment) {
                tasks.add(
                        userSentiment != null
                                ? SentimentTask.userModel(userSentiment)
                                : SentimentTask.head(head, bundledSentiment && graph != null));
            }
            if (entities) {
                tasks.add(
                        userEntities != null
                                ? EntitiesTask.userModel(userEntities)
                                : EntitiesTask.head(entityHead, graph != null));
            }
            if (enabled.contains(Task.SUMMARY)) {
                tasks.add(new SummaryTask(Summarizer.builder()
                        .scorer(SentenceScorer.bundled(spec.weights()))
                        .maxSentences(spec.summarySentences())
                        .maxWords(spec.summaryMaxWords())
                        .build()));
            }
            return new TextModel(encoder, tasks, graph);
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
     * Analyses texts with one encoder pass for the whole list (the heads graph running on its states), then every
     * task's per-text step (pooling, the CRF, offsets, sentence choice); results are in input order. Everything runs on
     * the calling thread (and the sessions' intra-op threads): the cores are kept busy by running several batches at
     * once ({@link ModelSpec#concurrentBatches()}), one per caller, rather than by a pool of this model's own.
     */
    public List<TextAnalysis> analyze(List<String> texts) {
        return analyzeTokenized(encoder.tokenize(texts));
    }

    /**
     * {@link #analyze(List)} for texts this model has already tokenised ({@link #tokenize}), such as texts batched by
     * their token counts: they are not tokenised again.
     */
    public List<TextAnalysis> analyzeTokenized(List<TokenizedText> tokenized) {
        List<String> texts = tokenized.stream().map(TokenizedText::text).toList();
        List<EncodedText> encoded = readsEncoder ? encoder.encodeTokenized(tokenized, headsGraph, planner) : null;
        List<TaskHead.PerText> steps = new ArrayList<>(tasks.size());
        for (TaskHead task : tasks) {
            steps.add(task.start(texts));
        }
        TextAnalysis[] results = new TextAnalysis[texts.size()];
        for (int i = 0; i < results.length; i++) {
            String text = texts.get(i);
            EncodedText one = encoded == null ? null : encoded.get(i);
            TaskHead.Results into = new TaskHead.Results();
            for (TaskHead.PerText step : steps) {
                step.complete(i, text, one, into);
            }
            results[i] = one == null
                    ? into.build(tokenized.get(i).tokenCount(), false)
                    : into.build(one.states().length(), one.states().truncated());
        }
        return List.of(results);
    }

    /** Whether a task reads the heads graph (the bundled heads' networks run in ONNX Runtime, not in Java). */
    public boolean headsInGraph() {
        return headsGraph != null;
    }

    /** Encoder tokens of a text without running the model (for batching by length). */
    public int tokenCount(String text) {
        return encoder.tokenCount(text);
    }

    /** Tokenises a text for {@link #analyzeTokenized}; its token count is what batching by length needs. */
    public TokenizedText tokenize(String text) {
        return encoder.tokenize(text);
    }

    public ModelInfo info() {
        return info;
    }

    /** Encoder forward passes so far. */
    public long encoderPasses() {
        return encoder.forwardPasses();
    }

    @Override
    public void close() {
        if (headsGraph != null) {
            headsGraph.close();
        }
        encoder.close();
        for (TaskHead task : tasks) {
            task.close();
        }
    }
}
