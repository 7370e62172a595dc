/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.DeadLetterReason;

/** Why and where a record was turned away; becomes a {@code DeadLetter}. */
record Rejection(DeadLetterReason reason, String message, String stage) {
    static final String DECODE = "decode";
    static final String VALIDATE = "validate";
    static final String INFERENCE = "inference";
    static final String OUTPUT = "output";
}
