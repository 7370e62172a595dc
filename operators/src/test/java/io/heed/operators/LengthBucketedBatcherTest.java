/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LengthBucketedBatcherTest {

    @Test
    void bucketsGrowByAQuarterFromSixteenTokens() {
        assertThat(LengthBucketedBatcher.bucketIndex(1)).isZero();
        assertThat(LengthBucketedBatcher.bucketIndex(16)).isZero();
        // Bounds grow by a quarter: 16, 20, 25, 31, 38, 47, 58, 72, 90, 112, 140, 175, 218, 272, ...
        assertThat(LengthBucketedBatcher.bucketIndex(17)).isEqualTo(1);
        assertThat(LengthBucketedBatcher.bucketIndex(20)).isEqualTo(1);
        assertThat(LengthBucketedBatcher.bucketIndex(21)).isEqualTo(2);
        assertThat(LengthBucketedBatcher.bucketIndex(31)).isEqualTo(3);
        assertThat(LengthBucketedBatcher.bucketIndex(32)).isEqualTo(4);
        assertThat(LengthBucketedBatcher.bucketIndex(256)).isEqualTo(13);
        assertThat(LengthBucketedBatcher.bucketIndex(273)).isEqualTo(14);
    }

    @Test
    void aBucketIsReleasedWhenItHoldsMaxRecords() {
        LengthBucketedBatcher<String> batcher = new LengthBucketedBatcher<>(3, 10_000);
        assertThat(batcher.add("a", 10)).isEmpty();
        assertThat(batcher.add("long", 200)).isEmpty();
        assertThat(batcher.add("b", 12)).isEmpty();

        List<LengthBucketedBatcher.Batch<String>> released = batcher.add("c", 8);

        assertThat(released).singleElement().satisfies(batch -> {
            assertThat(batch.items()).containsExactly("a", "b", "c");
            assertThat(batch.paddedTokens()).isEqualTo(3 * 12);
        });
        assertThat(batcher.size()).isEqualTo(1);
    }

    @Test
    void aBucketIsReleasedBeforeAnItemWouldPushItPastTheTokenBudget() {
        LengthBucketedBatcher<String> batcher = new LengthBucketedBatcher<>(100, 250);
        assertThat(batcher.add("a", 100)).isEmpty();
        assertThat(batcher.add("b", 105)).isEmpty();

        // One bucket (91 to 112 tokens); 3 x 110 = 330 > 250: the bucket leaves as it was, and the new item starts
        // the next batch.
        List<LengthBucketedBatcher.Batch<String>> released = batcher.add("c", 110);

        assertThat(released).singleElement().satisfies(batch -> {
            assertThat(batch.items()).containsExactly("a", "b");
            assertThat(batch.paddedTokens()).isEqualTo(210);
        });
        assertThat(batcher.drainAll())
                .singleElement()
                .satisfies(batch -> assertThat(batch.items()).containsExactly("c"));
    }

    @Test
    void anItemAloneOverTheBudgetStillRunsAsABatchOfOne() {
        LengthBucketedBatcher<String> batcher = new LengthBucketedBatcher<>(100, 256);

        List<LengthBucketedBatcher.Batch<String>> released = batcher.add("huge", 4_000);

        assertThat(released).singleElement().satisfies(batch -> {
            assertThat(batch.items()).containsExactly("huge");
            assertThat(batch.paddedTokens()).isEqualTo(4_000);
        });
        assertThat(batcher.isEmpty()).isTrue();
    }

    @Test
    void drainAllReleasesEveryBucketShortestFirst() {
        LengthBucketedBatcher<String> batcher = new LengthBucketedBatcher<>(100, 10_000);
        batcher.add("long", 300);
        batcher.add("short", 5);
        batcher.add("mid", 40);

        assertThat(batcher.drainAll())
                .extracting(LengthBucketedBatcher.Batch::items)
                .containsExactly(List.of("short"), List.of("mid"), List.of("long"));
        assertThat(batcher.isEmpty()).isTrue();
        assertThat(batcher.drainAll()).isEmpty();
    }

    @Test
    void rejectsBudgetsBelowOne() {
        assertThatThrownBy(() -> new LengthBucketedBatcher<String>(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LengthBucketedBatcher<String>(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
