/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.TextAnalysis;
import io.heed.models.encoder.TokenizedText;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Micro-batches the rows that {@code ML_PREDICT} hands the async predict function one at a time, as the operator
 * batches its input: rows queue here, and one thread per function instance puts each into its length bucket
 * ({@link LengthBucketedBatcher}); a bucket that reaches {@code maxBatchSize} rows or {@code maxBatchTokens} padded
 * tokens runs at once, and {@code maxBatchWait} after the oldest waiting row every bucket runs. At most
 * {@code maxInFlightBatches} batches are queued or running in the shared model; past that the thread waits and rows
 * gather in the buckets, so batches grow with what the query keeps in flight ({@code 'max-concurrent-operations'}).
 */
final class SqlPredictBatcher implements AutoCloseable {
    private record Pending(TokenizedText tokens, CompletableFuture<TextAnalysis> result) {}

    private final SharedModel.Lease model;
    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final Semaphore inFlight;
    private final long maxBatchWaitNanos;
    private final Duration batchTimeout;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final IntConsumer batchSizes;
    private volatile boolean closed;

    /**
     * @param batchSizes told the number of rows in each batch handed to the model (the batch-size metric)
     */
    SqlPredictBatcher(SharedModel.Lease model, EnrichmentSettings settings, IntConsumer batchSizes) {
        this.model = model;
        this.maxBatchSize = settings.maxBatchSize();
        this.maxBatchTokens = settings.maxBatchTokens();
        this.inFlight = new Semaphore(settings.maxInFlightBatches());
        this.maxBatchWaitNanos = settings.maxBatchWait().toNanos();
        this.batchTimeout = settings.batchTimeout();
        this.batchSizes = batchSizes;
        this.thread = new Thread(this::run, "heed-sql-batcher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a text; the future completes on the batcher's thread with its analysis, or with the batch's failure. */
    CompletableFuture<TextAnalysis> submit(String text) {
        CompletableFuture<TextAnalysis> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("the Heed predict function is closed"));
            return result;
        }
        // Tokenised here, on the caller's thread, once: the batcher needs the token count, the model the tokens.
        queue.add(new Pending(model.tokenize(text), result));
        return result;
    }

    private void run() {
        LengthBucketedBatcher<Pending> buckets = new LengthBucketedBatcher<>(maxBatchSize, maxBatchTokens);
        long deadline = 0;
        try {
            while (!closed) {
                long wait = buckets.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(100) : deadline - System.nanoTime();
                Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                if (next != null) {
                    if (buckets.isEmpty()) {
                        deadline = System.nanoTime() + maxBatchWaitNanos;
                    }
                    dispatchAll(buckets.add(next, next.tokens().tokenCount()));
                }
                if (!buckets.isEmpty() && System.nanoTime() - deadline >= 0) {
                    dispatchAll(buckets.drainAll());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            IllegalStateException stopped = new IllegalStateException("the Heed predict function was closed");
            buckets.drainAll()
                    .forEach(batch -> batch.items().forEach(p -> p.result().completeExceptionally(stopped)));
            queue.forEach(p -> p.result().completeExceptionally(stopped));
        }
    }

    /** Dispatches released batches in order; when closed while waiting, fails the rows not handed to the model. */
    private void dispatchAll(List<LengthBucketedBatcher.Batch<Pending>> batches) throws InterruptedException {
        for (int i = 0; i < batches.size(); i++) {
            try {
                dispatch(batches.get(i).items());
            } catch (InterruptedException e) {
                IllegalStateException stopped = new IllegalStateException("the Heed predict function was closed");
                batches.subList(i, batches.size())
                        .forEach(batch -> batch.items().forEach(p -> p.result().completeExceptionally(stopped)));
                throw e;
            }
        }
    }

    /**
     * Runs one batch of rows of similar length through the shared model once fewer than {@code maxInFlightBatches}
     * batches are queued or running there (waiting for that is what lets the buckets fill). The rows complete on the
     * model's thread.
     */
    private void dispatch(List<Pending> items) throws InterruptedException {
        inFlight.acquire();
        batchSizes.accept(items.size());
        model.analyze(items.stream().map(Pending::tokens).toList())
                .orTimeout(batchTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((analyzed, error) -> {
                    inFlight.release();
                    if (error != null) {
                        // A model fault or a hung call is systemic (engine, device, memory): fail these rows, and
                        // with them the task, which restarts; nothing becomes a quiet empty result.
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error;
                        items.forEach(p -> p.result().completeExceptionally(cause));
                        return;
                    }
                    for (int i = 0; i < items.size(); i++) {
                        items.get(i).result().complete(analyzed.analyses().get(i));
                    }
                });
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
