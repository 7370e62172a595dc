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
        String text = event.getText();
        if (text == null) {
            return reject(DeadLetterReason.MISSING_TEXT, "text is missing or null");
        }
        // Cheap bound first: a UTF-8 encoding has at least one byte per char and at most three per UTF-16 unit.
        if (text.length() > maxTextBytes
                || (text.length() * 3L > maxTextBytes && text.getBytes(StandardCharsets.UTF_8).length > maxTextBytes)) {
            return reject(DeadLetterReason.TEXT_TOO_LARGE,
                    "text exceeds " + maxTextBytes + " UTF-8 bytes (" + text.length() + " chars)");
        }
        if (text.isBlank()) {
            return reject(DeadLetterReason.BLANK_TEXT, "text is empty or whitespace only");
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(DeadLetterReason reason, String message) {
        return Optional.of(new Rejection(reason, message, Rejection.VALIDATE));
    }
}
