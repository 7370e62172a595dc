/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

/** The encoder failed on a batch (as opposed to failing to load, which is an {@link IllegalStateException}). */
public final class EncoderException extends RuntimeException {
    public EncoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
