/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

/**
 * The circuit breaker over records that failed in the model even alone. One such record is a bad text and goes to the
 * dead-letter output; but when most records of a retried batch fail alone, or {@link #MAX_CONSECUTIVE} records fail
 * in a row with no success between them, the model is broken, not the texts, and dead-lettering would quietly drain
 * the stream into the dead-letter topic. The operator fails the task instead.
 */
final class RecordFailures {
    /** Records failing alone in a row, across batches, that make a fault systemic. */
    static final int MAX_CONSECUTIVE = 8;
    /** A retried batch at least this large in which more than half of the records fail alone is a systemic fault. */
    static final int MIN_BATCH_FOR_MAJORITY = 3;

    private int consecutive;

    void succeeded() {
        consecutive = 0;
    }

    /** Counts one record that failed alone; true when that makes the failures systemic. */
    boolean failedAndTrips() {
        return ++consecutive >= MAX_CONSECUTIVE;
    }

    /** Whether {@code failed} of a retried batch of {@code size} records failing alone is a systemic fault. */
    static boolean mostOfBatch(int failed, int size) {
        return size >= MIN_BATCH_FOR_MAJORITY && 2 * failed > size;
    }
}
