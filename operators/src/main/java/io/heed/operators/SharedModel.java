/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.JvmWideThreads;
import io.heed.models.ModelInfo;
import io.heed.models.ModelSpec;
import io.heed.models.TextAnalysis;
import io.heed.models.TextModel;
import io.heed.models.encoder.TokenizedText;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model per model spec per JVM (that is, per TaskManager), shared by every slot that runs Heed with that
 * spec, and the inference threads that run it: {@link ModelSpec#resolvedConcurrentBatches()} of them, each running
 * one batch at a time.
 *
 * <p>Why one model: the encoder weights and the ONNX Runtime sessions are the bulk of the memory; a session takes
 * concurrent runs, so batches run side by side in one model rather than in a model per slot. Why threads of their own:
 * the task threads keep decoding, validating and batching while the model runs, and several slots' batches queue for
 * the same threads instead of fighting over cores. Why more than one batch at once: a batch is not all matrix products
 * (padding, the heads' graph and Java, copying states out), and one forward pass does not keep every core busy; a second
 * batch fills those gaps. Measured on 2 cores (all tasks, sample mix, texts/s): one batch at a time on 2 intra-op
 * threads 425-451, two at a time on one thread each 519-541 (medians of three rounds, scratch runs).
 *
 * <p>Reference-counted: {@link #acquire} loads on first use, {@link Lease#close} of the last user stops the threads and
 * closes the model once no call is inside, so a job restart in the same JVM loads it afresh (the native engine
 * libraries themselves load once per class loader; see docs/DEPLOYMENT.md on putting the engine jars in Flink's
 * {@code lib/}).
 */
final class SharedModel {
    private static final Logger LOG = LoggerFactory.getLogger(SharedModel.class);
    private static final Map<ModelSpec, SharedModel> LOADED = new HashMap<>();
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final ModelSpec spec;
    private final TextModel model;
    private final ExecutorService inferenceThreads;
    private int users;

    private SharedModel(ModelSpec spec, TextModel model) {
        this.spec = spec;
        this.model = model;
        this.inferenceThreads = Executors.newFixedThreadPool(spec.resolvedConcurrentBatches(), SharedModel::thread);
    }

    /** Named daemon threads, so a thread dump says whose they are and none holds the JVM. */
    private static Thread thread(Runnable runnable) {
        Thread thread = new Thread(runnable, "heed-inference-" + THREAD_IDS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    /** A batch's results, in input order, and the time the model took (queueing excluded). */
    record Analyzed(List<TextAnalysis> analyses, long modelNanos) {}

    /** A user's handle on the shared model; close it exactly once. */
    interface Lease extends AutoCloseable {
        ModelInfo info();

        /**
         * Tokenises a text on the caller's thread (the tokenizer is thread-safe): batch it by its token count, then
         * hand it to {@link #analyze}, which does not tokenise it again.
         */
        TokenizedText tokenize(String text);

        /** Runs the model on one of the inference threads; completes there. */
        CompletableFuture<Analyzed> analyze(List<TokenizedText> texts);

        @Override
        void close();
    }

    /** Loads the model for {@code spec}, or shares the one already loaded. Load failures propagate to the caller. */
    static Lease acquire(ModelSpec spec) {
        // Every lease holder (the operator, the SQL batcher) bounds analyze() with orTimeout, whose JDK-wide delay
        // thread would otherwise be created under a task's stack and keep that job's class loader alive after the
        // job (see JvmWideThreads).
        JvmWideThreads.startCompletableFutureDelayer();
        SharedModel shared;
        synchronized (LOADED) {
            shared = LOADED.get(spec);
            if (shared == null) {
                long start = System.nanoTime();
                shared = new SharedModel(spec, TextModel.load(spec));
                LOADED.put(spec, shared);
                LOG.info(
                        "Loaded {} in {} ms; shared by every Heed operator of this TaskManager",
                        shared.model.info().modelId(),
                        (System.nanoTime() - start) / 1_000_000);
            }
            shared.users++;
        }
        return shared.new Handle();
    }

    /** Number of distinct models loaded in this JVM right now (for tests and metrics). */
    static int loadedCount() {
        synchronized (LOADED) {
            return LOADED.size();
        }
    }

    private void release() {
        synchronized (LOADED) {
            if (--users > 0) {
                return;
            }
            LOADED.remove(spec);
        }
        // The model is closed once the inference threads are done with the batches that may still be inside it (a
        // cancelled task does not stop a native call): freeing the sessions from here could free them under a running
        // call. Batches of other operators queued before still run first. A hung call keeps the model open (and its
        // memory) rather than risk that; the batch timeout has already failed the task that waited on it.
        inferenceThreads.shutdown();
        Thread closer = thread(() -> {
            try {
                while (!inferenceThreads.awaitTermination(1, TimeUnit.MINUTES)) {
                    LOG.warn(
                            "{} is still running a batch; it is closed when that returns",
                            model.info().modelId());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // the JVM is going down: the process takes the native memory with it
            }
            model.close();
            LOG.info(
                    "Closed {}: no Heed operator of this TaskManager uses it any more",
                    model.info().modelId());
        });
        closer.start();
    }

    private final class Handle implements Lease {
        private boolean closed;

        @Override
        public ModelInfo info() {
            return model.info();
        }

        @Override
        public TokenizedText tokenize(String text) {
            return model.tokenize(text);
        }

        @Override
        public CompletableFuture<Analyzed> analyze(List<TokenizedText> texts) {
            return CompletableFuture.supplyAsync(
                    () -> {
                        long start = System.nanoTime();
                        List<TextAnalysis> analyses = model.analyzeTokenized(texts);
                        return new Analyzed(analyses, System.nanoTime() - start);
                    },
                    inferenceThreads);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release();
            }
        }
    }
}
