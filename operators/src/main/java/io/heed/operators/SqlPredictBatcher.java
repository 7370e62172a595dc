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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micro-batches the rows that {@code ML_PREDICT} hands the async predict function one at a time: rows queue here,
 * and one thread per function instance takes whatever has arrived (up to {@code maxBatchSize}, waiting at most
 * {@code maxBatchWait} for more after the first) into one call of the shared model. While a batch runs, the next one
 * fills, so under load batches grow to what the query keeps in flight ({@code 'max-concurrent-operations'}).
 */
final class SqlPredictBatcher implements AutoCloseable {
    /** The largest batch any batcher of this JVM has run: for metrics and tests. */
    private static final AtomicInteger LARGEST_BATCH = new AtomicInteger();

    private record Pending(String text, CompletableFuture<TextAnalysis> result) {}

    private final SharedModel.Lease model;
    private final int maxBatchSize;
    private final long maxBatchWaitNanos;
    private final Duration batchTimeout;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicInteger lastBatchSize = new AtomicInteger();
    private volatile boolean closed;

    SqlPredictBatcher(SharedModel.Lease model, int maxBatchSize, Duration maxBatchWait, Duration batchTimeout) {
        this.model = model;
        this.maxBatchSize = maxBatchSize;
        this.maxBatchWaitNanos = maxBatchWait.toNanos();
        this.batchTimeout = batchTimeout;
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

    int lastBatchSize() {
        return lastBatchSize.get();
    }

    static int largestBatch() {
        return LARGEST_BATCH.get();
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
                runBatch(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            IllegalStateException stopped = new IllegalStateException("the Heed predict function was closed");
            batch.forEach(p -> p.result().completeExceptionally(stopped));
            queue.forEach(p -> p.result().completeExceptionally(stopped));
        }
    }

    private void runBatch(List<Pending> batch) throws InterruptedException {
        List<String> texts = batch.stream().map(Pending::text).toList();
        lastBatchSize.set(batch.size());
        LARGEST_BATCH.accumulateAndGet(batch.size(), Math::max);
        try {
            List<TextAnalysis> analyses = model.analyze(texts)
                    .get(batchTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .analyses();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(analyses.get(i));
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // A model fault is systemic (engine, device, memory): fail these rows, and with them the task, which
            // restarts; nothing is quietly turned into an empty result.
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            batch.forEach(p -> p.result().completeExceptionally(cause));
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
