/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

/** What a {@link TextModel} can compute from one encoder pass. */
public enum Task {
    /** Label, score and per-label probabilities. */
    SENTIMENT,
    /** Named entities (PER, ORG, LOC, MISC) with char offsets into the original text. */
    ENTITIES,
    /** An extractive summary: the most central sentences. */
    SUMMARY
}
