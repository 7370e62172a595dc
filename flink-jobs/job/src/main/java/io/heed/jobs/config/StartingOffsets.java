/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.config;

import org.apache.flink.annotation.PublicEvolving;

/** Where the Kafka source starts reading when the job starts without a checkpoint or savepoint to restore. */
@PublicEvolving
public enum StartingOffsets {
    /** The oldest retained record of every partition. */
    EARLIEST,
    /** Only records produced after the job started. */
    LATEST,
    /** The consumer group's committed offsets; partitions without one start at the earliest record. */
    COMMITTED
}
