/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import ai.djl.engine.EngineException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a fault of one text (the tokenizer or a head cannot handle it: dead-letter that record) from a fault of the
 * model itself (memory, the engine, the device, a hung or stopped inference thread: fail the task, so that Flink
 * restarts it from its last checkpoint and nothing is dead-lettered for it).
 *
 * <p>By type, a fault is systemic when its cause chain holds an {@link Error} (out of memory, a linkage or internal
 * error), an engine failure (ONNX Runtime and DJL report native failures, device errors and closed sessions so), a
 * timeout, or a rejected, cancelled or interrupted call. Anything else is first taken as a fault of the texts; the
 * operator then retries the batch's records one by one, and {@link RecordFailures} turns a pattern of such failures
 * into a systemic fault too.
 */
final class ModelFaults {
    private ModelFaults() {}

    /** The failure itself, without the wrappers of the future that carried it. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static boolean isSystemic(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Error
                    || cause instanceof EngineException
                    || cause instanceof ai.onnxruntime.OrtException
                    || cause instanceof TimeoutException
                    || cause instanceof RejectedExecutionException
                    || cause instanceof CancellationException
                    || cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /** Thrown on the task thread to fail the task; Flink's restart strategy takes it from there. */
    static final class SystemicModelFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SystemicModelFault(String message, Throwable cause) {
            super(
                    message + "; failing the task so that it restarts from its last checkpoint, with nothing "
                            + "dead-lettered for it",
                    cause);
        }
    }
}
