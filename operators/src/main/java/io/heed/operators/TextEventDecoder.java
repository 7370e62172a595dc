/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.TextEvent;

/** Turns payload bytes into a {@link TextEvent}. Not thread-safe; one per operator instance. */
interface TextEventDecoder {
    /** @throws DecodeException with a human-readable reason when the bytes are not a valid TextEvent */
    TextEvent decode(byte[] payload) throws DecodeException;

    final class DecodeException extends Exception {
        DecodeException(String message) {
            super(message);
        }

        DecodeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
