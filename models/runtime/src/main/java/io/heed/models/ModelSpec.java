/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.Windowing;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What model to load and how: a small serializable description that Flink ships to every task, which then calls
 * {@link TextModel#load(ModelSpec)} in {@code open()}. Immutable; made by {@link #builder()}.
 */
public final class ModelSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final EncoderVariant encoder;
    private final EncoderWeights weights;
    private final Windowing windowing;
    private final int intraOpThreads;
    private final int concurrentBatches;
    private final EnumSet<Task> tasks;
    private final String sentimentHeadPath;
    private final int summarySentences;
    private final int summaryMaxWords;
    private final InferenceDevice device;
    private final String sentimentModelDir;
    private final String entitiesModelDir;

    private ModelSpec(Builder builder) {
        this.encoder = builder.encoder;
        this.weights = builder.weights;
        this.windowing = builder.windowing;
        this.intraOpThreads = builder.intraOpThreads;
        this.concurrentBatches = builder.concurrentBatches;
        this.tasks = EnumSet.copyOf(builder.tasks);
        this.sentimentHeadPath = builder.sentimentHeadPath;
        this.summarySentences = builder.summarySentences;
        this.summaryMaxWords = builder.summaryMaxWords;
        this.device = builder.device;
        this.sentimentModelDir = builder.sentimentModelDir;
        this.entitiesModelDir = builder.entitiesModelDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's settings, to derive a spec that differs in some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.encoder = encoder;
        builder.weights = weights;
        builder.windowing = windowing;
        builder.intraOpThreads = intraOpThreads;
        builder.concurrentBatches = concurrentBatches;
        builder.tasks = EnumSet.copyOf(tasks);
        builder.sentimentHeadPath = sentimentHeadPath;
        builder.summarySentences = summarySentences;
        builder.summaryMaxWords = summaryMaxWords;
        builder.device = device;
        builder.sentimentModelDir = sentimentModelDir;
        builder.entitiesModelDir = entitiesModelDir;
        return builder;
    }

    public EncoderVariant encoder() {
        return encoder;
    }

    /** The encoder's weights, and with them which bundled heads run: Heed's fine-tuned ones or the original. */
    public EncoderWeights weights() {
        return weights;
    }

    /** Encoder window and how longer texts are split into overlapping windows. */
    public Windowing windowing() {
        return windowing;
    }

    /**
     * Threads the model runs on in all, shared by its {@link #concurrentBatches()}; 0 means the JVM's available
     * processors (which respects container CPU limits, unlike ONNX Runtime's own default).
     */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** {@link #intraOpThreads()} with 0 resolved to the JVM's available processors. */
    public int resolvedThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Batches the model runs at once, each on a caller thread of its own; 0 means automatic: two where the model has
     * at least two threads ({@link #resolvedThreads()}), else one.
     */
    public int concurrentBatches() {
        return concurrentBatches;
    }

    /** {@link #concurrentBatches()} with 0 resolved: two where the model has two threads or more, else one. */
    public int resolvedConcurrentBatches() {
        return concurrentBatches > 0 ? concurrentBatches : Math.min(2, resolvedThreads());
    }

    /**
     * ONNX Runtime intra-op threads of each session, so that the batches running at once use the model's threads in
     * all: a session's pool holds {@code threads - concurrent batches} workers, and each running batch's caller thread
     * joins in. On 2 processors: one each, every batch on its own caller thread, no pool.
     */
    public int sessionIntraOpThreads() {
        return Math.max(1, resolvedThreads() - resolvedConcurrentBatches() + 1);
    }

    public Set<Task> tasks() {
        return EnumSet.copyOf(tasks);
    }

    /** A head file to use instead of the bundled sentiment head. */
    public Optional<String> sentimentHeadPath() {
        return Optional.ofNullable(sentimentHeadPath);
    }

    /** Most sentences in a summary. */
    public int summarySentences() {
        return summarySentences;
    }

    /** Most words in a summary; 0 means no word budget. */
    public int summaryMaxWords() {
        return summaryMaxWords;
    }

    /** Where the encoder runs (default: the CPU). */
    public InferenceDevice device() {
        return device;
    }

    /**
     * A Hugging Face sequence-classification export (config.json, tokenizer.json, model.onnx) that computes
     * sentiment instead of the bundled head; see docs/BYO_MODELS.md.
     */
    public Optional<String> sentimentModelDir() {
        return Optional.ofNullable(sentimentModelDir);
    }

    /** A Hugging Face token-classification export that finds entities instead of the bundled head. */
    public Optional<String> entitiesModelDir() {
        return Optional.ofNullable(entitiesModelDir);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec other
                && encoder == other.encoder
                && weights == other.weights
                && windowing.equals(other.windowing)
                && intraOpThreads == other.intraOpThreads
                && concurrentBatches == other.concurrentBatches
                && tasks.equals(other.tasks)
                && Objects.equals(sentimentHeadPath, other.sentimentHeadPath)
                && summarySentences == other.summarySentences
                && summaryMaxWords == other.summaryMaxWords
                && device.equals(other.device)
                && Objects.equals(sentimentModelDir, other.sentimentModelDir)
                && Objects.equals(entitiesModelDir, other.entitiesModelDir);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                encoder,
                weights,
                windowing,
                intraOpThreads,
                concurrentBatches,
                tasks,
                sentimentHeadPath,
                summarySentences,
                summaryMaxWords,
                sentimentModelDir,
                entitiesModelDir,
                device);
    }

    @Override
    public String toString() {
        return "ModelSpec{encoder=" + encoder + ", weights=" + weights + ", windowing=" + windowing
                + ", intraOpThreads=" + intraOpThreads
                + ", concurrentBatches=" + concurrentBatches
                + ", tasks=" + tasks + ", summarySentences=" + summarySentences + ", summaryMaxWords=" + summaryMaxWords
                + ", device=" + device + (sentimentHeadPath == null ? "" : ", sentimentHead=" + sentimentHeadPath)
                + (sentimentModelDir == null ? "" : ", sentimentModel=" + sentimentModelDir)
                + (entitiesModelDir == null ? "" : ", entitiesModel=" + entitiesModelDir) + "}";
    }

    public static final class Builder {
        private EncoderVariant encoder = EncoderVariant.INT8;
        private EncoderWeights weights = EncoderWeights.DEFAULT;
        private Windowing windowing = Windowing.of(256);
        private int intraOpThreads = 0;
        private int concurrentBatches = 0;
        private EnumSet<Task> tasks = EnumSet.allOf(Task.class);
        private String sentimentHeadPath;
        private int summarySentences = 3;
        private int summaryMaxWords = 0;
        private InferenceDevice device = InferenceDevice.cpu();
        private String sentimentModelDir;
        private String entitiesModelDir;

        private Builder() {}

        public Builder encoder(EncoderVariant encoder) {
            this.encoder = Objects.requireNonNull(encoder, "encoder");
            return this;
        }

        /** The encoder's weights (default: the Maven artifact's own, frozen). */
        public Builder weights(EncoderWeights weights) {
            this.weights = Objects.requireNonNull(weights, "weights");
            return this;
        }

        /** Encoder window and overlap for long texts (default: 256-token windows overlapping by 63). */
        public Builder windowing(Windowing windowing) {
            this.windowing = Objects.requireNonNull(windowing, "windowing");
            return this;
        }

        /** Shorthand for {@link #windowing(Windowing)} with {@link Windowing#of(int)}. */
        public Builder windowTokens(int windowTokens) {
            return windowing(Windowing.of(windowTokens));
        }

        /** Threads the model runs on in all; 0 (the default) means the JVM's available processors. */
        public Builder intraOpThreads(int intraOpThreads) {
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
            }
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        /** Batches the model runs at once; 0 (the default) means two where the model has two threads, else one. */
        public Builder concurrentBatches(int concurrentBatches) {
            if (concurrentBatches < 0 || concurrentBatches > 64) {
                throw new IllegalArgumentException(
                        "concurrentBatches must be between 0 (automatic) and 64, got " + concurrentBatches);
            }
            this.concurrentBatches = concurrentBatches;
            return this;
        }

        public Builder tasks(Set<Task> tasks) {
            if (tasks.isEmpty()) {
                throw new IllegalArgumentException("at least one task must be enabled");
            }
            this.tasks = EnumSet.copyOf(tasks);
            return this;
        }

        public Builder sentimentHeadPath(String path) {
            this.sentimentHeadPath = path;
            return this;
        }

        public Builder summarySentences(int summarySentences) {
            if (summarySentences < 1) {
                throw new IllegalArgumentException("summarySentences must be >= 1, got " + summarySentences);
            }
            this.summarySentences = summarySentences;
            return this;
        }

        /**
         * Most words in a summary; 0 (the default) means no word budget. Sentences are taken in order of relevance
         * while they fit; if none fits, the most relevant one is returned alone (see Summarizer.Builder#maxWords).
         */
        public Builder summaryMaxWords(int summaryMaxWords) {
            if (summaryMaxWords < 0) {
                throw new IllegalArgumentException(
                        "summaryMaxWords must be >= 0 (0 for no limit), got " + summaryMaxWords);
            }
            this.summaryMaxWords = summaryMaxWords;
            return this;
        }

        /** Where the encoder runs (default: the CPU). */
        public Builder device(InferenceDevice device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * Runs sentiment with the Hugging Face sequence-classification export in {@code dir} (config.json with
         * id2label, tokenizer.json, model.onnx) instead of the bundled head; {@code null} restores the bundled head.
         */
        public Builder sentimentModelDir(String dir) {
            this.sentimentModelDir = dir;
            return this;
        }

        /**
         * Finds entities with the Hugging Face token-classification export in {@code dir} instead of the bundled
         * head; {@code null} restores the bundled head.
         */
        public Builder entitiesModelDir(String dir) {
            this.entitiesModelDir = dir;
            return this;
        }

        public ModelSpec build() {
            if (sentimentHeadPath != null && sentimentModelDir != null) {
                throw new IllegalArgumentException("choose either a sentiment head file (" + sentimentHeadPath
                        + ") or a sentiment model directory (" + sentimentModelDir + "), not both");
            }
            return new ModelSpec(this);
        }
    }
}
