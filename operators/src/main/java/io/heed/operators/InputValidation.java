/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.DeadLetterReason;
import io.heed.schemas.TextEvent;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Checks a decoded TextEvent before it may reach the model. */
final class InputValidation {
    private final int maxTextBytes;

    InputValidation(int maxTextBytes) {
        this.maxTextBytes = maxTextBytes;
    }

    Optional<Rejection> check(TextEvent event) {
        if (event.getId() == null || event.getId().isBlank()) {
            return reject(DeadLetterReason.MISSING_ID, "id is missing or blank");
        }
        return checkText(event.getText());
    }

    /** The checks of {@link #check} on a text alone (the SQL provider's rows have no id). */
    Optional<Rejection> checkText(String text) {
        if (text == null) {
            return reject(DeadLetterReason.MISSING_TEXT, "text is missing or null");
        }
        // Cheap bound first: a UTF-8 encoding has at least one byte per char and at most three per UTF-16 unit.
        if (text.length() > maxTextBytes
                || (text.length() * 3L > maxTextBytes && text.getBytes(StandardCharsets.UTF_8).length > maxTextBytes)) {
            return reject(
                    DeadLetterReason.TEXT_TOO_LARGE,
                    "text exceeds " + maxTextBytes + " UTF-8 bytes (" + text.length() + " chars)");
        }
        if (hasNothingVisible(text)) {
            return reject(
                    DeadLetterReason.BLANK_TEXT,
                    "text is empty or holds only white space, control or format characters");
        }
        return Optional.empty();
    }

    /**
     * Whether no character of the text is visible: all are white space (including the no-break spaces that
     * {@link String#isBlank()} does not count), control characters (NUL, ESC, ...) or invisible format characters
     * (zero-width spaces and joiners, bidi controls, BOM). The tokenizer drops all of these, so such a text would reach
     * the model as an empty sequence and come out with a sentiment of nothing.
     */
    static boolean hasNothingVisible(String text) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (!Character.isWhitespace(codePoint)
                    && !Character.isSpaceChar(codePoint)
                    && !Character.isISOControl(codePoint)
                    && Character.getType(codePoint) != Character.FORMAT) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    private static Optional<Rejection> reject(DeadLetterReason reason, String message) {
        return Optional.of(new Rejection(reason, message, Rejection.VALIDATE));
    }
}
