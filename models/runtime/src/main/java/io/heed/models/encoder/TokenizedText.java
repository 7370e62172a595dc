/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import java.util.Objects;

/**
 * A text with the encoder's tokens for it, made once by {@link TransformerEncoder#tokenize}: callers batch by its
 * {@link #tokenCount()} and hand it to the model, which then does not tokenise the text again. On a machine whose
 * cores the model keeps busy, the second tokenisation was CPU taken from the forward pass. Immutable; holds the
 * tokenizer's arrays for the text, so it lives as long as the text waits for its batch.
 */
public final class TokenizedText {
    private final String text;
    private final Encoding encoding;
    private final int tokenCount;

    TokenizedText(String text, Encoding encoding, int tokenCount) {
        this.text = Objects.requireNonNull(text, "text");
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        this.tokenCount = tokenCount;
    }

    public String text() {
        return text;
    }

    /** Encoder tokens, special tokens included, up to the encoder's most tokens per document. */
    public int tokenCount() {
        return tokenCount;
    }

    Encoding encoding() {
        return encoding;
    }

    @Override
    public String toString() {
        return "TokenizedText{" + tokenCount + " tokens, " + text.length() + " chars}";
    }
}
