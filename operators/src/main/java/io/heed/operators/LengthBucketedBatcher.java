/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups items into batches of similar token length. The encoder pads every row of a batch to its longest text, so a
 * batch mixing a 10-token and a 200-token text does 20x the work for the short one; on CPU, grouping by length is what
 * makes batching pay (see DESIGN.md: in arrival order batch 32 was slower than batch 1).
 *
 * <p>Each item goes to the bucket of its length (bucket upper bounds grow by a quarter: 16, 20, 25, 31, 38, 47, 58,
 * ... tokens, so no text is padded by more than about a quarter of its length; with doubling bounds a short text could
 * be padded to twice its length, and the operator with all tasks ran about a fifth slower on the benchmark's sample
 * mix: medians of 319 against 397 records/s in four alternating rounds on 2 cores). A bucket is
 * released as a batch when it holds {@code maxRecords} items or when one more item would push its padded size
 * (items x longest item) past {@code maxTokens}. {@link #drainAll()} releases everything, shortest bucket first, for
 * the batch deadline and before checkpoints.
 *
 * <p>Not thread-safe; used from the operator's mailbox thread only.
 *
 * @param <T> the buffered item
 */
final class LengthBucketedBatcher<T> {
    /** Upper bound (inclusive, in tokens) of the smallest bucket; each next bucket's bound is a quarter larger. */
    static final int SMALLEST_BUCKET_TOKENS = 16;

    private final int maxRecords;
    private final int maxTokens;
    private final List<Bucket<T>> buckets = new ArrayList<>();
    private int size;

    private static final class Bucket<T> {
        final List<T> items = new ArrayList<>();
        int longest;

        int paddedTokensWith(int tokens) {
            return (items.size() + 1) * Math.max(longest, tokens);
        }
    }

    /** A released batch and its padded size in tokens (rows x longest row). */
    record Batch<T>(List<T> items, int paddedTokens) {}

    LengthBucketedBatcher(int maxRecords, int maxTokens) {
        if (maxRecords < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("maxRecords and maxTokens must be >= 1");
        }
        this.maxRecords = maxRecords;
        this.maxTokens = maxTokens;
    }

    /**
     * Adds an item of {@code tokens} tokens.
     *
     * @return the batches this addition released: the item's bucket when it would overflow the token budget (released
     *     before the item joins it), and the bucket with the item when it is full; often none
     */
    List<Batch<T>> add(T item, int tokens) {
        Bucket<T> bucket = bucketFor(tokens);
        List<Batch<T>> released = new ArrayList<>(1);
        if (!bucket.items.isEmpty() && bucket.paddedTokensWith(tokens) > maxTokens) {
            released.add(release(bucket));
        }
        bucket.items.add(item);
        bucket.longest = Math.max(bucket.longest, tokens);
        size++;
        if (bucket.items.size() >= maxRecords || bucket.items.size() * bucket.longest >= maxTokens) {
            released.add(release(bucket));
        }
        return released;
    }

    /** Releases every non-empty bucket, shortest texts first. */
    List<Batch<T>> drainAll() {
        List<Batch<T>> released = new ArrayList<>();
        for (Bucket<T> bucket : buckets) {
            if (!bucket.items.isEmpty()) {
                released.add(release(bucket));
            }
        }
        return released;
    }

    /** Items currently buffered. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    static int bucketIndex(int tokens) {
        int index = 0;
        for (int bound = SMALLEST_BUCKET_TOKENS; tokens > bound; bound += Math.max(1, bound / 4)) {
            index++;
        }
        return index;
    }

    private Bucket<T> bucketFor(int tokens) {
        int index = bucketIndex(tokens);
        while (buckets.size() <= index) {
            buckets.add(new Bucket<>());
        }
        return buckets.get(index);
    }

    private Batch<T> release(Bucket<T> bucket) {
        Batch<T> batch = new Batch<>(List.copyOf(bucket.items), bucket.items.size() * bucket.longest);
        size -= bucket.items.size();
        bucket.items.clear();
        bucket.longest = 0;
        return batch;
    }
}
