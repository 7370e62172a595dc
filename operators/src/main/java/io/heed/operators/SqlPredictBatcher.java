/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.TextAnalysis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Micro-batches the rows that {@code ML_PREDICT} hands the async predict function one at a time: rows queue here,
 * and one thread per function instance takes whatever has arrived (up to {@code maxBatchSize}, waiting at most
 * {@code maxBatchWait} for more after the first) and runs it through the shared model, grouped by length, with at
 * most {@code maxInFlightBatches} such collections queued or running, so the next one fills while the model works.
 * Batches grow to what the query keeps in flight ({@code 'max-concurrent-operations'}).
 */
final class SqlPredictBatcher implements AutoCloseable {
    private record Pending(String text, CompletableFuture<TextAnalysis> result) {}

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
     * @param batchSizes told the number of rows in each collection handed to the model (the batch-size metric)
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
        queue.add(new Pending(text, result));
        return result;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        try {
            while (!closed) {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxBatchWaitNanos;
                while (batch.size() < maxBatchSize) {
                    Pending next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                // At most maxInFlightBatches collections queued or running in the model: the next one fills while
                // the model works, as in the operator.
                inFlight.acquire();
                dispatch(batch);
                batch = new ArrayList<>();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            IllegalStateException stopped = new IllegalStateException("the Heed predict function was closed");
            batch.forEach(p -> p.result().completeExceptionally(stopped));
            queue.forEach(p -> p.result().completeExceptionally(stopped));
        }
    }

    /**
     * Runs rows that arrived together as the operator runs its input: grouped by token length into model calls of at
     * most {@code maxBatchSize} texts and {@code maxBatchTokens} padded tokens ({@link LengthBucketedBatcher}), since
     * padding short texts to a long one in the same call wastes most of the pass. Returns at once; the rows complete
     * on the model's thread.
     */
    private void dispatch(List<Pending> rows) {
        LengthBucketedBatcher<Pending> buckets = new LengthBucketedBatcher<>(maxBatchSize, maxBatchTokens);
        List<LengthBucketedBatcher.Batch<Pending>> batches = new ArrayList<>();
        for (Pending row : rows) {
            batches.addAll(buckets.add(row, model.tokenCount(row.text())));
        }
        batches.addAll(buckets.drainAll());
        batchSizes.accept(rows.size());
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (LengthBucketedBatcher.Batch<Pending> batch : batches) {
            List<Pending> items = batch.items();
            calls.add(model.analyze(items.stream().map(Pending::text).toList())
                    .orTimeout(batchTimeout.toNanos(), TimeUnit.NANOSECONDS)
                    .whenComplete((analyzed, error) -> {
                        if (error != null) {
                            // A model fault or a hung call is systemic (engine, device, memory): fail these rows,
                            // and with them the task, which restarts; nothing becomes a quiet empty result.
                            Throwable cause = error instanceof CompletionException && error.getCause() != null
                                    ? error.getCause()
                                    : error;
                            items.forEach(p -> p.result().completeExceptionally(cause));
                            return;
                        }
                        for (int i = 0; i < items.size(); i++) {
                            items.get(i).result().complete(analyzed.analyses().get(i));
                        }
                    }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> inFlight.release());
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
